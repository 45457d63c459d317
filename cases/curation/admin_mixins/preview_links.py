"""Links from the admin to an entry's public page, and to its preview while it is not published."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.curation import preview


class PreviewLinksMixin:
    """A "View on site" link for published entries and a "Preview" link for the others."""

    # Adds "Preview" beside "History" for entries not yet published ("View on site" for published ones).
    change_form_template = "curation/change_form.html"

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

    @admin.display(description=_("Public page"))
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Save the entry to preview it.")
        preview_url = self.preview_url(obj)
        if obj.is_published:
            return format_html(
                "{} · {}",
                self._link(self._public_url(obj), gettext("View on site")),
                self._link(preview_url, gettext("Preview")),
            )
        return format_html(
            gettext("{} (as the public page will look once published; the public sees nothing yet)"),
            self._link(preview_url, gettext("Preview this entry")),
        )
