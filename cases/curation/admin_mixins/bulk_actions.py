"""Bulk actions that move the selected entries to another status, each move checked and recorded like one
made in the change form."""

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from reversion import create_revision, set_comment, set_user

from cases.core.models import Status
from cases.core.public_versions import public_change
from cases.curation import workflow

# What each action reports, whole sentences so that a translation can order them its own way: moved, refused
# (with the reason), nothing to do.
DONE = {
    "published": (
        _("%(count)s %(entries)s published."),
        _("Not published: %(reason)s"),
        _("Nothing changed: the selected entries were already published."),
    ),
    "sent to review": (
        _("%(count)s %(entries)s sent to review."),
        _("Not sent to review: %(reason)s"),
        _("Nothing changed: the selected entries were already sent to review."),
    ),
    "returned to draft": (
        _("%(count)s %(entries)s returned to draft."),
        _("Not returned to draft: %(reason)s"),
        _("Nothing changed: the selected entries were already returned to draft."),
    ),
    "withdrawn": (
        _("%(count)s %(entries)s withdrawn."),
        _("Not withdrawn: %(reason)s"),
        _("Nothing changed: the selected entries were already withdrawn."),
    ),
}


class BulkStatusActionsMixin:
    """Publish, send to review, return to draft, withdraw; publishing and withdrawing need the publish right."""

    # Django asks has_<name>_permission for an action declared with permissions=["<name>"].
    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def _move(self, request, queryset, target, done):
        moved, refused = 0, []
        for obj in queryset.exclude(status=target):
            try:
                with transaction.atomic(), create_revision(), public_change(request.user):
                    set_user(request.user)
                    set_comment(f"Status set to “{Status(target).label}” by a bulk action.")
                    workflow.transition(obj, target, request.user, note="Bulk action")
                    self.log_change(request, obj, f"Status set to “{Status(target).label}” by a bulk action.")
                moved += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{obj}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        moved_message, refused_message, unchanged_message = DONE[done]
        if moved:
            self.message_user(
                request,
                moved_message % {"count": moved, "entries": model_ngettext(self.opts, moved)},
                level=messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, refused_message % {"reason": reason}, level=messages.ERROR)
        if not moved and not refused:
            self.message_user(request, unchanged_message)

    @admin.action(description=_("Publish selected %(verbose_name_plural)s"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._move(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description=_("Send selected %(verbose_name_plural)s to review"), permissions=["change"])
    def send_to_review(self, request, queryset):
        self._move(request, queryset, Status.REVIEW, "sent to review")

    @admin.action(description=_("Return selected %(verbose_name_plural)s to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._move(request, queryset, Status.DRAFT, "returned to draft")

    @admin.action(description=_("Withdraw selected %(verbose_name_plural)s"), permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        self._move(request, queryset, Status.WITHDRAWN, "withdrawn")
