"""What a case, its evidence and its timeline events contribute to the search index (see cases/search/)."""

from django.db.models import Prefetch

from cases.core.chinese import chinese_names, english, translations
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
        for name in (role.organisation.name, *chinese_names(role.organisation))
    ]
    places = [name for p in case.places.all() if is_public(p) for name in (p.name, *chinese_names(p))]
    return {
        "title": clean(english(case, "title")),
        "summary": clean(english(case, "summary"), *organisations),
        # The archive's Chinese is searchable without showing in the English snippet of the summary.
        "body": clean(
            *translations(case, "title", "summary"),
            case.narrative,
            case.get_kind_display(),
            case.get_stage_display() if case.stage else "",
            case.stage_note,
            case.outcome_note,
            *places,
            *[name for i in case.issues.all() for name in (i.name, *chinese_names(i))],
            *[name for t in case.tactics.all() for name in (t.name, *chinese_names(t))],
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
        "body": clean(english(item.intervention, "title")),
        "url": f"{item.intervention.get_absolute_url()}#evidence",
        "context": clean("Evidence in", english(item.intervention, "title"), "·", item.locator),
    }


def evidence_to_index():
    return Evidence.objects.select_related("intervention")


def event_entry(event):
    if not is_public(event):
        return None
    return {
        "title": clean(english(event, "title")),
        "summary": clean(event.description),
        "body": clean(*translations(event, "title"), english(event.intervention, "title")),
        "url": f"{event.intervention.get_absolute_url()}#timeline",
        "context": clean(event.date_display, "·", english(event.intervention, "title")),
    }


def events_to_index():
    return Event.objects.select_related("intervention")
