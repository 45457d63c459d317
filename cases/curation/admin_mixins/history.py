"""Revision history in the admin: django-reversion's history (revert, recover deleted) plus a page comparing two
versions of an entry field by field."""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from reversion.admin import VersionAdmin
from reversion.models import Version

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
                messages.info(request, gettext("There is only one version of this entry: nothing to compare yet."))
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
            "title": gettext("Differences between versions of “%(entry)s”") % {"entry": obj},
            "subtitle": None,
            **extra,
        }
