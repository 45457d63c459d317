"""Interventions (the cases): who did what, where and when, how, with what outcome, and the evidence."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

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

    name = models.CharField(max_length=120, verbose_name=_("name"))
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    description = models.TextField(blank=True, verbose_name=_("description"))

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

    class Meta(Term.Meta):
        verbose_name = _("issue")
        verbose_name_plural = _("issues")

    def get_absolute_url(self):
        return reverse("intervention_list") + f"?issue={self.slug}"


class Tactic(Term):
    """How an intervention acted: legal review, strike support, transnational advocacy..."""

    class Meta(Term.Meta):
        verbose_name = _("tactic")
        verbose_name_plural = _("tactics")

    def get_absolute_url(self):
        return reverse("intervention_list") + f"?tactic={self.slug}"


class Kind(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign")
    PROJECT = "project", _("Project")
    TRAINING = "training", _("Training or study sessions")
    STRIKE_SUPPORT = "strike_support", _("Strike support")
    STATE_ACTION = "state_action", _("State action")
    SOLIDARITY = "solidarity", _("Solidarity action")
    COLLECTIVE_CASES = "collective_cases", _("Collective cases")
    PROGRAMME = "programme", _("Area of engagement")


class Stage(models.TextChoices):
    """Nilsen and Cox's movement processes, in the order their framework expects them."""

    LOCAL_RATIONALITY = "local_rationality", _("Local rationality")
    MILITANT_PARTICULARISM = "militant_particularism", _("Militant particularism")
    # "Campaign" is also a kind of intervention (Kind.CAMPAIGN): the stage's label names the framework so the
    # two never read alike in facets, lists and exports. The value (the URL's `?stage=campaign`) stays.
    CAMPAIGN = "campaign", _("Campaign (movement process)")
    SOCIAL_MOVEMENT_PROJECT = "social_movement_project", _("Social movement project")


class Outcome(models.TextChoices):
    WON = "won", _("Demands won")
    PARTIAL = "partial", _("Partly achieved")
    SUPPRESSED = "suppressed", _("Suppressed")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    UNKNOWN = "unknown", _("Not stated in the sources")


class InterventionQuerySet(CuratedQuerySet):
    """Public reads start from published(); the page-shaped queries live in selectors.py."""


class Intervention(Curated, Translated):
    """A case: what organisations did, where and when, how, and with what outcome."""

    # Its Chinese translation covers its timeline's event titles too: they are read and reviewed with it.
    translated_fields = ("title", "summary")
    translated_parts = {"events": ("title",)}

    title = models.CharField(max_length=200, verbose_name=_("title"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    summary = models.TextField(help_text=_("One or two sentences for lists."), verbose_name=_("summary"))
    narrative = models.TextField(
        help_text=_("The story of the case as the sources tell it (Markdown)."), verbose_name=_("narrative")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="episodes",
        help_text=_("The larger intervention this episode belongs to."),
        verbose_name=_("parent"),
    )
    start_date = models.DateField(null=True, blank=True, verbose_name=_("start date"))
    start_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.YEAR, verbose_name=_("start precision")
    )
    end_date = models.DateField(
        null=True, blank=True, help_text=_("Leave empty when the sources do not say."), verbose_name=_("end date")
    )
    end_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.YEAR, verbose_name=_("end precision")
    )
    places = models.ManyToManyField(Place, related_name="interventions", blank=True, verbose_name=_("places"))
    issues = models.ManyToManyField(Issue, related_name="interventions", blank=True, verbose_name=_("issues"))
    tactics = models.ManyToManyField(Tactic, related_name="interventions", blank=True, verbose_name=_("tactics"))
    organisations = models.ManyToManyField(
        Organisation, through="Role", related_name="interventions", verbose_name=_("organisations")
    )
    stage = models.CharField(
        max_length=24,
        choices=Stage.choices,
        blank=True,
        help_text=_("Leave empty when no author assigns one."),
        verbose_name=_("stage"),
    )
    stage_note = models.TextField(
        blank=True, help_text=_("How the author assigns the stage."), verbose_name=_("stage note")
    )
    stage_by_archive = models.BooleanField(
        _("stage is the archive's coding"),
        default=False,
        help_text=_("Tick when the archive assigns the stage and the source does not: the page then says so."),
    )
    outcome = models.CharField(
        max_length=16, choices=Outcome.choices, default=Outcome.UNKNOWN, verbose_name=_("outcome")
    )
    outcome_note = models.TextField(blank=True, verbose_name=_("outcome note"))
    outcome_by_archive = models.BooleanField(
        _("outcome is the archive's coding"),
        default=False,
        help_text=_("Tick when the archive classes the outcome and the source does not state it in these terms."),
    )
    # Which of the case's issues and tactics the archive assigned without the source stating them, by slug. A
    # list on the case rather than a flag on each link: the pages and exports read it with the case itself, at
    # no extra query. `clean_archive_coding()` keeps it a subset of the case's own issues and tactics.
    issues_by_archive = models.JSONField(
        _("issues that are the archive's coding"),
        default=list,
        blank=True,
        help_text=_("Slugs of the case's issues that the source does not state."),
    )
    tactics_by_archive = models.JSONField(
        _("tactics that are the archive's coding"),
        default=list,
        blank=True,
        help_text=_("Slugs of the case's tactics that the source does not state."),
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="interventions", verbose_name=_("source")
    )
    locator = models.CharField(max_length=200, verbose_name=_("locator"))

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "title"]
        # "Case" is what the site calls it; the model keeps its name, so URLs, tables and migrations stay.
        verbose_name = _("case")
        verbose_name_plural = _("cases")
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
            errors["stage_by_archive"] = gettext(
                "No stage is assigned: untick this, or choose the stage the archive assigns."
            )
        if self.outcome_by_archive and self.outcome == Outcome.UNKNOWN:
            errors["outcome_by_archive"] = gettext(
                "The outcome is not stated: there is no coding of the archive to mark."
            )
        if errors:
            raise ValidationError(errors)

    def clean_archive_coding(self, issue_slugs, tactic_slugs):
        """Refuse a coded issue or tactic the case does not have (given the slugs it will have once saved)."""
        errors = {}
        # Whole sentences per field: a translation may not build them from a noun.
        messages = {
            "issues_by_archive": (
                gettext("Give a list of slugs of the case's issues."),
                gettext("Not among the case's issues: %(slugs)s. Add them to the case or remove them."),
            ),
            "tactics_by_archive": (
                gettext("Give a list of slugs of the case's tactics."),
                gettext("Not among the case's tactics: %(slugs)s. Add them to the case or remove them."),
            ),
        }
        for field, assigned in (("issues_by_archive", issue_slugs), ("tactics_by_archive", tactic_slugs)):
            malformed, not_among = messages[field]
            value = getattr(self, field)
            if not isinstance(value, list) or not all(isinstance(slug, str) for slug in value):
                errors[field] = malformed
                continue
            stray = sorted(set(value) - set(assigned))
            if stray:
                errors[field] = not_among % {"slugs": ", ".join(stray)}
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
            return gettext("dates unknown")
        if self.end_date and self.end_display == self.start_display:
            return self.start_display
        end = self.end_display if self.end_date else gettext("end unknown")
        return f"{self.start_display} – {end}"

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
        needs = {
            gettext_noop("a lead organisation"): has_lead,
            gettext_noop("an issue"): has_issue,
            gettext_noop("a tactic"): has_tactic,
        }
        return [what for what, present in needs.items() if not present]


class RoleKind(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    ALLY = "ally", _("Ally")
    TARGET = "target", _("Target")
    FUNDER = "funder", _("Funder")
    AUTHORITY = "authority", _("Authority")
    PARTICIPANT = "participant", _("Participant")


class Role(models.Model):
    """An organisation's part in an intervention."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="roles", verbose_name=_("intervention")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="roles", verbose_name=_("organisation")
    )
    kind = models.CharField(max_length=12, choices=RoleKind.choices, verbose_name=_("kind"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))
    locator = models.CharField(max_length=200, verbose_name=_("locator"))

    objects = KeyedManager("intervention", "organisation", "kind")

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
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

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="events", verbose_name=_("intervention")
    )
    position = models.PositiveSmallIntegerField(
        default=1, help_text=_("Order within the case's timeline."), verbose_name=_("position")
    )
    date = models.DateField(verbose_name=_("date"))
    precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY, verbose_name=_("precision")
    )
    qualifier = models.CharField(
        max_length=20, blank=True, help_text=_('e.g. "mid", "early", "summer of"'), verbose_name=_("qualifier")
    )
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))
    end_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY, verbose_name=_("end precision")
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    place = models.ForeignKey(
        Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("place")
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))
    locator = models.CharField(max_length=200, verbose_name=_("locator"))

    objects = KeyedManager("intervention", "position")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
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

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("intervention")
    )
    position = models.PositiveSmallIntegerField(default=1, verbose_name=_("position"))
    quotation = models.TextField(help_text=_("Exact words of the source; keep it short."), verbose_name=_("quotation"))
    attribution = models.CharField(
        max_length=200,
        blank=True,
        help_text=_('Whom the source quotes, e.g. "Interview, HKC coordinator, 16 April 2010".'),
        verbose_name=_("attribution"),
    )
    note = models.TextField(blank=True, help_text=_("What the quotation shows."), verbose_name=_("note"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("source"))
    locator = models.CharField(
        max_length=200, help_text=_("Page or section of the source."), verbose_name=_("locator")
    )
    quotation_checked = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Found verbatim in the source's text when last saved (cases/core/quotations.py)."),
        verbose_name=_("quotation checked"),
    )

    objects = KeyedManager("intervention", "position")

    class Meta:
        verbose_name = _("evidence")
        ordering = ["position"]
        verbose_name_plural = _("evidence")
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

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="figures", verbose_name=_("intervention")
    )
    position = models.PositiveSmallIntegerField(default=1, verbose_name=_("position"))
    label = models.CharField(max_length=200, verbose_name=_("label"))
    value = models.CharField(
        max_length=60,
        help_text=_('As the source gives it, e.g. "RMB 1550", "approximately 30".'),
        verbose_name=_("value"),
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))
    locator = models.CharField(max_length=200, verbose_name=_("locator"))

    objects = KeyedManager("intervention", "position")

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "position"], name="figure_unique_position"),
            models.CheckConstraint(condition=~models.Q(locator=""), name="figure_has_locator"),
        ]

    def __str__(self):
        return f"{self.label}: {self.value}"

    natural_key = keyed_natural_key
