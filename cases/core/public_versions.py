"""Public versions: each state of a published entry that the public saw, numbered, dated and kept as shown.

A version is made only when what the public sees of an entry changes: when it is published, and when a change to
it goes live (a senior curator's save, or an approved change). Drafts, entries in review and changes waiting for
approval never make one. A withdrawal is recorded too, as a change without content, so the change log can say so.

The rows are written by cases/keeping/versions.py when the transaction commits; this module is the ground floor's
part: the model, the one queryset method entry pages use to show their version at no extra query, and the note
the admin hands to the recorder.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# (user, public note) of the change being saved in this context: set by the admin (change form, approval, bulk
# actions) around a save, read by the recorder's signal receivers while the rows are saved.
PUBLIC_CHANGE = ContextVar("archive_public_change", default=None)


@contextmanager
def public_change(user, note=""):
    """Attribute the public changes saved inside the block to `user`, with `note` for the change log."""
    token = PUBLIC_CHANGE.set((user, note or ""))
    try:
        yield
    finally:
        PUBLIC_CHANGE.reset(token)


class ChangeKind(models.TextChoices):
    PUBLISHED = "published", _("Published")
    CHANGED = "changed", _("Changed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublicVersionQuerySet(models.QuerySet):
    def for_model(self, model):
        meta = model._meta.concrete_model._meta
        return self.filter(content_type__app_label=meta.app_label, content_type__model=meta.model_name)

    def for_object(self, obj):
        return self.for_model(type(obj)).filter(object_id=obj.pk)

    def numbered(self):
        """Versions with content (not withdrawals)."""
        return self.filter(number__isnull=False)


class PublicVersion(models.Model):
    """One public state of an entry: its number, when it went live, who approved it and the note the public reads,
    and the entry's page as it was then (`content`: the page's main region, rendered as the public saw it).

    Why the rendered page rather than the serialised rows: a page shows more than its entry's own fields and rows
    (the names of the organisations in its roles, the titles of positions and sources, glossary links, what the
    gate hid), so only the page as rendered then is the entry "exactly as published". django-reversion keeps the
    serialised rows for curators (undo, compare); this keeps what a reader saw and may have cited.

    A withdrawal is a row without number or content: the public learns that the entry left, never its old text.
    `content` is null for a version whose page is still to be rendered (the versions a migration or a fixture load
    creates, filled in when their transaction commits: cases/keeping/versions.py).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField(null=True, blank=True)
    change = models.CharField(max_length=10, choices=ChangeKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    title = models.CharField(max_length=500, help_text="What the public saw the entry called.")
    slug = models.SlugField(max_length=120, help_text="The address it had.")
    note = models.CharField(
        max_length=300, blank=True, help_text="The public note of the curator who published or approved it."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content = models.TextField(null=True, blank=True)  # noqa: DJ001 - null: not rendered yet, unlike an empty page
    stylesheets = models.JSONField(default=list, blank=True, help_text="The page's own stylesheets (static paths).")

    objects = PublicVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "number"], name="publicversion_entry")]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "number"], name="publicversion_unique"),
            models.CheckConstraint(
                condition=Q(change="withdrawn", number__isnull=True) | (~Q(change="withdrawn") & Q(number__gte=1)),
                name="publicversion_numbered_unless_withdrawn",
            ),
        ]

    def __str__(self):
        return f"{self.title}: {self.get_change_display()}" + (f" (v{self.number})" if self.number else "")

    @property
    def kind_label(self):
        from cases.core import registry

        kind = registry.kind_for(self.content_type.model_class())
        return kind.label if kind else ""

    @property
    def summary(self):
        """ "version 2", or "withdrawn"."""
        if self.number is None:
            return str(_("withdrawn"))
        return str(_("version %(number)s")) % {"number": self.number}

    @property
    def public_note(self):
        """The curator's public note, or what the change was when none was written."""
        if self.note:
            return self.note
        if self.change == ChangeKind.WITHDRAWN:
            return str(_("Withdrawn from the archive."))
        if self.change == ChangeKind.CHANGED:
            return str(_("Corrected or updated."))
        return str(_("First published.") if self.number == 1 else _("Published again."))

    @property
    def entry_url(self):
        from cases.core import registry

        kind = registry.kind_for(self.content_type.model_class())
        return reverse(kind.url_name, kwargs={"slug": self.slug}) if kind else ""

    @property
    def url(self):
        """The version's permanent address, or "" for a withdrawal."""
        return f"{self.entry_url}v/{self.number}/" if self.number else ""


def public_version_annotations(model):
    """{name: Subquery}: the number and date of an entry's latest public version, read with the entry itself."""
    latest = PublicVersion.objects.for_model(model).numbered().filter(object_id=OuterRef("pk")).order_by("-number")
    return {
        "public_version": Subquery(latest.values("number")[:1]),
        "public_changed_at": Subquery(latest.values("at")[:1]),
    }
