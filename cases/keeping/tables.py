"""The tables of an open-data release: one per kind of entry, from the kind's representation (so a column has the
name and value it has in the exports and the API), and the links between them; and their Table Schemas
(Frictionless Data), generated from the same declarations and the models' fields.

Every table reads through the publication gate. A list held in one cell (a case's places) is written as the
exports write it, names joined with "; "; the link tables (`case_organisations`, `case_places`, `stances`) hold the
same links as rows, with foreign keys to the entries' tables.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from cases.core.models import Place
from cases.find.representation import DATE, STRING, Field, Representation, attribute, choice, published_slug
from cases.interventions import selectors as case_selectors
from cases.interventions.models import Event, Evidence, Intervention, Role, RoleKind
from cases.interventions.representation import CASE
from cases.organisations import selectors as organisation_selectors
from cases.organisations.representation import ORGANISATION
from cases.scholarship import selectors as scholarship_selectors
from cases.scholarship.models import Concept, Relation, Stance
from cases.scholarship.representation import CONCEPT, POSITION
from cases.site import selectors as site_selectors
from cases.site.representation import PLACE, SOURCE

CHUNK_SIZE = 500


@dataclass(frozen=True)
class Table:
    name: str  # the resource's name and its file's stem
    title: str
    description: str
    representation: Representation
    rows: Any  # rows() -> iterable of objects the representation reads
    primary_key: tuple = ("slug",)
    foreign_keys: dict = field(default_factory=dict)  # {column: (table, column)}

    @property
    def columns(self):
        """The export's columns, then the detail fields the API adds that fit in a cell (a case's narrative); lists
        of rows (a case's events) are tables of their own."""
        detail = [f for f in self.representation.detail if f.schema.get("type") != "array"]
        return (*self.representation.columns, *detail)

    def records(self):
        """Each row as {column: value}, values as JSON would have them."""
        for row in self.rows():
            yield {column.name: column.value(row) for column in self.columns}


def _slug(relation, label):
    return Field(relation, published_slug(relation), label, STRING)


# Every row of a case's parts names its case, and cites its source with a locator.
OF_CASE = Field("case", published_slug("intervention"), "Case (slug)")
CITED = (
    Field("source", published_slug("source"), "Source (slug; null when not published)", STRING, True),
    Field("locator", attribute("locator"), "Page or section of the source"),
)


CASE_ORGANISATION = Representation(
    kind="case_organisation",
    model=Role,
    schema_name="CaseOrganisation",
    listed=(
        OF_CASE,
        _slug("organisation", "Organisation (slug)"),
        Field("role", attribute("kind"), "Its role in the case", choice(RoleKind.choices)),
        Field("note", attribute("note", empty_is_null=True), "On its role", nullable=True),
        *CITED,
    ),
)

CASE_PLACE = Representation(
    kind="case_place",
    model=Intervention.places.through,
    schema_name="CasePlace",
    listed=(
        OF_CASE,
        _slug("place", "Place (slug)"),
    ),
)

STANCE = Representation(
    kind="stance",
    model=Stance,
    schema_name="Stance",
    listed=(
        OF_CASE,
        _slug("position", "Scholarly position (slug)"),
        Field("relation", attribute("relation"), "How the case bears on the position", choice(Relation.choices)),
        Field("sentence", attribute("sentence"), "The sentence of the source that says so"),
        Field("explanation", attribute("explanation", empty_is_null=True), "In the curator's words", nullable=True),
        *CITED,
    ),
)


EVENT = Representation(
    kind="event",
    model=Event,
    schema_name="Event",
    listed=(
        OF_CASE,
        Field("position", attribute("position"), "Order in the case's timeline", {"type": "integer"}),
        Field(
            "date", lambda event, request: event.date_iso, "Date (ISO 8601 at the precision the source gives)", DATE
        ),
        Field("date_display", lambda event, request: event.date_display, "Date as the archive shows it"),
        Field("title", attribute("title"), "What happened"),
        Field("description", attribute("description", empty_is_null=True), "Description", nullable=True),
        Field("place", published_slug("place"), "Place (slug)", STRING, True),
        *CITED,
    ),
)

EVIDENCE = Representation(
    kind="evidence",
    model=Evidence,
    schema_name="Evidence",
    listed=(
        OF_CASE,
        Field("position", attribute("position"), "Order among the case's quotations", {"type": "integer"}),
        Field("quotation", attribute("quotation"), "The source's exact words"),
        Field("attribution", attribute("attribution", empty_is_null=True), "Who says it", nullable=True),
        *CITED,
    ),
)


def _parts(model):
    return lambda: _iterate(
        model.objects.published()
        .select_related("intervention", "source", *(["place"] if model is Event else []))
        .order_by("intervention__slug", "position", "pk")
    )


def _cases():
    return case_selectors.with_related_names(case_selectors.interventions_for_export().order_by("slug"), CHUNK_SIZE)


def _iterate(queryset):
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def _roles():
    return _iterate(
        Role.objects.published()
        .select_related("intervention", "organisation", "source")
        .order_by("intervention__slug", "organisation__slug", "kind", "pk")
    )


def _case_places():
    through = Intervention.places.through
    return _iterate(
        through.objects.filter(intervention__in=Intervention.objects.published(), place__in=Place.objects.published())
        .select_related("intervention", "place")
        .order_by("intervention__slug", "place__slug")
    )


def _stances():
    return _iterate(
        Stance.objects.published()
        .select_related("intervention", "position", "source")
        .order_by("intervention__slug", "position__slug", "pk")
    )


TABLES = (
    Table(
        "cases",
        "Cases",
        "Interventions of labour NGOs: what was done, where and when, with what outcome.",
        CASE,
        _cases,
        foreign_keys={"source": ("sources", "slug")},
    ),
    Table(
        "organisations",
        "Organisations",
        "Labour NGOs, unions, state bodies, companies and others taking part in the cases.",
        ORGANISATION,
        lambda: _iterate(organisation_selectors.organisations_for_listing().order_by("slug")),
    ),
    Table(
        "positions",
        "Scholarly positions",
        "Scholars' claims about labour NGOs, with the number of cases bearing on each.",
        POSITION,
        lambda: _iterate(scholarship_selectors.positions_with_counts().select_related("source").order_by("slug")),
        foreign_keys={"source": ("sources", "slug")},
    ),
    Table(
        "sources",
        "Sources",
        "The publications the archive rests on.",
        SOURCE,
        lambda: _iterate(site_selectors.sources_for_listing().order_by("slug")),
    ),
    Table(
        "concepts",
        "Concepts",
        "The glossary.",
        CONCEPT,
        lambda: _iterate(Concept.objects.published().select_related("source").order_by("slug")),
        foreign_keys={"source": ("sources", "slug")},
    ),
    Table(
        "places",
        "Places",
        "Where the cases happened, with approximate coordinates.",
        PLACE,
        lambda: _iterate(Place.objects.published().select_related("parent", "source").order_by("slug")),
        foreign_keys={"parent": ("places", "slug"), "source": ("sources", "slug")},
    ),
    Table(
        "case_organisations",
        "Organisations in cases",
        "Which organisation took part in which case, in which role.",
        CASE_ORGANISATION,
        _roles,
        primary_key=("case", "organisation", "role"),
        foreign_keys={
            "case": ("cases", "slug"),
            "organisation": ("organisations", "slug"),
            "source": ("sources", "slug"),
        },
    ),
    Table(
        "case_places",
        "Places of cases",
        "Where each case happened.",
        CASE_PLACE,
        _case_places,
        primary_key=("case", "place"),
        foreign_keys={"case": ("cases", "slug"), "place": ("places", "slug")},
    ),
    Table(
        "events",
        "Timelines",
        "The dated events of each case, at the precision the source gives.",
        EVENT,
        _parts(Event),
        primary_key=("case", "position"),
        foreign_keys={"case": ("cases", "slug"), "place": ("places", "slug"), "source": ("sources", "slug")},
    ),
    Table(
        "evidence",
        "Evidence",
        "Short exact quotations from the sources, for each case.",
        EVIDENCE,
        _parts(Evidence),
        primary_key=("case", "position"),
        foreign_keys={"case": ("cases", "slug"), "source": ("sources", "slug")},
    ),
    Table(
        "stances",
        "Cases and positions",
        "Which case supports, challenges or complicates which scholarly position, in the source's words.",
        STANCE,
        _stances,
        primary_key=("case", "position", "relation"),
        foreign_keys={"case": ("cases", "slug"), "position": ("positions", "slug"), "source": ("sources", "slug")},
    ),
)


# --- Table Schema -------------------------------------------------------------------------------------------------


def model_field(representation, column):
    """The model field a column reads directly, or None (computed columns: counts, lists, addresses)."""
    path = getattr(column.read, "path", None)
    if not path:
        return None
    model = representation.model
    found = None
    for part in path.split("."):
        try:
            found = model._meta.get_field(part)
        except FieldDoesNotExist:  # an annotation (a count), not a field
            return None
        model = found.related_model
    return found


def schema_field(representation, column, absolute=True):
    """A Table Schema field for a column: type and constraints from its declared JSON Schema and its model field,
    description from its label and the model field's help text, enumerations with their labels."""
    schema = column.schema
    kind = schema.get("type", "string")
    model = model_field(representation, column)
    result = {"name": column.name, "title": str(column.label)}
    description = str(column.label)
    if model is not None and model.help_text:
        description += f". {model.help_text}"
    result["description"] = description
    constraints = {}
    if kind in ("integer", "number", "boolean"):
        result["type"] = kind
    elif kind == "array":
        result["type"] = "string"
        result["description"] += ' (several values joined with "; ")'
    else:
        result["type"] = "string"
        if schema.get("format") == "uri" and absolute:
            result["format"] = "uri"
        if "pattern" in schema:
            constraints["pattern"] = schema["pattern"]
    if kind == "boolean":
        result["trueValues"], result["falseValues"] = ["true"], ["false"]
    if "enum" in schema:
        constraints["enum"] = list(schema["enum"])
        result["categories"] = [{"value": value, "label": label} for value, label in schema["x-choices"]]
    if (
        model is not None
        and getattr(model, "max_length", None)
        and result["type"] == "string"
        and not model.is_relation
    ):
        constraints["maxLength"] = model.max_length
    # Required unless the declaration allows null, the model a blank value, or the value is a list (an empty list
    # is an empty cell).
    if not column.nullable and kind != "array" and not (model is not None and model.blank):
        constraints["required"] = True
    if constraints:
        result["constraints"] = constraints
    return result


def table_schema(table, absolute=True):
    """The table's Table Schema; without `absolute` (no SITE_URL) the entries' addresses are paths, not URIs."""
    schema = {
        "fields": [schema_field(table.representation, column, absolute) for column in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": target, "fields": [key]}}
            for column, (target, key) in table.foreign_keys.items()
        ]
    return schema
