"""Teaching: instructors' reading lists, shared with students by link, and discussion questions for cases."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cases.core import registry
from cases.core.gate import is_public
from cases.core.models import Curated, CuratedQuerySet, Source
from cases.interventions.models import Intervention
from cases.organisations.models import Organisation
from cases.scholarship.models import Concept, Position

# The columns of ReadingListItem that point to an archive entry, one per kind a list can hold. The position field
# is "position_entry" because an item's "position" is its place in the list.
ITEM_FIELDS = ["intervention", "position_entry", "source", "organisation", "concept"]


def entry_kinds():
    """{kind key: (field on ReadingListItem, model, label)} for every registered kind that reading lists may hold.

    The registry says which kinds may be on a list (`reading_lists`); each needs its column here, which a system
    check (cases/teaching/checks.py) asks for by name.
    """
    kinds = {}
    for kind in registry.kinds():
        if not kind.reading_lists:
            continue
        field = item_field_for(kind.model_class)
        if field is not None:
            kinds[kind.key] = (field, kind.model_class, kind.label)
    return kinds


def item_field_for(model):
    for name in ITEM_FIELDS:
        if ReadingListItem._meta.get_field(name).related_model is model:
            return name
    return None


def exactly_one_of(fields):
    """Q: exactly one of `fields` is set."""
    condition = models.Q()
    for chosen in fields:
        case = models.Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                case &= models.Q(**{f"{other}__isnull": True})
        condition |= case
    return condition


def kind_of(obj):
    """The entry kind ("case", "source"...) of an archive object, or None."""
    for kind, (_field, model, _label) in entry_kinds().items():
        if isinstance(obj, model):
            return kind
    return None


def new_share_token():
    # 32 random bytes, URL-safe: about 43 characters, not guessable and not enumerable.
    return secrets.token_urlsafe(32)


class DiscussionQuestion(Curated):
    """A question for a class discussion of a case, curated and published like every other entry.

    Questions ask about what the case page states; they never assert new facts.
    """

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="discussion_questions")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order of the question on the case page.")
    text = models.TextField(help_text="The question, as students will read it.")

    objects = CuratedQuerySet.as_manager()

    class Meta:
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

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_lists")
    title = models.CharField(max_length=200)
    course = models.CharField(max_length=200, blank=True, help_text="e.g. SOC 214: Labour and the state in China")
    description = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    shared_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReadingListQuerySet.as_manager()

    class Meta:
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


class ReadingListItem(models.Model):
    """One entry of a reading list: exactly one archive entry, its place in the list, and the instructor's notes."""

    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=1)
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    position_entry = models.ForeignKey(Position, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True, help_text="What students should look for.")
    pages = models.CharField(max_length=200, blank=True, help_text="Sections or pages to read, e.g. pp. 664–668.")
    questions = models.ManyToManyField(DiscussionQuestion, blank=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=exactly_one_of(ITEM_FIELDS), name="readinglistitem_exactly_one_entry"),
            *[
                models.UniqueConstraint(fields=["reading_list", field], name=f"readinglistitem_unique_{field}")
                for field in ITEM_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.position}. {self.entry}"

    @property
    def entry(self):
        """The archive entry this item points to."""
        for field in ITEM_FIELDS:
            value = getattr(self, field)
            if value is not None:
                return value
        return None

    @property
    def kind(self):
        return kind_of(self.entry)

    @property
    def kind_label(self):
        return entry_kinds()[self.kind][2] if self.kind else ""

    @property
    def is_available(self):
        """Whether students may see the entry: only published entries appear on a shared list."""
        return is_public(self.entry)

    def clean(self):
        if sum(getattr(self, f"{field}_id") is not None for field in ITEM_FIELDS) != 1:
            raise ValidationError("A reading list item points to exactly one archive entry.")


class SupportAccess(models.Model):
    """A staff account opening a reading list it does not own, in the admin, for support work."""

    class Action(models.TextChoices):
        LIST = "list", "listed"
        VIEW = "view", "viewed"
        CHANGE = "change", "changed"
        DELETE = "delete", "deleted"

    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    username = models.CharField(max_length=150, help_text="Kept when the account is deleted.")
    action = models.CharField(max_length=10, choices=Action.choices)
    reading_list = models.ForeignKey(ReadingList, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    list_title = models.CharField(max_length=200, blank=True)
    owner_username = models.CharField(max_length=150, blank=True)
    path = models.CharField(max_length=500)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "support accesses"

    def __str__(self):
        return f"{self.username} {self.get_action_display()} {self.list_title or 'reading lists'}"
