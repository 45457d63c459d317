"""The scholarly debate: positions on what LNGOs achieve, their links to cases, and concepts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cases.core.chinese import ChineseName, Translated
from cases.core.models import Curated, CuratedQuerySet, KeyedManager, Source, keyed_natural_key
from cases.interventions.models import Intervention


class Outlook(models.IntegerChoices):
    """Where a position stands between the most critical and the most hopeful view of LNGOs."""

    CRITICAL = 1, _("Critical")
    SCEPTICAL = 2, _("Sceptical")
    AMBIVALENT = 3, _("Ambivalent")
    HOPEFUL = 4, _("Hopeful")
    OPTIMISTIC = 5, _("Optimistic")


class PositionQuerySet(CuratedQuerySet):
    """Public reads start from published(); the page-shaped queries live in selectors.py."""


class Position(Curated, Translated):
    """A scholar's claim about LNGOs, with the work it comes from and where the archive read it.

    Most positions are known through Pringle's literature review: `source` is the scholar's own work,
    `cited_pages` the pages the review cites, and `reported_in`/`reported_locator` where the review says so.
    """

    translated_fields = ("title", "claim")

    title = models.CharField(max_length=200, verbose_name=_("title"))
    scholar = models.CharField(
        max_length=120, help_text=_('As cited, e.g. "Lee and Shen".'), verbose_name=_("scholar")
    )
    claim = models.TextField(help_text=_("The claim in a few sentences (Markdown)."), verbose_name=_("claim"))
    key_quotation = models.TextField(
        blank=True, help_text=_("A short exact quotation of the scholar, as cited."), verbose_name=_("key quotation")
    )
    outlook = models.PositiveSmallIntegerField(choices=Outlook.choices, verbose_name=_("outlook"))
    rank = models.PositiveSmallIntegerField(
        default=50,
        help_text=_("Order within the spectrum, from most critical (low) to most hopeful (high)."),
        verbose_name=_("rank"),
    )
    outlook_note = models.TextField(
        blank=True,
        help_text=_("Why the position stands where it does, with its source."),
        verbose_name=_("outlook note"),
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="positions", verbose_name=_("source"))
    cited_pages = models.CharField(max_length=80, blank=True, verbose_name=_("cited pages"))
    reported_in = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="positions_reported",
        null=True,
        blank=True,
        verbose_name=_("reported in"),
    )
    reported_locator = models.CharField(max_length=200, blank=True, verbose_name=_("reported locator"))
    quotation_checked = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Found verbatim in the source's text when last saved (cases/core/quotations.py)."),
        verbose_name=_("quotation checked"),
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("scholarly position", "position")
        verbose_name_plural = pgettext_lazy("scholarly position", "positions")
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
                {
                    "reported_locator": gettext(
                        "Give the page or section where the reporting source states the position."
                    )
                }
            )


class Relation(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    CHALLENGES = "challenges", _("Challenges")
    COMPLICATES = "complicates", _("Complicates")


class Stance(models.Model):
    """A case bearing on a position, with the sentence that says so."""

    position = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        related_name="stances",
        verbose_name=pgettext_lazy("scholarly position", "position"),
    )
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="stances", verbose_name=_("intervention")
    )
    relation = models.CharField(max_length=12, choices=Relation.choices, verbose_name=_("relation"))
    sentence = models.TextField(
        help_text=_("The exact sentence of the source that links the case to the position."),
        verbose_name=_("sentence"),
    )
    explanation = models.TextField(
        blank=True,
        help_text=_("The link in the curator's words, if the sentence needs it."),
        verbose_name=_("explanation"),
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))
    locator = models.CharField(max_length=200, verbose_name=_("locator"))
    quotation_checked = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Found verbatim in the source's text when last saved (cases/core/quotations.py)."),
        verbose_name=_("quotation checked"),
    )

    objects = KeyedManager("position", "intervention")

    class Meta:
        verbose_name = _("stance")
        verbose_name_plural = _("stances")
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

    term = models.CharField(max_length=120, verbose_name=_("term"))
    aliases = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Other spellings to link in texts, separated by semicolons."),
        verbose_name=_("aliases"),
    )
    definition = models.TextField(help_text=_("Markdown."), verbose_name=_("definition"))
    is_framework_stage = models.BooleanField(
        default=False, help_text=_("One of Nilsen and Cox's movement processes."), verbose_name=_("is framework stage")
    )
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="concepts", verbose_name=_("source"))
    locator = models.CharField(max_length=200, verbose_name=_("locator"))

    objects = CuratedQuerySet.as_manager()

    class Meta:
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        ordering = ["term"]
        constraints = [models.CheckConstraint(condition=~models.Q(locator=""), name="concept_has_locator")]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("concept_detail", args=[self.slug])

    @property
    def match_terms(self):
        return [self.term] + [a.strip() for a in self.aliases.split(";") if a.strip()]
