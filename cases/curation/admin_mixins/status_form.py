"""The status field of the change form: every move it makes is checked by cases.curation.workflow, from the
entry's live status (also when a revert shows an older version), and shows where the entry can move next."""

from django.core.exceptions import ValidationError

from cases.core.models import Status
from cases.core.public_versions import PUBLIC_CHANGE
from cases.curation import workflow


class StatusFormMixin:
    """Checked transitions in the change form."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        user = request.user
        model_admin = self
        # After a revert, `obj` holds the old version: the move is checked from the live status.
        live = getattr(request, "workflow_live_status", obj.status if obj is not None else "")

        class WorkflowForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                field = self.fields.get("status")
                if field is not None:
                    if not self.is_bound and live:
                        self.initial["status"] = live
                    targets = ", ".join(workflow.label(s) for s in workflow.allowed_targets(live, user)) or "none"
                    field.help_text = f"From “{workflow.label(live)}” this entry can move to: {targets}."

            def clean_status(self):
                status = self.cleaned_data["status"]
                workflow.check_transition(live, status, user)
                return status

            def clean(self):
                cleaned = super().clean()
                if cleaned.get("status") == Status.PUBLISHED and live != Status.PUBLISHED:
                    # Publishing: what the entry will hold once saved, this form's values and its inlines' rows.
                    formsets = getattr(request, "_workflow_formsets", ())
                    proposed = model_admin.proposed_for_publication(self, formsets)
                    try:
                        workflow.check_complete(self.instance, **proposed)
                    except ValidationError as error:
                        self.add_error("status", error)
                return cleaned

        return WorkflowForm

    def _create_formsets(self, request, obj, change):
        # The form is validated after its inlines are built: its publication check reads them.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        request._workflow_formsets = formsets
        return formsets, inline_instances

    def proposed_for_publication(self, form, formsets):
        """{argument of the model's `publication_gaps`: value about to be saved}; {} reads the saved rows."""
        return {}

    def changeform_view(self, request, *args, **kwargs):
        # The public note of this save lives as long as the request's saves (see save_model); a replayed approval
        # keeps the note the approving senior curator gave (cases/curation/review.py).
        if getattr(request, "archive_replaying", False):
            return super().changeform_view(request, *args, **kwargs)
        token = PUBLIC_CHANGE.set(None)
        try:
            return super().changeform_view(request, *args, **kwargs)
        finally:
            PUBLIC_CHANGE.reset(token)

    def save_model(self, request, obj, form, change):
        if not getattr(request, "archive_replaying", False):
            # Read by the public-version recorder as the entry and its rows are saved.
            PUBLIC_CHANGE.set((request.user, form.cleaned_data.get("public_note", "")))
        obj.workflow_actor = (request.user, "Saved in the change form")
        if hasattr(request, "workflow_live_status"):
            obj._workflow_from = request.workflow_live_status
        super().save_model(request, obj, form, change)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        request.workflow_live_status = (
            self.model._base_manager.filter(pk=version.object_id).values_list("status", flat=True).first() or ""
        )
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)
