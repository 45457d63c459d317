"""The scholarly debate: positions on what LNGOs achieve, their links to cases, and concepts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from cases.core.chinese import ChineseName, Translated
from cases.core.models import Curated, CuratedQuerySet, KeyedManager, Source, keyed_natural_key
from cases.interventions.models import Intervention


class Outlook(models.IntegerChoices):
    """Where a position stands between the most critical and the most hopeful view of LNGOs."""

    CRITICAL = 1, "Critical"
    SCEPTICAL = 2, "Sceptical"
    AMBIVALENT = 3, "Ambivalent"
    HOPEFUL = 4, "Hopeful"
    OPTIMISTIC = 5, "Optimistic"


class PositionQuerySet(CuratedQuerySet):
    """Public reads start from published(); the page-shaped queries live in selectors.py."""


class Position(Curated, Translated):
    """A scholar's claim about LNGOs, with the work it comes from and where the archive read it.

    Most positions are known through Pringle's literature review: `source` is the scholar's own work,
    `cited_pages` the pages the review cites, and `reported_in`/`reported_locator` where the review says so.
    """

    translated_fields = ("title", "claim")

    title = models.CharField(max_length=200)
    scholar = models.CharField(max_length=120, help_text='As cited, e.g. "Lee and Shen".')
    claim = models.TextField(help_text="The claim in a few sentences (Markdown).")
    key_quotation = models.TextField(blank=True, help_text="A short exact quotation of the scholar, as cited.")
    outlook = models.PositiveSmallIntegerField(choices=Outlook.choices)
    rank = models.PositiveSmallIntegerField(
        default=50, help_text="Order within the spectrum, from most critical (low) to most hopeful (high)."
    )
    outlook_note = models.TextField(blank=True, help_text="Why the position stands where it does, with its source.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="positions")
    cited_pages = models.CharField(max_length=80, blank=True)
    reported_in = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="positions_reported", null=True, blank=True
    )
    reported_locator = models.CharField(max_length=200, blank=True)
    quotation_checked = models.BooleanField(
        default=False,
        editable=False,
        help_text="Found verbatim in the source's text when last saved (cases/core/quotations.py).",
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["outlook", "rank", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(outlook__gte=1, outlook__lte=5), name="position_outlook_range"),
            models.CheckConstraint(
                condition=models.Q(reported_in__isnull=True) | ~models.Q(reported_locator=""),
                name="position_reported_has_locator",
            ),
        ]

    def __str__(self):
        return f"{self.scholar}: {self.title}"

    def get_absolute_url(self):
        return reverse("position_detail", args=[self.slug])

    def clean(self):
        if self.reported_in_id is not None and not self.reported_locator:
            raise ValidationError(
                {"reported_locator": "Give the page or section where the reporting source states the position."}
            )


class Relation(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CHALLENGES = "challenges", "Challenges"
    COMPLICATES = "complicates", "Complicates"


class Stance(models.Model):
    """A case bearing on a position, with the sentence that says so."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="stances")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="stances")
    relation = models.CharField(max_length=12, choices=Relation.choices)
    sentence = models.TextField(help_text="The exact sentence of the source that links the case to the position.")
    explanation = models.TextField(blank=True, help_text="The link in the curator's words, if the sentence needs it.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    locator = models.CharField(max_length=200)
    quotation_checked = models.BooleanField(
        default=False,
        editable=False,
        help_text="Found verbatim in the source's text when last saved (cases/core/quotations.py).",
    )

    objects = KeyedManager("position", "intervention")

    class Meta:
        ordering = ["relation", "intervention__start_date"]
        constraints = [
            models.UniqueConstraint(fields=["position", "intervention"], name="stance_unique_pair"),
            models.CheckConstraint(condition=~models.Q(locator=""), name="stance_has_locator"),
            models.CheckConstraint(condition=~models.Q(sentence=""), name="stance_has_sentence"),
        ]

    def __str__(self):
        return f"{self.intervention} {self.get_relation_display().lower()} {self.position}"

    natural_key = keyed_natural_key


class Concept(Curated, ChineseName, Translated):
    """A glossary term: the movement-process framework, hukou, ACFTU, welfarist incorporation..."""

    translated_fields = ("definition",)

    term = models.CharField(max_length=120)
    aliases = models.CharField(
        max_length=300, blank=True, help_text="Other spellings to link in texts, separated by semicolons."
    )
    definition = models.TextField(help_text="Markdown.")
    is_framework_stage = models.BooleanField(default=False, help_text="One of Nilsen and Cox's movement processes.")
    related = models.ManyToManyField("self", blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="concepts")
    locator = models.CharField(max_length=200)

    objects = CuratedQuerySet.as_manager()

    class Meta:
        ordering = ["term"]
        constraints = [models.CheckConstraint(condition=~models.Q(locator=""), name="concept_has_locator")]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("concept_detail", args=[self.slug])

    @property
    def match_terms(self):
        return [self.term] + [a.strip() for a in self.aliases.split(";") if a.strip()]
