"""The approval page: changes waiting for a senior curator, each with its differences, a preview and one-click
Approve / Reject (see cases/curation/review.py). Curators see them; only senior curators decide."""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.curation import preview, review, workflow
from cases.curation.admin_mixins import LogAdminMixin
from cases.curation.models import PendingRevision, PendingRevisionState


class StateFilter(admin.SimpleListFilter):
    """Waiting changes first: the list opens on them."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*PendingRevisionState.choices, ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or PendingRevisionState.PENDING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or PendingRevisionState.PENDING
        return queryset if value == "all" else queryset.filter(state=value)


def _entry_change_url(pending):
    try:
        return reverse(
            f"admin:{pending.content_type.app_label}_{pending.content_type.model}_change",
            args=[quote(pending.object_id)],
        )
    except NoReverseMatch:
        return None


@admin.register(PendingRevision)
class PendingRevisionAdmin(LogAdminMixin, admin.ModelAdmin):
    list_display = ("proposed_at", "entry_link", "content_type", "summary", "proposed_by", "state", "decided_by")
    list_filter = (StateFilter, "content_type", ("proposed_by", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("content_type", "proposed_by", "decided_by")
    search_fields = ("object_repr", "summary", "note", "proposed_by__username")
    list_per_page = 100

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="curation_pendingrevision_preview",
            ),
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="curation_pendingrevision_decide",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("Entry"), ordering="object_repr")
    def entry_link(self, obj):
        url = reverse("admin:curation_pendingrevision_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.object_repr)

    def _pending_and_admin(self, request, pk):
        pending = get_object_or_404(PendingRevision.objects.select_related("content_type", "proposed_by"), pk=pk)
        if not self.has_view_permission(request, pending):
            raise PermissionDenied
        model_admin = review.model_admin_for(pending)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise PermissionDenied
        return pending, model_admin

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page: what approving would change in the entry as it is now, and the buttons."""
        try:
            pk = int(unquote(object_id))
        except ValueError as error:
            raise Http404 from error
        pending, model_admin = self._pending_and_admin(request, pk)
        result = review.review(model_admin, request, pending) if pending.is_pending else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Change to “%(entry)s”") % {"entry": pending.object_repr},
            "subtitle": None,
            "pending": pending,
            "result": result,
            "may_decide": pending.is_pending and workflow.can_publish(request.user),
            "proposed_public_note": (pending.data.get("public_note") or [""])[-1],
            "entry_url": _entry_change_url(pending),
            "history_url": _entry_change_url(pending) and f"{_entry_change_url(pending)}history/",
        }
        return TemplateResponse(request, "curation/pending_review.html", context)

    def decide_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        pending, model_admin = self._pending_and_admin(request, pk)
        review_url = reverse("admin:curation_pendingrevision_change", args=[pending.pk])
        if not pending.is_pending:
            self.message_user(request, gettext("This change was already decided."), messages.WARNING)
            return HttpResponseRedirect(review_url)
        proposer = pending.proposed_by.get_username() if pending.proposed_by_id else gettext("a curator")
        names = {"entry": pending.object_repr, "proposer": proposer}
        if "_approve" in request.POST:
            result = review.approve(model_admin, request, pending, request.POST.get("public_note", "")[:300])
            if result.errors:
                self.message_user(
                    request, gettext("Not approved: %(errors)s") % {"errors": " ".join(result.errors)}, messages.ERROR
                )
                return HttpResponseRedirect(review_url)
            done = gettext("Approved: the change to “%(entry)s” by %(proposer)s is now public.") % names
            self.message_user(request, done, messages.SUCCESS)
        elif "_reject" in request.POST:
            review.reject(request, pending, request.POST.get("note", ""))
            self.message_user(request, gettext("Rejected: the change to “%(entry)s” by %(proposer)s.") % names)
        else:
            return HttpResponseRedirect(review_url)
        return HttpResponseRedirect(reverse("admin:curation_pendingrevision_changelist"))

    def preview_view(self, request, pk):
        pending, model_admin = self._pending_and_admin(request, pk)
        review_url = reverse("admin:curation_pendingrevision_change", args=[pending.pk])
        if not pending.is_pending or not preview.may_preview(request.user, model_admin.model):
            raise Http404("No such preview.")
        proposer = pending.proposed_by.get_username() if pending.proposed_by_id else gettext("a curator")

        def banner(obj):
            return preview.PreviewInfo(
                kind=obj._meta.verbose_name,
                status_label="",
                is_published=True,
                admin_url=review_url,
                note=gettext(
                    "This page shows the change to “%(entry)s” that %(proposer)s proposed, waiting for a "
                    "senior curator's approval; the public sees the page without it."
                )
                % {"entry": pending.object_repr, "proposer": proposer},
            )

        page, errors = review.preview(model_admin, request, pending, banner)
        if page is None:
            self.message_user(
                request, gettext("No preview: %(errors)s") % {"errors": " ".join(errors)}, messages.WARNING
            )
            return HttpResponseRedirect(review_url)
        page["X-Robots-Tag"] = "noindex, nofollow"
        page["Cache-Control"] = "private, no-store"
        return page
