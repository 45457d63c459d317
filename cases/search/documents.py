"""What each kind of entry contributes to the index: title (weighted most), summary, body, link and context.

Each builder takes a model instance (with the related rows it needs) and returns the fields of its
`SearchEntry`, or None when the entry must not be found (not published, or part of an unpublished case).
The querysets here fetch every kind in a fixed number of queries, for the rebuild.
"""

from django.db.models import Prefetch

from cases.core.models import Source, SourceAuthor, Status
from cases.interventions.models import Event, Evidence, Intervention, Role
from cases.organisations.models import Organisation
from cases.scholarship.models import Concept, Position

from .models import Kind

# Characters the highlighter uses as markers; never let content carry them into the index.
MARK_START = "\x02"
MARK_END = "\x03"
_STRIP = str.maketrans({MARK_START: " ", MARK_END: " ", "\x00": " "})


def clean(*parts):
    return " ".join(str(p) for p in parts if p).translate(_STRIP).strip()


def _published(obj):
    return obj is not None and obj.status == Status.PUBLISHED


def case_entry(case):
    if not _published(case):
        return None
    organisations = [role.organisation.name for role in case.roles.all() if _published(role.organisation)]
    places = [p.name for p in case.places.all() if _published(p)]
    return {
        "title": clean(case.title),
        "summary": clean(case.summary, *organisations),
        "body": clean(
            case.narrative,
            case.get_kind_display(),
            case.get_stage_display() if case.stage else "",
            case.stage_note,
            case.outcome_note,
            *places,
            *[i.name for i in case.issues.all()],
            *[t.name for t in case.tactics.all()],
        ),
        "url": case.get_absolute_url(),
        "context": clean(case.get_kind_display(), case.period_display),
    }


def organisation_entry(org):
    if not _published(org):
        return None
    return {
        "title": clean(org.name),
        "summary": clean(org.short_name, org.chinese_name, org.summary),
        "body": clean(org.get_kind_display(), org.get_base_display()),
        "url": org.get_absolute_url(),
        "context": clean(org.get_kind_display(), "(pseudonym)" if org.is_pseudonym else ""),
    }


def position_entry(position):
    if not _published(position):
        return None
    return {
        "title": clean(position.title),
        "summary": clean(position.scholar, position.claim),
        "body": clean(position.key_quotation, position.outlook_note),
        "url": position.get_absolute_url(),
        "context": clean(position.scholar, "·", position.get_outlook_display()),
    }


def source_entry(source):
    if not _published(source):
        return None
    authors = [link.author.display_name for link in source.authorships.all()]
    return {
        "title": clean(source.title),
        "summary": clean(*authors, source.short_title, source.container_title, source.editors),
        "body": clean(source.abstract, source.publisher, source.year),
        "url": source.get_absolute_url(),
        "context": clean(source.author_label, f"({source.year_display})", source.get_kind_display()),
    }


def concept_entry(concept):
    if not _published(concept):
        return None
    return {
        "title": clean(concept.term),
        "summary": clean(concept.aliases.replace(";", " "), concept.chinese_term, concept.definition),
        "body": "",
        "url": concept.get_absolute_url(),
        "context": "Concept",
    }


def evidence_entry(item):
    if not _published(item.intervention):
        return None
    return {
        "title": clean(item.quotation),
        "summary": clean(item.attribution, item.note),
        "body": clean(item.intervention.title),
        "url": f"{item.intervention.get_absolute_url()}#evidence",
        "context": clean("Evidence in", item.intervention.title, "·", item.locator),
    }


def event_entry(event):
    if not _published(event.intervention):
        return None
    return {
        "title": clean(event.title),
        "summary": clean(event.description),
        "body": clean(event.intervention.title),
        "url": f"{event.intervention.get_absolute_url()}#timeline",
        "context": clean(event.date_display, "·", event.intervention.title),
    }


def _authorships():
    return Prefetch("authorships", queryset=SourceAuthor.objects.select_related("author"))


# kind -> (model, builder, queryset for building entries with their related rows)
KINDS = {
    Kind.CASE: (
        Intervention,
        case_entry,
        lambda: Intervention.objects.prefetch_related(
            Prefetch("roles", queryset=Role.objects.select_related("organisation")), "places", "issues", "tactics"
        ),
    ),
    Kind.ORGANISATION: (Organisation, organisation_entry, lambda: Organisation.objects.all()),
    Kind.POSITION: (Position, position_entry, lambda: Position.objects.all()),
    Kind.SOURCE: (Source, source_entry, lambda: Source.objects.prefetch_related(_authorships())),
    Kind.CONCEPT: (Concept, concept_entry, lambda: Concept.objects.all()),
    Kind.EVIDENCE: (Evidence, evidence_entry, lambda: Evidence.objects.select_related("intervention")),
    Kind.EVENT: (Event, event_entry, lambda: Event.objects.select_related("intervention")),
}
