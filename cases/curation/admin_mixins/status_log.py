"""The status log panel of the change form: the entry's recent status changes and a link to all of them."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.curation.models import StatusChange


class StatusLogMixin:
    """A read-only "Workflow history" field listing the entry's status changes."""

    @admin.display(description=_("Workflow history"))
    def workflow_history(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Not saved yet.")
        changes = StatusChange.objects.for_object(obj).select_related("user")[:50]
        if not changes:
            return gettext("No change of status recorded.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    c.at.strftime("%Y-%m-%d %H:%M UTC"),
                    c.get_from_status_display() or gettext("created"),
                    c.get_to_status_display(),
                    c.user.get_username() if c.user else "—",
                    c.note,
                )
                for c in changes
            ),
        )
        log_url = reverse("admin:curation_statuschange_changelist")
        return format_html(
            '<table class="workflow-history"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>'
            '<p><a href="{}?content_type__id__exact={}&amp;object_id={}">{}</a></p>',
            gettext("When"),
            gettext("Move"),
            gettext("Who"),
            gettext("Note"),
            rows,
            log_url,
            ContentType.objects.get_for_model(obj).pk,
            obj.pk,
            gettext("All status changes of this entry"),
        )
