"""The status field of the change form: every move it makes is checked by cases.curation.workflow, from the
entry's live status (also when a revert shows an older version), and shows where the entry can move next."""

from cases.curation import workflow


class StatusFormMixin:
    """Checked transitions in the change form."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        user = request.user
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

        return WorkflowForm

    def save_model(self, request, obj, form, change):
        obj.workflow_actor = (request.user, "Saved in the change form")
        if hasattr(request, "workflow_live_status"):
            obj._workflow_from = request.workflow_live_status
        super().save_model(request, obj, form, change)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        request.workflow_live_status = (
            self.model._base_manager.filter(pk=version.object_id).values_list("status", flat=True).first() or ""
        )
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)
