"""What each kind of entry says in its OAI-PMH record (simple Dublin Core), and which rows the record reads.

Every registered kind of entry with a page is a record (cases/core/registry.py); a kind declared here gets a
fuller description, any other kind its title and address. `reads` names, for the datestamp, the other rows whose
change changes the record (cases/keeping/datestamps.py): {model label: lookup from the entry to that model}.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from cases.core.gate import PublishedPrefetch, public_or_none
from cases.core.markdown import plain_text

PUBLISHER = "Labour NGO Case Archive"


@dataclass(frozen=True)
class DublinCore:
    elements: Any  # elements(entry) -> [(element, value)], besides title, identifier, publisher and language
    prepare: Any = None  # prepare(queryset) -> the queryset loading what `elements` reads
    reads: dict = field(default_factory=dict)
    dcmi_type: str = "Text"


def _source_elements(source):
    source = public_or_none(source)
    if source is None:
        return []
    return [("source", str(source).strip()), ("relation", source)]


def _case(case):
    yield "description", plain_text(case.summary)
    yield "type", case.get_kind_display()
    if case.start_iso:
        yield "date", case.start_iso
        if case.end_iso:
            yield "coverage", f"{case.start_iso}/{case.end_iso}"
    for role in case.roles.all():
        yield "contributor", f"{role.organisation.name} ({role.get_kind_display().lower()})"
    for term in [*case.issues.all(), *case.tactics.all()]:
        yield "subject", term.name
    for place in case.places.all():
        yield "coverage", place.name
    yield from _source_elements(case.source)


def _prepare_case(queryset):
    from cases.core.models import Place

    return queryset.select_related("source").prefetch_related(
        PublishedPrefetch("roles", apps.get_model("interventions.Role").objects.select_related("organisation")),
        PublishedPrefetch("places", Place.objects.order_by("name")),
        "issues",
        "tactics",
        "source__authorships__author",
    )


def _chinese_names(entry):
    # The archive's rendering of the standard Chinese name, in each script where they differ.
    for name in dict.fromkeys(filter(None, (entry.name_zh_hans, entry.name_zh_hant))):
        yield "title", name


def _organisation(org):
    yield "description", plain_text(org.summary)
    yield "type", org.get_kind_display()
    yield from _chinese_names(org)
    place = public_or_none(org.base_place)
    if place is not None:
        yield "coverage", place.name
    yield from _source_elements(org.source)


def _position(position):
    yield "creator", position.scholar
    yield "description", plain_text(position.claim)
    yield "subject", position.get_outlook_display()
    source = public_or_none(position.source)
    if source is not None and source.year:
        yield "date", str(source.year)
    yield from _source_elements(position.source)


def _source(source):
    for author in source.ordered_authors():
        yield "creator", f"{author.family_name}, {author.given_names}".rstrip(", ")
    if source.year:
        yield "date", str(source.year)
    yield "type", source.get_kind_display()
    if source.container_title:
        yield "source", source.container_title
    if source.publisher:
        yield "publisher", source.publisher
    if source.doi:
        yield "identifier", f"https://doi.org/{source.doi}"
    if source.url:
        yield "identifier", source.url
    if source.abstract:
        yield "description", plain_text(source.abstract)


def _concept(concept):
    yield "description", plain_text(concept.definition)
    yield from _chinese_names(concept)
    yield from _source_elements(concept.source)


def _place(place):
    yield "type", place.get_kind_display()
    yield from _chinese_names(place)
    if place.latitude is not None and place.longitude is not None:
        yield "coverage", f"{place.latitude}, {place.longitude}"
    if place.description:
        yield "description", plain_text(place.description)


def _select(*names):
    return lambda queryset: queryset.select_related(*names)


def _prefetch_source_authors(queryset):
    return queryset.select_related("source").prefetch_related("source__authorships__author")


SOURCE_READS = {
    "core.Source": "source",
    "core.SourceAuthor": "source__authorships",
    "core.Author": "source__authorships__author",
}

DUBLIN_CORE = {
    "case": DublinCore(
        _case,
        _prepare_case,
        reads={
            **SOURCE_READS,
            "organisations.Organisation": "roles__organisation",
            "interventions.Role": "roles",
            "core.Place": "places",
            "interventions.Issue": "issues",
            "interventions.Tactic": "tactics",
        },
    ),
    "organisation": DublinCore(
        _organisation,
        lambda qs: _prefetch_source_authors(qs).select_related("base_place"),
        reads={**SOURCE_READS, "core.Place": "base_place"},
        dcmi_type="Text",
    ),
    "position": DublinCore(_position, _prefetch_source_authors, reads=SOURCE_READS),
    "source": DublinCore(
        _source,
        lambda qs: qs.prefetch_related("authorships__author"),
        reads={"core.SourceAuthor": "authorships", "core.Author": "authorships__author"},
    ),
    "concept": DublinCore(_concept, _prefetch_source_authors, reads=SOURCE_READS),
    "place": DublinCore(_place, dcmi_type="Place"),
}

GENERIC = DublinCore(lambda entry: ())


def dublin_core(kind):
    return DUBLIN_CORE.get(kind.key, GENERIC)


def title(entry):
    for name in ("title", "name", "term"):
        value = getattr(entry, name, None)
        if isinstance(value, str) and value:
            return value
    return str(entry)


def elements(kind, entry, absolute):
    """[(element, value)] of an entry's record, empty values and repeats left out; another entry (a relation) is
    given by its page's address, made absolute by `absolute(path)`."""
    found = [("title", title(entry)), ("identifier", absolute(entry.get_absolute_url()))]
    for name, value in dublin_core(kind).elements(entry):
        found.append((name, absolute(value.get_absolute_url()) if hasattr(value, "get_absolute_url") else value))
    found += [("type", dublin_core(kind).dcmi_type), ("publisher", PUBLISHER), ("language", "en")]
    return [(name, str(value)) for name, value in dict.fromkeys(found) if value not in (None, "")]
