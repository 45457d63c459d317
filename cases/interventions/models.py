"""Interventions (the cases): who did what, where and when, how, with what outcome, and the evidence."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from cases.core.chinese import ChineseName, Translated
from cases.core.dates import Precision, format_date, iso_date
from cases.core.models import (
    Curated,
    CuratedQuerySet,
    KeyedManager,
    Place,
    SlugKeyedQuerySet,
    Source,
    keyed_natural_key,
    validate_date_range,
)
from cases.organisations.models import Organisation


class Term(ChineseName):
    """A controlled vocabulary entry (an issue or a tactic) that cases are filtered by."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    objects = SlugKeyedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Issue(Term):
    """What an intervention is about: minimum wage, occupational disease, collective bargaining..."""

    def get_absolute_url(self):
        return reverse("intervention_list") + f"?issue={self.slug}"


class Tactic(Term):
    """How an intervention acted: legal review, strike support, transnational advocacy..."""

    def get_absolute_url(self):
        return reverse("intervention_list") + f"?tactic={self.slug}"


class Kind(models.TextChoices):
    CAMPAIGN = "campaign", "Campaign"
    PROJECT = "project", "Project"
    TRAINING = "training", "Training or study sessions"
    STRIKE_SUPPORT = "strike_support", "Strike support"
    STATE_ACTION = "state_action", "State action"
    SOLIDARITY = "solidarity", "Solidarity action"
    COLLECTIVE_CASES = "collective_cases", "Collective cases"
    PROGRAMME = "programme", "Area of engagement"


class Stage(models.TextChoices):
    """Nilsen and Cox's movement processes, in the order their framework expects them."""

    LOCAL_RATIONALITY = "local_rationality", "Local rationality"
    MILITANT_PARTICULARISM = "militant_particularism", "Militant particularism"
    # "Campaign" is also a kind of intervention (Kind.CAMPAIGN): the stage's label names the framework so the
    # two never read alike in facets, lists and exports. The value (the URL's `?stage=campaign`) stays.
    CAMPAIGN = "campaign", "Campaign (movement process)"
    SOCIAL_MOVEMENT_PROJECT = "social_movement_project", "Social movement project"


class Outcome(models.TextChoices):
    WON = "won", "Demands won"
    PARTIAL = "partial", "Partly achieved"
    SUPPRESSED = "suppressed", "Suppressed"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    UNKNOWN = "unknown", "Not stated in the sources"


class InterventionQuerySet(CuratedQuerySet):
    """Public reads start from published(); the page-shaped queries live in selectors.py."""


class Intervention(Curated, Translated):
    """A case: what organisations did, where and when, how, and with what outcome."""

    # Its Chinese translation covers its timeline's event titles too: they are read and reviewed with it.
    translated_fields = ("title", "summary")
    translated_parts = {"events": ("title",)}

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.TextField(help_text="One or two sentences for lists.")
    narrative = models.TextField(help_text="The story of the case as the sources tell it (Markdown).")
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="episodes",
        help_text="The larger intervention this episode belongs to.",
    )
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.YEAR)
    end_date = models.DateField(null=True, blank=True, help_text="Leave empty when the sources do not say.")
    end_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.YEAR)
    places = models.ManyToManyField(Place, related_name="interventions", blank=True)
    issues = models.ManyToManyField(Issue, related_name="interventions", blank=True)
    tactics = models.ManyToManyField(Tactic, related_name="interventions", blank=True)
    organisations = models.ManyToManyField(Organisation, through="Role", related_name="interventions")
    stage = models.CharField(
        max_length=24, choices=Stage.choices, blank=True, help_text="Leave empty when no author assigns one."
    )
    stage_note = models.TextField(blank=True, help_text="How the author assigns the stage.")
    stage_by_archive = models.BooleanField(
        "stage is the archive's coding",
        default=False,
        help_text="Tick when the archive assigns the stage and the source does not: the page then says so.",
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.UNKNOWN)
    outcome_note = models.TextField(blank=True)
    outcome_by_archive = models.BooleanField(
        "outcome is the archive's coding",
        default=False,
        help_text="Tick when the archive classes the outcome and the source does not state it in these terms.",
    )
    # Which of the case's issues and tactics the archive assigned without the source stating them, by slug. A
    # list on the case rather than a flag on each link: the pages and exports read it with the case itself, at
    # no extra query. `clean_archive_coding()` keeps it a subset of the case's own issues and tactics.
    issues_by_archive = models.JSONField(
        "issues that are the archive's coding",
        default=list,
        blank=True,
        help_text="Slugs of the case's issues that the source does not state.",
    )
    tactics_by_archive = models.JSONField(
        "tactics that are the archive's coding",
        default=list,
        blank=True,
        help_text="Slugs of the case's tactics that the source does not state.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="interventions")
    locator = models.CharField(max_length=200)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "title"]
        # "Case" is what the site calls it; the model keeps its name, so URLs, tables and migrations stay.
        verbose_name = "case"
        verbose_name_plural = "cases"
        indexes = [
            # The case list's filters and facet counts read these columns only: the index covers them, so
            # counting a filtered list never reads the (long) case rows themselves.
            models.Index(fields=["status", "stage", "kind", "outcome", "source"], name="intervention_facets"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="intervention_end_not_before_start",
            ),
            models.CheckConstraint(condition=~models.Q(locator=""), name="intervention_has_locator"),
            # Only an assigned stage or a stated outcome can be the archive's coding.
            models.CheckConstraint(
                condition=models.Q(stage_by_archive=False) | ~models.Q(stage=""),
                name="intervention_coded_stage_is_set",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome_by_archive=False) | ~models.Q(outcome=Outcome.UNKNOWN),
                name="intervention_coded_outcome_is_known",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("intervention_detail", args=[self.slug])

    def clean(self):
        validate_date_range(self, ("start_date", "start_precision"), ("end_date", "end_precision"))
        errors = {}
        if self.stage_by_archive and not self.stage:
            errors["stage_by_archive"] = "No stage is assigned: untick this, or choose the stage the archive assigns."
        if self.outcome_by_archive and self.outcome == Outcome.UNKNOWN:
            errors["outcome_by_archive"] = "The outcome is not stated: there is no coding of the archive to mark."
        if errors:
            raise ValidationError(errors)

    def clean_archive_coding(self, issue_slugs, tactic_slugs):
        """Refuse a coded issue or tactic the case does not have (given the slugs it will have once saved)."""
        errors = {}
        for field, assigned, noun in (
            ("issues_by_archive", issue_slugs, "issues"),
            ("tactics_by_archive", tactic_slugs, "tactics"),
        ):
            value = getattr(self, field)
            if not isinstance(value, list) or not all(isinstance(slug, str) for slug in value):
                errors[field] = f"Give a list of slugs of the case's {noun}."
                continue
            stray = sorted(set(value) - set(assigned))
            if stray:
                errors[field] = (
                    f"Not among the case's {noun}: {', '.join(stray)}. Add them to the case or remove them."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def has_archive_coding(self):
        return bool(
            self.stage_by_archive or self.outcome_by_archive or self.issues_by_archive or self.tactics_by_archive
        )

    @property
    def coded_issues(self):
        """The case's issues as (issue, is the archive's coding) pairs, from the prefetched issues."""
        coded = set(self.issues_by_archive or ())
        return [(issue, issue.slug in coded) for issue in self.issues.all()]

    @property
    def coded_tactics(self):
        """The case's tactics as (tactic, is the archive's coding) pairs, from the prefetched tactics."""
        coded = set(self.tactics_by_archive or ())
        return [(tactic, tactic.slug in coded) for tactic in self.tactics.all()]

    @property
    def start_display(self):
        return format_date(self.start_date, self.start_precision)

    @property
    def end_display(self):
        return format_date(self.end_date, self.end_precision)

    @property
    def start_iso(self):
        return iso_date(self.start_date, self.start_precision)

    @property
    def end_iso(self):
        return iso_date(self.end_date, self.end_precision)

    @property
    def period_display(self):
        if not self.start_date:
            return "dates unknown"
        if self.end_date and self.end_display == self.start_display:
            return self.start_display
        return f"{self.start_display} – {self.end_display if self.end_date else 'end unknown'}"

    def publication_gaps(self, *, has_lead=None, has_issue=None, has_tactic=None):
        """What the case still lacks before the public may see it (empty: nothing): a reader of a case needs to
        know who led it, what it was about and how it was fought. Each argument given stands for the saved rows
        (a change form checks what it is about to save)."""
        saved = self.pk is not None
        if has_lead is None:
            has_lead = saved and self.roles.filter(kind=RoleKind.LEAD).exists()
        if has_issue is None:
            has_issue = saved and self.issues.exists()
        if has_tactic is None:
            has_tactic = saved and self.tactics.exists()
        needs = {"a lead organisation": has_lead, "an issue": has_issue, "a tactic": has_tactic}
        return [what for what, present in needs.items() if not present]


class RoleKind(models.TextChoices):
    LEAD = "lead", "Lead"
    PARTNER = "partner", "Partner"
    ALLY = "ally", "Ally"
    TARGET = "target", "Target"
    FUNDER = "funder", "Funder"
    AUTHORITY = "authority", "Authority"
    PARTICIPANT = "participant", "Participant"


class Role(models.Model):
    """An organisation's part in an intervention."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="roles")
    kind = models.CharField(max_length=12, choices=RoleKind.choices)
    note = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    locator = models.CharField(max_length=200)

    objects = KeyedManager("intervention", "organisation", "kind")

    class Meta:
        ordering = ["kind", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "organisation", "kind"], name="role_unique"),
            models.CheckConstraint(condition=~models.Q(locator=""), name="role_has_locator"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.get_kind_display()} in {self.intervention}"

    natural_key = keyed_natural_key


class Event(models.Model):
    """A dated moment in a case's timeline, at the precision the source gives."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="events")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order within the case's timeline.")
    date = models.DateField()
    precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    qualifier = models.CharField(max_length=20, blank=True, help_text='e.g. "mid", "early", "summer of"')
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    place = models.ForeignKey(Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    locator = models.CharField(max_length=200)

    objects = KeyedManager("intervention", "position")

    class Meta:
        ordering = ["date", "position"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "position"], name="event_unique_position"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("date")),
                name="event_end_not_before_start",
            ),
            models.CheckConstraint(condition=~models.Q(locator=""), name="event_has_locator"),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    natural_key = keyed_natural_key

    def clean(self):
        validate_date_range(self, ("date", "precision"), ("end_date", "end_precision"))

    @property
    def date_display(self):
        text = format_date(self.date, self.precision, self.qualifier)
        if self.end_date:
            text = f"{text} – {format_date(self.end_date, self.end_precision)}"
        return text

    @property
    def date_iso(self):
        return iso_date(self.date, self.precision)


class Evidence(models.Model):
    """A short exact quotation, with the source and the page or section it comes from."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="evidence")
    position = models.PositiveSmallIntegerField(default=1)
    quotation = models.TextField(help_text="Exact words of the source; keep it short.")
    attribution = models.CharField(
        max_length=200,
        blank=True,
        help_text='Whom the source quotes, e.g. "Interview, HKC coordinator, 16 April 2010".',
    )
    note = models.TextField(blank=True, help_text="What the quotation shows.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    locator = models.CharField(max_length=200, help_text="Page or section of the source.")
    quotation_checked = models.BooleanField(
        default=False,
        editable=False,
        help_text="Found verbatim in the source's text when last saved (cases/core/quotations.py).",
    )

    objects = KeyedManager("intervention", "position")

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["intervention", "position"], name="evidence_unique_position"),
            models.CheckConstraint(condition=~models.Q(locator=""), name="evidence_has_locator"),
            models.CheckConstraint(condition=~models.Q(quotation=""), name="evidence_has_quotation"),
        ]

    def __str__(self):
        return f"“{self.quotation[:60]}…” ({self.locator})"

    natural_key = keyed_natural_key


class Figure(models.Model):
    """A number the source gives about a case: a wage level, a percentage, a count of workers."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveSmallIntegerField(default=1)
    label = models.CharField(max_length=200)
    value = models.CharField(max_length=60, help_text='As the source gives it, e.g. "RMB 1550", "approximately 30".')
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    locator = models.CharField(max_length=200)

    objects = KeyedManager("intervention", "position")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "position"], name="figure_unique_position"),
            models.CheckConstraint(condition=~models.Q(locator=""), name="figure_has_locator"),
        ]

    def __str__(self):
        return f"{self.label}: {self.value}"

    natural_key = keyed_natural_key
