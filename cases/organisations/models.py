"""Organisations (LNGOs, unions, state bodies, companies...) and their relations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from cases.core.chinese import ChineseName
from cases.core.models import Curated, CuratedQuerySet, KeyedManager, Place, Source, keyed_natural_key


class OrgKind(models.TextChoices):
    LNGO = "lngo", "Labour NGO"
    OFFICIAL_UNION = "official_union", "Official union"
    INTERNATIONAL_UNION = "international_union", "International or foreign union"
    INTERNATIONAL_NGO = "international_ngo", "International NGO"
    STATE = "state", "State body"
    PARTY = "party", "Political party"
    COMPANY = "company", "Company"
    BUSINESS_ASSOCIATION = "business_association", "Business association"
    UNIVERSITY = "university", "University"
    NETWORK = "network", "Network or alliance"
    MEDIA = "media", "Media or publisher"
    GROUP = "group", "Group of organisations"
    # The sources name the organisation without saying what kind of body it is: the archive does not guess.
    NOT_STATED = "not_stated", "Kind not stated in the sources"


class Base(models.TextChoices):
    HONG_KONG = "hong_kong", "Hong Kong"
    MAINLAND = "mainland", "Mainland China"
    INTERNATIONAL = "international", "Outside China"
    UNKNOWN = "unknown", "Unknown"


class OrganisationQuerySet(CuratedQuerySet):
    """Public reads start from published(); the page-shaped queries live in selectors.py."""


class Organisation(Curated, ChineseName):
    """An organisation the sources name, as they name it.

    `is_pseudonym` marks names the authors chose to hide an organisation (HKA, HKB, HKC, GMA):
    the archive keeps them and never guesses the real organisation. `is_unnamed` marks entries
    standing for an organisation the source refers to without naming it.
    """

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True, help_text="Abbreviation, e.g. ACFTU.")
    kind = models.CharField(max_length=24, choices=OrgKind.choices)
    base = models.CharField(max_length=16, choices=Base.choices, default=Base.UNKNOWN)
    base_place = models.ForeignKey(Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    is_pseudonym = models.BooleanField(default=False)
    is_unnamed = models.BooleanField(default=False, help_text="The source refers to it without naming it.")
    summary = models.TextField(help_text="What the sources say of it (Markdown).")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="organisations")
    locator = models.CharField(max_length=200, help_text="Page or section where the source says so.")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~models.Q(locator=""), name="organisation_has_locator")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation_detail", args=[self.slug])

    @property
    def label(self):
        return f"{self.name} ({self.short_name})" if self.short_name and self.short_name != self.name else self.name


class RelationKind(models.TextChoices):
    PARTNER = "partner", "partner of"
    FUNDER = "funder", "funded"
    ALLY = "ally", "allied with"
    TARGET = "target", "targeted"
    MEMBER = "member", "member of"
    ESTABLISHED = "established", "established"
    CONNECTED = "connected", "connected to"
    SUPERVISES = "supervises", "supervises"
    PUBLISHED = "published", "published"


class OrganisationRelation(models.Model):
    """A directed relation between two organisations, with the source that states it."""

    subject = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relations_out")
    kind = models.CharField(max_length=16, choices=RelationKind.choices)
    object = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relations_in")
    description = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    locator = models.CharField(max_length=200)

    objects = KeyedManager("subject", "kind", "object")

    class Meta:
        ordering = ["subject__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "kind", "object"], name="orgrelation_unique"),
            models.CheckConstraint(condition=~models.Q(subject=models.F("object")), name="orgrelation_not_self"),
            models.CheckConstraint(condition=~models.Q(locator=""), name="orgrelation_has_locator"),
        ]

    def __str__(self):
        return f"{self.subject} {self.get_kind_display()} {self.object}"

    def clean(self):
        if self.subject_id is not None and self.subject_id == self.object_id:
            raise ValidationError({"object": "An organisation cannot be related to itself: choose the other one."})

    natural_key = keyed_natural_key
