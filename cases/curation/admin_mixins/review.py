"""Changes to what the public sees wait for a senior curator (see cases/curation/review.py): the admin's side.

For an account without the publish right, a valid change form of something public-facing is kept as a pending
revision instead of being saved; so is a revert or a recovery through the history. Adding a row to a published
entry, or deleting one, is done in the entry's own change form (where it waits for approval too), not through the
row's own admin. The change page says when changes to the entry are waiting.
"""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_noop

from cases.curation import review, workflow
from cases.curation.models import PendingRevision

WAITING = gettext_noop("Your change to “{}” is waiting for a senior curator's approval; the public page is unchanged.")


def _change_url(obj):
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    except NoReverseMatch:
        return None


class ReviewAdminMixin:
    """Put before the mixins that save (CheapSaveAdminMixin, VersionAdmin)."""

    @staticmethod
    def _reviewed(request):
        """Whether this request's changes to public-facing rows wait for approval (not when replaying an approved or
        previewed proposal: the approval is the review)."""
        return not getattr(request, "archive_replaying", False) and not workflow.can_publish(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if change or not review.holder_paths(self.model) or not self._reviewed(request):
            return form_class

        class ReviewedAddForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                holder = review.published_holder(self.instance)
                if holder is not None:
                    self.add_error(
                        None,
                        ValidationError(
                            gettext(
                                "This would show at once on the published “%(holder)s”: add it in that entry's own "
                                "change form, where your change waits for a senior curator's approval."
                            )
                            % {"holder": holder},
                            code="needs_review",
                        ),
                    )

        return ReviewedAddForm

    def _touches_public(self, request, obj, form):
        live = getattr(request, "archive_live_public", None)
        if live is not None:  # a revert or a recovery: decided before the old version was written back
            return live or review.touches_public(obj)
        stored = getattr(form, "archive_values", None)
        return review.touches_public(obj, stored)

    def save_model(self, request, obj, form, change):
        if change and self._reviewed(request) and self._touches_public(request, obj, form):
            request.archive_proposal = (obj, form)
            formsets = getattr(request, "archive_formsets", ())
            changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
            if changed and not getattr(request, "archive_reverting", None):
                request.archive_pending = review.propose(request, obj, form, formsets)
            return
        request.archive_saved = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "archive_proposal", None) is None:
            super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "archive_proposal", None) is None:
            return super().construct_change_message(request, form, formsets, add)
        return []  # nothing was saved (Django's own reads what the formsets saved)

    def log_change(self, request, obj, message):
        if getattr(request, "archive_proposal", None) is None:
            return super().log_change(request, obj, message)
        return None

    def response_change(self, request, obj):
        if getattr(request, "archive_proposal", None) is None:
            return super().response_change(request, obj)
        pending = getattr(request, "archive_pending", None)
        if pending is None and not getattr(request, "archive_reverting", None):
            self.message_user(
                request, gettext("Nothing to save: “%(entry)s” is as you found it.") % {"entry": obj}, messages.INFO
            )
            return HttpResponseRedirect(_change_url(obj) or reverse("admin:index"))
        self.message_user(request, gettext(WAITING).format(obj), messages.SUCCESS)
        if pending is not None:  # what it changes, and its preview
            return HttpResponseRedirect(reverse("admin:curation_pendingrevision_change", args=[pending.pk]))
        return HttpResponseRedirect(_change_url(obj) or reverse("admin:index"))

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        if request.method != "POST" or not self._reviewed(request):
            return super()._reversion_revisionform_view(request, version, template_name, extra_context)
        live = self.model._base_manager.filter(pk=version.object_id).first()
        request.archive_live_public = review.touches_public(live)
        request.archive_reverting = version
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = super()._reversion_revisionform_view(request, version, template_name, extra_context)
            proposal = getattr(request, "archive_proposal", None)
            if proposal is not None:
                transaction.set_rollback(True)  # the old version was written back: undo it, it waits for approval
        if proposal is not None:
            obj, form = proposal
            request.archive_pending = review.propose(
                request,
                obj,
                form,
                getattr(request, "archive_formsets", ()),
                via="revert" if live is not None else "recover",
                version_id=version.pk,
            )
            return HttpResponseRedirect(
                reverse("admin:curation_pendingrevision_change", args=[request.archive_pending.pk])
            )
        return response

    def delete_view(self, request, object_id, extra_context=None):
        if review.holder_paths(self.model) and self._reviewed(request):
            obj = self.get_object(request, unquote(object_id))
            holder = review.published_holder(obj) if obj is not None else None
            if holder is not None:
                self.message_user(
                    request,
                    gettext(
                        "“%(entry)s” is part of the published “%(holder)s”: delete it in that entry's change form, "
                        "where the deletion waits for a senior curator's approval."
                    )
                    % {"entry": obj, "holder": holder},
                    messages.WARNING,
                )
                return HttpResponseRedirect(_change_url(holder) or _change_url(obj))
        return super().delete_view(request, object_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and review.holder_paths(self.model) and self._reviewed(request):
            # The bulk delete action asks this of every row it would delete.
            return review.published_holder(obj) is None
        return allowed

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and not getattr(request, "archive_replaying", False):
            waiting = list(PendingRevision.objects.for_object(obj).pending().select_related("proposed_by"))
            context["pending_revisions"] = waiting
            context["may_approve"] = workflow.can_publish(request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)
