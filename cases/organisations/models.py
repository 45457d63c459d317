"""Organisations (LNGOs, unions, state bodies, companies...) and their relations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.core.chinese import ChineseName
from cases.core.models import Curated, CuratedQuerySet, KeyedManager, Place, Source, keyed_natural_key


class OrgKind(models.TextChoices):
    LNGO = "lngo", _("Labour NGO")
    OFFICIAL_UNION = "official_union", _("Official union")
    INTERNATIONAL_UNION = "international_union", _("International or foreign union")
    INTERNATIONAL_NGO = "international_ngo", _("International NGO")
    STATE = "state", _("State body")
    PARTY = "party", _("Political party")
    COMPANY = "company", _("Company")
    BUSINESS_ASSOCIATION = "business_association", _("Business association")
    UNIVERSITY = "university", _("University")
    NETWORK = "network", _("Network or alliance")
    MEDIA = "media", _("Media or publisher")
    GROUP = "group", _("Group of organisations")
    # The sources name the organisation without saying what kind of body it is: the archive does not guess.
    NOT_STATED = "not_stated", _("Kind not stated in the sources")


class Base(models.TextChoices):
    HONG_KONG = "hong_kong", _("Hong Kong")
    MAINLAND = "mainland", _("Mainland China")
    INTERNATIONAL = "international", _("Outside China")
    UNKNOWN = "unknown", _("Unknown")


class OrganisationQuerySet(CuratedQuerySet):
    """Public reads start from published(); the page-shaped queries live in selectors.py."""


class Organisation(Curated, ChineseName):
    """An organisation the sources name, as they name it.

    `is_pseudonym` marks names the authors chose to hide an organisation (HKA, HKB, HKC, GMA):
    the archive keeps them and never guesses the real organisation. `is_unnamed` marks entries
    standing for an organisation the source refers to without naming it.
    """

    name = models.CharField(max_length=200, verbose_name=_("name"))
    short_name = models.CharField(
        max_length=40, blank=True, help_text=_("Abbreviation, e.g. ACFTU."), verbose_name=_("short name")
    )
    kind = models.CharField(max_length=24, choices=OrgKind.choices, verbose_name=_("kind"))
    base = models.CharField(max_length=16, choices=Base.choices, default=Base.UNKNOWN, verbose_name=_("base"))
    base_place = models.ForeignKey(
        Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("base place")
    )
    is_pseudonym = models.BooleanField(default=False, verbose_name=_("is pseudonym"))
    is_unnamed = models.BooleanField(
        default=False, help_text=_("The source refers to it without naming it."), verbose_name=_("is unnamed")
    )
    summary = models.TextField(help_text=_("What the sources say of it (Markdown)."), verbose_name=_("summary"))
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("source")
    )
    locator = models.CharField(
        max_length=200, help_text=_("Page or section where the source says so."), verbose_name=_("locator")
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
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
    PARTNER = "partner", _("partner of")
    FUNDER = "funder", _("funded")
    ALLY = "ally", _("allied with")
    TARGET = "target", _("targeted")
    MEMBER = "member", _("member of")
    ESTABLISHED = "established", _("established")
    CONNECTED = "connected", _("connected to")
    SUPERVISES = "supervises", _("supervises")
    PUBLISHED = "published", _("published")


class OrganisationRelation(models.Model):
    """A directed relation between two organisations, with the source that states it."""

    subject = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("subject")
    )
    kind = models.CharField(max_length=16, choices=RelationKind.choices, verbose_name=_("kind"))
    object = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("object")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))
    locator = models.CharField(max_length=200, verbose_name=_("locator"))

    objects = KeyedManager("subject", "kind", "object")

    class Meta:
        verbose_name = _("organisation relation")
        verbose_name_plural = _("organisation relations")
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
            raise ValidationError(
                {"object": gettext("An organisation cannot be related to itself: choose the other one.")}
            )

    natural_key = keyed_natural_key
