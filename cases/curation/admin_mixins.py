"""What every archive admin gets from curation: revision history with readable differences, and for curated
entries the workflow (checked transitions, the status log panel, preview links, bulk actions)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext, quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from reversion import create_revision, set_comment, set_user
from reversion.admin import VersionAdmin
from reversion.models import Version

from cases.core.models import Status
from cases.curation import preview, workflow
from cases.curation.models import StatusChange
from cases.curation.versions import compare


class HistoryAdminMixin(VersionAdmin):
    """django-reversion's history (revert, recover deleted) plus a page comparing two versions field by field."""

    object_history_template = "curation/object_history.html"
    history_latest_first = True

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        compare_url = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="{}_{}_compare".format(*info),
        )
        return [compare_url, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        versions = list(
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision", "revision__user")
            .order_by("-pk")
        )
        compare_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_compare", args=[quote(unquote(object_id))])
        action_list = []
        for index, version in enumerate(versions):
            older = versions[index + 1] if index + 1 < len(versions) else None
            action_list.append(
                {
                    "revision": version.revision,
                    "url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_revision",
                        args=[quote(version.object_id), version.pk],
                    ),
                    # Each version compared with the one saved before it.
                    "compare_url": f"{compare_url}?old={older.pk}&new={version.pk}" if older else "",
                }
            )
        return super().history_view(request, object_id, {"action_list": action_list, **(extra_context or {})})

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = Version.objects.get_for_object(obj).select_related("revision", "revision__user")
        try:
            old = versions.get(pk=int(request.GET.get("old", "")))
            new = versions.get(pk=int(request.GET.get("new", "")))
        except (ValueError, Version.DoesNotExist):
            old = new = None
        if old is None:
            all_versions = list(versions.order_by("-pk")[:2])
            if len(all_versions) < 2:
                messages.info(request, "There is only one version of this entry: nothing to compare yet.")
                return TemplateResponse(request, "curation/compare.html", self._compare_context(request, obj))
            new, old = all_versions
        context = self._compare_context(request, obj, old=old, new=new, changes=compare(old, new))
        return TemplateResponse(request, "curation/compare.html", context)

    def _compare_context(self, request, obj, **extra):
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request),
            "opts": opts,
            "object": obj,
            "title": f"Differences between versions of “{obj}”",
            "subtitle": None,
            **extra,
        }


class WorkflowAdminMixin:
    """The publication workflow in the admin: every status change goes through cases.curation.workflow."""

    workflow_readonly_fields = ("preview_link", "workflow_history")
    # Adds "Preview" beside "History" for entries not yet published ("View on site" for published ones).
    change_form_template = "curation/change_form.html"

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    # --- The change form -----------------------------------------------------------------------------------

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

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.workflow_readonly_fields)

    @staticmethod
    def _public_url(obj):
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:
            return None

    @staticmethod
    def preview_url(obj):
        try:
            return reverse(preview.url_name(type(obj)), kwargs={"slug": obj.slug})
        except NoReverseMatch:
            return None

    def view_on_site(self, obj):
        # Drafts are not public: a link to them would only lead to a 404 (the preview link is for them).
        return self._public_url(obj) if obj.is_published else None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not obj.is_published:
            context["preview_url"] = self.preview_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _link(url, text):
        return format_html('<a href="{}">{}</a>', url, text) if url else "—"

    @admin.display(description="Public page")
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return "Save the entry to preview it."
        preview_url = self.preview_url(obj)
        if obj.is_published:
            return format_html(
                "{} · {}", self._link(self._public_url(obj), "View on site"), self._link(preview_url, "Preview")
            )
        return format_html(
            "{} (as the public page will look once published; the public sees nothing yet)",
            self._link(preview_url, "Preview this entry"),
        )

    @admin.display(description="Workflow history")
    def workflow_history(self, obj):
        if obj is None or obj.pk is None:
            return "Not saved yet."
        changes = StatusChange.objects.for_object(obj).select_related("user")[:50]
        if not changes:
            return "No change of status recorded."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    c.at.strftime("%Y-%m-%d %H:%M UTC"),
                    c.get_from_status_display() or "created",
                    c.get_to_status_display(),
                    c.user.get_username() if c.user else "—",
                    c.note,
                )
                for c in changes
            ),
        )
        log_url = reverse("admin:curation_statuschange_changelist")
        return format_html(
            '<table class="workflow-history"><thead><tr><th scope="col">When</th><th scope="col">Move</th>'
            '<th scope="col">Who</th><th scope="col">Note</th></tr></thead><tbody>{}</tbody></table>'
            '<p><a href="{}?content_type__id__exact={}&amp;object_id={}">All status changes of this entry</a></p>',
            rows,
            log_url,
            ContentType.objects.get_for_model(obj).pk,
            obj.pk,
        )

    # --- Bulk actions --------------------------------------------------------------------------------------

    def _move(self, request, queryset, target, done):
        moved, refused = 0, []
        for obj in queryset.exclude(status=target):
            try:
                with transaction.atomic(), create_revision():
                    set_user(request.user)
                    set_comment(f"Status set to “{Status(target).label}” by a bulk action.")
                    workflow.transition(obj, target, request.user, note="Bulk action")
                    self.log_change(request, obj, f"Status set to “{Status(target).label}” by a bulk action.")
                moved += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{obj}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        if moved:
            self.message_user(request, f"{moved} {model_ngettext(self.opts, moved)} {done}.", level=messages.SUCCESS)
        for reason in refused:
            self.message_user(request, f"Not {done}: {reason}", level=messages.ERROR)
        if not moved and not refused:
            self.message_user(request, f"Nothing changed: the selected entries were already {done}.")

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._move(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description="Send selected %(verbose_name_plural)s to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self._move(request, queryset, Status.REVIEW, "sent to review")

    @admin.action(description="Return selected %(verbose_name_plural)s to draft", permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._move(request, queryset, Status.DRAFT, "returned to draft")

    @admin.action(description="Withdraw selected %(verbose_name_plural)s", permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        self._move(request, queryset, Status.WITHDRAWN, "withdrawn")
