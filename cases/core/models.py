"""What every app shares: publication state, sources and their authors, places."""

import contextvars
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .chinese import ChineseName
from .dates import format_date, iso_date, truncate
from .gate import PublishedQuerySet
from .status import Status

# {(model, database, natural key): row} while a load remembers the rows it found (see `natural_keys_remembered`).
_found_by_natural_key = contextvars.ContextVar("found_by_natural_key", default=None)


@contextmanager
def natural_keys_remembered():
    """Within the block, a row found by its natural key is not looked up again.

    Loading fixtures looks up every foreign key by natural key, a query each (the same source is named hundreds of
    times), which made loading the archive slow on PostgreSQL. Only rows found are remembered: a key not yet in the
    database may be created by the load itself. Nothing is deleted while loading, so what was found stays valid.
    """
    token = _found_by_natural_key.set({})
    # The rows the load saves are remembered by primary key: the natural keys of the rows after them name them.
    post_save.connect(_remember_saved, dispatch_uid="natural-keys-remembered")
    try:
        yield
    finally:
        post_save.disconnect(dispatch_uid="natural-keys-remembered")
        _found_by_natural_key.reset(token)


def _remember_saved(sender, instance, using, **kwargs):
    found = _found_by_natural_key.get()
    if found is not None:
        found[(sender, using, ("pk", instance.pk))] = instance
        if hasattr(instance, "natural_key"):
            found[(sender, using, tuple(instance.natural_key()))] = instance


def _remembered(queryset, key, **lookup):
    found = _found_by_natural_key.get()
    if found is None:
        return queryset.get(**lookup)
    index = (queryset.model, queryset.db, key)
    if index not in found:
        row = found[index] = queryset.get(**lookup)
        found[(queryset.model, queryset.db, ("pk", row.pk))] = row
    return found[index]


class SlugKeyedQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        # Slugs are natural keys: fixtures refer to entries by slug, and reloading never duplicates.
        return _remembered(self, (slug,), slug=slug)


class CuratedQuerySet(PublishedQuerySet, SlugKeyedQuerySet):
    """Curated entries: `published()` (the gate, cases/core/gate.py) and natural keys by slug."""

    def with_public_version(self):
        """Each entry with `public_version` and `public_changed_at`: its latest public version (None before one)."""
        from .public_versions import public_version_annotations

        return self.annotate(**public_version_annotations(self.model))


class Curated(models.Model):
    """An entry a curator writes and publishes: slug, publication state and timestamps."""

    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True, verbose_name=_("status")
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("published at"))
    # Defaults rather than auto_now: fixtures are loaded as raw saves, which skip auto_now.
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    updated_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("updated at"))
    curator_note = models.TextField(
        blank=True,
        help_text=_("For curators only: what still needs checking. Never shown to the public."),
        verbose_name=_("curator note"),
    )

    objects = CuratedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = self.updated_at
        super().save(*args, **kwargs)

    # The status the row had when it was read: the workflow log records a change of status from it without
    # reading the row again (cases/curation/signals.py). Unknown (absent) when the status was not read.
    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "status" in field_names:
            instance._loaded_status = instance.status
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "status" in fields:
            self._loaded_status = self.status

    def natural_key(self):
        return (self.slug,)

    @property
    def is_published(self):
        """The entry's own state, for staff screens; public code asks the gate (`is_public`)."""
        return self.status == Status.PUBLISHED


class KeyedManager(models.Manager.from_queryset(PublishedQuerySet)):
    """Natural keys for rows that have no slug: the slugs of the entries they join, and a kind or position.

    `key_fields` names the fields of the natural key; a foreign key contributes its target's slug.
    """

    def __init__(self, *key_fields):
        super().__init__()
        self.key_fields = key_fields

    def get_by_natural_key(self, *values):
        lookup = {}
        for name, value in zip(self.key_fields, values, strict=True):
            field = self.model._meta.get_field(name)
            lookup[f"{name}__slug" if field.is_relation else name] = value
        return _remembered(self.get_queryset(), values, **lookup)


def keyed_natural_key(instance):
    return tuple(_key_part(instance, name) for name in type(instance)._default_manager.key_fields)


def _key_part(instance, name):
    field = instance._meta.get_field(name)
    if not field.is_relation:
        return getattr(instance, name)
    found = _found_by_natural_key.get()
    if found is not None and not field.is_cached(instance):
        db = instance._state.db or DEFAULT_DB_ALIAS
        row = found.get((field.related_model, db, ("pk", getattr(instance, field.attname))))
        if row is not None:
            return row.slug
    return getattr(instance, name).slug


class FuzzyDateMixin:
    """Display helpers for models with `date`, `precision` and `qualifier` fields."""

    @property
    def date_display(self):
        return format_date(self.date, self.precision, getattr(self, "qualifier", ""))

    @property
    def date_iso(self):
        return iso_date(self.date, self.precision)


class Author(models.Model):
    """A person who wrote a source. Authors are shared across sources and kept in order per source."""

    family_name = models.CharField(max_length=120, verbose_name=_("family name"))
    given_names = models.CharField(max_length=120, blank=True, verbose_name=_("given names"))
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))

    objects = SlugKeyedQuerySet.as_manager()

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["family_name", "given_names"]

    def __str__(self):
        return f"{self.family_name}, {self.given_names}" if self.given_names else self.family_name

    def natural_key(self):
        return (self.slug,)

    @property
    def display_name(self):
        return f"{self.given_names} {self.family_name}".strip()


class SourceKind(models.TextChoices):
    ARTICLE = "article", _("Journal article")
    CHAPTER = "chapter", _("Book chapter")
    BOOK = "book", _("Book")
    REPORT = "report", _("Report")
    WEB = "web", _("Web post")
    NEWS = "news", _("Newspaper article")
    FILM = "film", _("Film")
    LAW = "law", _("Law or regulation")
    EXTRACT = "extract", _("Unattributed extract")
    # The citing text names the work but not what kind of work it is: the archive says so rather than guess.
    NOT_STATED = "not_stated", _("Type not stated in the sources")


class Source(Curated):
    """A publication the archive rests on, with full bibliographic data.

    `is_seed` marks the texts the archive was built from; the other sources are works
    those texts cite, recorded as fully as the citing text allows (see `curator_note`).
    """

    kind = models.CharField(max_length=12, choices=SourceKind.choices, verbose_name=_("kind"))
    title = models.CharField(
        max_length=400,
        blank=True,
        help_text=_(
            "As a public record gives it. Leave empty when no record was found: the work is then cited as "
            "the texts that cite it cite it (“Chan 2013, cited in Pringle 2018”), never under a made-up title."
        ),
        verbose_name=_("title"),
    )
    short_title = models.CharField(max_length=120, blank=True, verbose_name=_("short title"))
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Leave empty when unknown."), verbose_name=_("year")
    )
    container_title = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Journal, book, newspaper or website the work appears in."),
        verbose_name=_("container title"),
    )
    editors = models.CharField(max_length=300, blank=True, verbose_name=_("editors"))
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("publisher"))
    publisher_place = models.CharField(max_length=120, blank=True, verbose_name=_("publisher place"))
    volume = models.CharField(max_length=20, blank=True, verbose_name=_("volume"))
    issue = models.CharField(max_length=20, blank=True, verbose_name=_("issue"))
    pages = models.CharField(max_length=40, blank=True, help_text=_("e.g. 661–675"), verbose_name=_("pages"))
    doi = models.CharField(max_length=120, blank=True, verbose_name=_("doi"))
    url = models.URLField(max_length=500, blank=True, verbose_name=_("url"))
    abstract = models.TextField(blank=True, verbose_name=_("abstract"))
    published_online = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "The date the work went online, where its own page gives one (e.g. a journal issue put online "
            "after the year it is dated)."
        ),
        verbose_name=_("published online"),
    )
    published_online_locator = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Where the source's page gives the online date."),
        verbose_name=_("published online locator"),
    )
    text = models.TextField(
        blank=True,
        help_text=_(
            "The full text, private to curators: public pages show only the quotations. Quotations from "
            "this source are checked against it when saved."
        ),
        verbose_name=_("text"),
    )
    is_seed = models.BooleanField(
        default=False, help_text=_("One of the texts the archive was built from."), verbose_name=_("is seed")
    )
    needs_checking = models.BooleanField(
        default=False,
        help_text=_("The reference is incomplete or taken from a citation; a curator must check it."),
        verbose_name=_("needs checking"),
    )
    authors = models.ManyToManyField(
        Author, through="SourceAuthor", related_name="sources", blank=True, verbose_name=_("authors")
    )
    cites = models.ManyToManyField(
        "self", through="Citation", symmetrical=False, related_name="cited_by", blank=True, verbose_name=_("cites")
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=1800, year__lte=2100),
                name="source_year_plausible",
            )
        ]

    def __str__(self):
        return f"{self.author_label} ({self.year_display}) {self.short_title or self.title}".rstrip()

    def get_absolute_url(self):
        return reverse("source_detail", args=[self.slug])

    @property
    def name(self):
        """What a reader calls the work: its title, or author and year where no record gives the title."""
        return self.title or f"{self.author_label} {self.year_display}"

    def clean(self):
        # Says what to fix where the check constraint would only name itself.
        if self.year is not None and not 1800 <= self.year <= 2100:
            raise ValidationError(
                {"year": gettext("Give a year between 1800 and 2100, or leave it empty when unknown.")}
            )

    @property
    def year_display(self):
        return str(self.year) if self.year else "n.d."

    def ordered_authors(self):
        # Uses the prefetched through rows when the listing prefetched them.
        return [link.author for link in self.authorships.all()]

    @property
    def author_label(self):
        names = [a.family_name for a in self.ordered_authors()]
        if not names:
            return "Anonymous"
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return f"{names[0]} and {names[1]}"
        return f"{names[0]} et al."

    @property
    def first_page(self):
        return self.pages.replace("–", "-").split("-")[0].strip() if self.pages else ""

    @property
    def last_page(self):
        parts = self.pages.replace("–", "-").split("-")
        return parts[-1].strip() if len(parts) > 1 else ""


class SourceAuthor(models.Model):
    """An author's place in a source's author list."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="authorships", verbose_name=_("source"))
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="authorships", verbose_name=_("author"))
    position = models.PositiveSmallIntegerField(default=1, verbose_name=_("position"))

    objects = KeyedManager("source", "position")

    class Meta:
        verbose_name = _("source author")
        verbose_name_plural = _("source authors")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="sourceauthor_unique_position"),
            models.UniqueConstraint(fields=["source", "author"], name="sourceauthor_unique_author"),
        ]

    def __str__(self):
        return f"{self.position}. {self.author}"

    natural_key = keyed_natural_key


class Citation(models.Model):
    """One source citing another: how the archive knows of the works its seeds cite."""

    citing = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="citations_made", verbose_name=_("citing")
    )
    cited = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="citations_received", verbose_name=_("cited")
    )
    locator = models.CharField(
        max_length=200, help_text=_("Where the citing source cites it."), verbose_name=_("locator")
    )

    objects = KeyedManager("citing", "cited")

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(fields=["citing", "cited"], name="citation_unique_pair"),
            models.CheckConstraint(condition=~models.Q(citing=models.F("cited")), name="citation_not_self"),
        ]

    def __str__(self):
        return f"{self.citing} cites {self.cited}"

    def clean(self):
        if self.citing_id is not None and self.citing_id == self.cited_id:
            raise ValidationError({"cited": gettext("A source cannot cite itself: choose the work it cites.")})

    natural_key = keyed_natural_key


class MethodKind(models.TextChoices):
    INTERVIEWS = "interviews", _("Interviews")
    PARTICIPANT_OBSERVATION = "participant_observation", _("Participant observation")
    FIELDWORK = "fieldwork", _("Fieldwork")
    CASE_STUDIES = "case_studies", _("Case studies")
    ARCHIVAL = "archival", _("Archival and documentary research")
    PROFESSIONAL = "professional", _("Professional involvement")
    TRAINING = "training", _("Attendance at training sessions")
    SECONDARY = "secondary", _("Secondary data")
    SELECTION = "selection", _("Choice of site and cases")


class ResearchMethod(models.Model):
    """How a source gathered its evidence; students weigh evidence by it."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="methods", verbose_name=_("source"))
    position = models.PositiveSmallIntegerField(default=1, verbose_name=_("position"))
    kind = models.CharField(max_length=30, choices=MethodKind.choices, verbose_name=_("kind"))
    description = models.TextField(verbose_name=_("description"))
    count = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("e.g. number of interviews."), verbose_name=_("count")
    )
    count_unit = models.CharField(max_length=80, blank=True, verbose_name=_("count unit"))
    period = models.CharField(
        max_length=120, blank=True, help_text=_("As the source gives it, e.g. 2012–2016."), verbose_name=_("period")
    )
    locator = models.CharField(max_length=200, verbose_name=_("locator"))

    objects = KeyedManager("source", "position")

    class Meta:
        verbose_name = _("research method")
        verbose_name_plural = _("research methods")
        ordering = ["source", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="researchmethod_unique_position"),
            models.CheckConstraint(condition=~models.Q(locator=""), name="researchmethod_has_locator"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:60]}"

    natural_key = keyed_natural_key


class PlaceKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District or town")
    PROVINCE = "province", _("Province")
    REGION = "region", _("Region")
    TERRITORY = "territory", _("Territory")
    COUNTRY = "country", _("Country")


class Place(Curated, ChineseName):
    """Where something happened, with coordinates for the map (approximate centre points)."""

    name = models.CharField(max_length=120, verbose_name=_("name"))
    kind = models.CharField(max_length=12, choices=PlaceKind.choices, verbose_name=_("kind"))
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True, verbose_name=_("latitude"))
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True, verbose_name=_("longitude"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("source")
    )
    locator = models.CharField(max_length=200, blank=True, verbose_name=_("locator"))

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90))
                & (models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180)),
                name="place_coordinates_in_range",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("place_detail", args=[self.slug])

    def clean(self):
        errors = {}
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = gettext("A latitude lies between -90 and 90 degrees.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = gettext("A longitude lies between -180 and 180 degrees.")
        if errors:
            raise ValidationError(errors)


def validate_date_range(instance, start, end):
    """Shared clean(): store dates at their precision and refuse an end before a start.

    `start` and `end` are (date field, precision field) pairs.
    """
    for date_field, precision_field in (start, end):
        value = getattr(instance, date_field)
        if value is not None:
            setattr(instance, date_field, truncate(value, getattr(instance, precision_field)))
    start_value, end_value = getattr(instance, start[0]), getattr(instance, end[0])
    if start_value and end_value and end_value < start_value:
        raise ValidationError({end[0]: gettext("The end date is before the start date: correct one of them.")})


from .public_versions import PublicVersion  # noqa: E402, F401 - a model of this app
