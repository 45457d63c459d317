"""Teaching: instructors' reading lists, shared with students by link, and discussion questions for cases."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from cases.core import registry
from cases.core.models import Curated, CuratedQuerySet
from cases.interventions.models import Intervention

# A plain string (tests and templates compare with it); translated where it is shown.
GONE = gettext_noop("An entry the archive no longer publishes")


def listable_kinds():
    """{content type id: EntryKind} of every registered kind that reading lists may hold (`reading_lists=True`).

    Content types come from Django's per-process cache: one query the first time, none after.
    """
    kinds = [kind for kind in registry.kinds() if kind.reading_lists]
    types = ContentType.objects.get_for_models(*[kind.model_class for kind in kinds])
    return {types[kind.model_class].pk: kind for kind in kinds}


def listable_kind(content_type_id):
    """The EntryKind of a content type if reading lists may hold it, else None."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    kind = registry.kind_for(model) if model is not None else None
    return kind if kind is not None and kind.reading_lists else None


def kind_of(obj):
    """The key ("case", "source"...) of an archive entry's kind if reading lists may hold it, else None."""
    kind = registry.kind_for(obj)
    return kind.key if kind is not None and kind.reading_lists else None


def new_share_token():
    # 32 random bytes, URL-safe: about 43 characters, not guessable and not enumerable.
    return secrets.token_urlsafe(32)


class DiscussionQuestion(Curated):
    """A question for a class discussion of a case, curated and published like every other entry.

    Questions ask about what the case page states; they never assert new facts.
    """

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="discussion_questions", verbose_name=_("intervention")
    )
    position = models.PositiveSmallIntegerField(
        default=1, help_text=_("Order of the question on the case page."), verbose_name=_("position")
    )
    text = models.TextField(help_text=_("The question, as students will read it."), verbose_name=_("text"))

    objects = CuratedQuerySet.as_manager()

    class Meta:
        verbose_name = _("discussion question")
        verbose_name_plural = _("discussion questions")
        ordering = ["intervention", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="discussion_question_has_text"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self):
        return self.intervention.get_absolute_url() + "#discussion"


class ReadingListQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The only way views read lists: an instructor sees and changes only their own."""
        return self.filter(owner=user)

    def active(self):
        return self.filter(archived=False)


class ReadingList(models.Model):
    """An instructor's reading list for a course: ordered archive entries with notes and questions.

    `share_token` is the secret in the list's share link; it is empty (NULL) while the list is not shared,
    and a new one replaces it when the link is renewed, so old links stop working at once.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_lists", verbose_name=_("owner")
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    course = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("e.g. SOC 214: Labour and the state in China"),
        verbose_name=_("course"),
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    due_date = models.DateField(null=True, blank=True, verbose_name=_("due date"))
    archived = models.BooleanField(default=False, verbose_name=_("archived"))
    share_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False, verbose_name=_("share token")
    )
    shared_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("shared at"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    updated_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("updated at"))

    objects = ReadingListQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading list")
        verbose_name_plural = _("reading lists")
        ordering = ["archived", "-updated_at", "pk"]
        indexes = [models.Index(fields=["owner", "archived"], name="readinglist_owner_archived")]
        # Lists belong to their owner everywhere; this separate permission (in no role) opens others' lists in the
        # admin for support work, and every such opening is written to SupportAccess.
        permissions = [("support_readinglist", "Can open any instructor's reading lists for support (logged)")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("teaching:list_detail", args=[self.pk])

    def get_share_url(self):
        return reverse("teaching:shared", args=[self.share_token]) if self.share_token else ""

    @property
    def is_shared(self):
        return bool(self.share_token)


class ReadingListItemQuerySet(models.QuerySet):
    def kept(self):
        """The items on the list: what every page, export and copy of the list reads."""
        return self.filter(removed_at__isnull=True)

    def removed(self):
        """Items taken off the list and kept, with their notes and questions, so that the removal can be undone."""
        return self.filter(removed_at__isnull=False)


class ReadingListItem(models.Model):
    """One entry of a reading list: an archive entry of any kind the registry lets lists hold, its place in the
    list, and the instructor's notes.

    The entry is referred to by content type and id, so a new kind needs no column here. Deleting an entry leaves
    its items in place: they show as no longer published (as a withdrawn entry's do), keep the instructor's notes,
    and come back if the entry is recovered from the history with its id.

    `entry` loads the entry whatever its state, for staff and for writes. Pages read `published_entry`, which the
    selectors fill through the gate: an entry the public may not see is None there, so its title is never shown.
    """

    reading_list = models.ForeignKey(
        ReadingList, on_delete=models.CASCADE, related_name="items", verbose_name=_("reading list")
    )
    position = models.PositiveIntegerField(default=1, verbose_name=_("position"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("object id"))
    entry = GenericForeignKey("content_type", "object_id")
    note = models.TextField(blank=True, help_text=_("What students should look for."), verbose_name=_("note"))
    pages = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Sections or pages to read, e.g. pp. 664–668."),
        verbose_name=_("pages"),
    )
    questions = models.ManyToManyField(DiscussionQuestion, blank=True, related_name="+", verbose_name=_("questions"))
    own_questions = models.TextField(
        blank=True,
        help_text=_(
            "The instructor's own questions for this item, one per line: plain text, shown on the list, the "
            "shared page and the handout, never elsewhere."
        ),
        verbose_name=_("own questions"),
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("added at"))
    # Set when the item is removed from its list: it is kept (notes, questions) until the removal is undone or the
    # list is deleted, and every read of the list leaves it out.
    removed_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("removed at"))

    objects = ReadingListItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading list item")
        verbose_name_plural = _("reading list items")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reading_list", "content_type", "object_id"], name="readinglistitem_unique_entry"
            ),
        ]

    def __str__(self):
        kind = self.kind_label or "Entry"
        return f"{self.position}. {kind} #{self.object_id}"

    @property
    def own_question_list(self):
        """The instructor's own questions, one per non-empty line."""
        return [line.strip() for line in self.own_questions.splitlines() if line.strip()]

    @property
    def is_removed(self):
        return self.removed_at is not None

    @property
    def listed_kind(self):
        return listable_kind(self.content_type_id) if self.content_type_id else None

    @property
    def kind(self):
        kind = self.listed_kind
        return kind.key if kind else ""

    @property
    def kind_label(self):
        kind = self.listed_kind
        return kind.label if kind else ""

    @property
    def published_entry(self):
        """The entry if the public may see it, else None. Filled by selectors.with_published_entries()."""
        try:
            return self._published_entry
        except AttributeError:
            raise AttributeError(
                "Read reading list items through cases.teaching.selectors, which fill published_entry."
            ) from None

    @published_entry.setter
    def published_entry(self, value):
        self._published_entry = value

    @property
    def is_available(self):
        """Whether students may see the entry: only published entries appear on a shared list."""
        return self.published_entry is not None

    @property
    def label(self):
        """How the item is named to its owner: the entry, or that it is no longer published (never its title)."""
        return str(self.published_entry) if self.is_available else gettext(GONE)


class SupportAccess(models.Model):
    """A staff account opening a reading list it does not own, in the admin, for support work."""

    class Action(models.TextChoices):
        LIST = "list", _("listed")
        VIEW = "view", _("viewed")
        CHANGE = "change", _("changed")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True, verbose_name=_("at"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(
        max_length=150, help_text=_("Kept when the account is deleted."), verbose_name=_("username")
    )
    action = models.CharField(max_length=10, choices=Action.choices, verbose_name=_("action"))
    reading_list = models.ForeignKey(
        ReadingList, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("reading list")
    )
    list_title = models.CharField(max_length=200, blank=True, verbose_name=_("list title"))
    owner_username = models.CharField(max_length=150, blank=True, verbose_name=_("owner username"))
    path = models.CharField(max_length=500, verbose_name=_("path"))

    class Meta:
        verbose_name = _("support access")
        ordering = ["-at", "-pk"]
        verbose_name_plural = _("support accesses")

    def __str__(self):
        return f"{self.username} {self.get_action_display()} {self.list_title or 'reading lists'}"
