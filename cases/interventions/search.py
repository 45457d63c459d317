"""What a case, its evidence and its timeline events contribute to the search index (see cases/search/)."""

from django.db.models import Prefetch

from cases.core.gate import is_public
from cases.core.text import clean
from cases.interventions.models import Event, Evidence, Intervention, Role


def case_entry(case):
    if not is_public(case):
        return None
    # Organisations and places by their names in English and in Chinese (广州 finds the cases in Guangzhou).
    organisations = [
        name
        for role in case.roles.all()
        if is_public(role.organisation)
        for name in (role.organisation.name, role.organisation.chinese_name)
    ]
    places = [name for p in case.places.all() if is_public(p) for name in (p.name, p.chinese_name)]
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


def cases_to_index():
    return Intervention.objects.prefetch_related(
        Prefetch("roles", queryset=Role.objects.select_related("organisation")), "places", "issues", "tactics"
    )


def evidence_entry(item):
    if not is_public(item):
        return None
    return {
        "title": clean(item.quotation),
        "summary": clean(item.attribution, item.note),
        "body": clean(item.intervention.title),
        "url": f"{item.intervention.get_absolute_url()}#evidence",
        "context": clean("Evidence in", item.intervention.title, "·", item.locator),
    }


def evidence_to_index():
    return Evidence.objects.select_related("intervention")


def event_entry(event):
    if not is_public(event):
        return None
    return {
        "title": clean(event.title),
        "summary": clean(event.description),
        "body": clean(event.intervention.title),
        "url": f"{event.intervention.get_absolute_url()}#timeline",
        "context": clean(event.date_display, "·", event.intervention.title),
    }


def events_to_index():
    return Event.objects.select_related("intervention")
