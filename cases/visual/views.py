"""The timeline across cases, the network, the map and the comparison."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from cases.core.cache import cache_params
from cases.core.pages import paginate
from cases.find.listing import Listing, listing_params
from cases.interventions.filters import InterventionFilterSet
from cases.interventions.models import Event, Intervention, RoleKind
from cases.visual import geo, network, selectors
from cases.visual.forms import MAX_CASES, CompareForm, NetworkForm, has_nul
from cases.visual.timeline import NARROW, build_axis, case_span, cases_chart, event_mark, year_range

EVENTS_PER_PAGE = 100
# The overview draws a row per case: past this many, the filters narrow it (the list below still has every event).
CHARTED_CASES = 60
MAX_LINKS = 150
CASES_PER_PLACE = 6
# Up to this many published cases the comparison offers three drop-down lists; beyond it, three text
# fields sharing one list of suggestions, so the page does not carry every title three times.
SELECT_LIMIT = 200


def _bad_request(request, template, context):
    context["bad_request"] = True
    return render(request, template, context, status=400)


@listing_params(InterventionFilterSet)
def timeline(request):
    """All published cases' events, narrowed by the case list's own filters (same URLs, same facets)."""
    listing = Listing(
        request,
        InterventionFilterSet,
        selectors.cases_for_timeline(),
        Intervention.objects.published(),
        per_page=EVENTS_PER_PAGE,
    )
    cases = listing.filterset.qs
    events = selectors.events_of(cases) if listing.valid else Event.objects.none()
    page = paginate(request, events, per_page=EVENTS_PER_PAGE)
    context = listing.context(
        page_obj=page,
        events=page.object_list,
        **(_overview(selectors.cases_with_events(cases, CHARTED_CASES)) if listing.valid else {}),
        sort=None,  # events are always in date order
    )
    return render(request, "visual/timeline.html", context, status=400 if listing.errors else 200)


def _overview(cases):
    """The cases drawn at a desk's width and at a phone's, and whether some were left out."""
    return {
        "overview": cases_chart(cases),
        "overview_narrow": cases_chart(cases, width=NARROW),
        "overview_capped": len(cases) >= CHARTED_CASES,
        "charted_cases": CHARTED_CASES,
    }


@cache_params("relation", "case")
def network_view(request):
    if has_nul(request.GET):
        form = NetworkForm()
        return _bad_request(request, "visual/network.html", {"form": form, "case_choices": form.case_choices})
    form = NetworkForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _bad_request(request, "visual/network.html", {"form": form, "case_choices": form.case_choices})
    kind = form.cleaned_data.get("relation", "") if form.is_bound else ""
    case = form.cleaned_data.get("case") if form.is_bound else None
    roles = selectors.case_roles(case)
    links = selectors.relation_links(kind, case) + selectors.role_links(roles, kind)
    truncated = len(links) > MAX_LINKS
    links = links[:MAX_LINKS]
    organisations = {link.subject.pk: link.subject for link in links} | {link.object.pk: link.object for link in links}
    if case is not None and not kind:
        organisations |= {role.organisation.pk: role.organisation for role in roles}
    context = {
        "form": form,
        "case_choices": form.case_choices,
        "selected_case": case.slug if case else "",
        "case": case,
        "links": links,
        "graph": network.layout(organisations.values(), links),
        "narrow_graph": network.narrow_layout(organisations.values(), links),
        "truncated": truncated,
        "max_links": MAX_LINKS,
    }
    return render(request, "visual/network.html", context)


def map_view(request):
    places = list(selectors.places_for_map())
    views = []
    for view in geo.VIEWS:
        markers = [{"place": place, **_marker(view, place)} for place in places if _on_view(view, place)]
        views.append({"view": view, "outlines": geo.outlines(view), "markers": markers})
    detail = [m["place"] for m in views[0]["markers"] if geo.PRD_NARROW.contains(*_point(m["place"]))]
    views[0]["narrow"] = {
        "view": geo.PRD_NARROW,
        "outlines": geo.outlines(geo.PRD_NARROW),
        "markers": [{"place": place, **_marker(geo.PRD_NARROW, place)} for place in detail],
    }
    prd = views[0]["view"]
    china = views[1]
    x1, y1 = china["view"].project(prd.west, prd.north)
    x2, y2 = china["view"].project(prd.east, prd.south)
    china["detail_box"] = {"x": x1, "y": y1, "w": round(x2 - x1, 1), "h": round(y2 - y1, 1)}
    shown = {m["place"].pk for v in views for m in v["markers"]}
    cases = selectors.first_cases_by_place(places, CASES_PER_PLACE)
    for place in places:
        place.map_note = _map_note(place, shown)
        place.first_cases = cases.get(place.pk, [])
    context = {"maps": views, "places": places}
    return render(request, "visual/map.html", context)


# Places the detail map marks: towns and cities. Provinces, regions and countries are listed, not pinned to a point.
POINT_KINDS = {"city", "district", "territory"}


def _map_note(place, shown):
    """Why a place has no marker, in words for the list under the maps."""
    if place.pk in shown:
        return ""
    if place.kind not in POINT_KINDS:
        return _("a %(kind)s, not pinned to a point") % {"kind": place.get_kind_display().lower()}
    if not _has_point(place):
        return _("no coordinates recorded")
    return _("outside the maps")


def _point(place):
    return float(place.longitude), float(place.latitude)


def _has_point(place):
    return place.latitude is not None and place.longitude is not None


def _inside_detail(place):
    return _has_point(place) and geo.PRD.contains(float(place.longitude), float(place.latitude))


def _on_view(view, place):
    if not _has_point(place) or place.kind not in POINT_KINDS:
        return False
    if not view.contains(float(place.longitude), float(place.latitude)):
        return False
    # The overview leaves the detail map's places to the detail map, and marks its area instead.
    return view is geo.PRD or not _inside_detail(place)


def _marker(view, place):
    x, y = view.project(*_point(place))
    radius = round(5 + 2 * min(place.case_count, 16) ** 0.5, 1)
    # Labels go to the right unless that would leave the map.
    left = x > view.width - 150
    return {
        "x": x,
        "y": y,
        "r": radius,
        "label_x": round(x - radius - 4 if left else x + radius + 4, 1),
        "anchor": "end" if left else "start",
    }


@cache_params(lists=["cases"])
def compare(request):
    if has_nul(request.GET):
        form = CompareForm()
        context = {"form": form, "pickers": _pickers([]), "use_selects": len(form.choices) <= SELECT_LIMIT}
        return _bad_request(request, "visual/compare.html", context)
    form = CompareForm(request.GET if "cases" in request.GET else None)
    context = {
        "form": form,
        "pickers": _pickers(request.GET.getlist("cases")),
        "use_selects": len(form.choices) <= SELECT_LIMIT,
    }
    if not form.is_bound:
        return render(request, "visual/compare.html", context)
    if not form.is_valid():
        return _bad_request(request, "visual/compare.html", context)
    cases = selectors.cases_for_compare(form.cleaned_data["cases"])
    context["cases"] = cases
    context["selected"] = [case.slug for case in cases]
    context["axes"] = _compare_axes(cases)
    for case in cases:
        roles = case.roles.all()
        case.role_groups = [(label, [role for role in roles if role.kind == kind]) for kind, label in RoleKind.choices]
        case.role_groups = [(label, members) for label, members in case.role_groups if members]
    return render(request, "visual/compare.html", context)


def _pickers(values):
    """(number, chosen slug) for each of the three pickers, keeping what the reader chose."""
    chosen = [value for value in values if value.strip()][:MAX_CASES] if len(values) <= 10 else []
    chosen += [""] * (MAX_CASES - len(chosen))
    return list(enumerate(chosen, start=1))


def _compare_axes(cases):
    """One axis per case on a shared scale, so the columns' periods can be compared by eye."""
    marks = {case.pk: [event_mark(e) for e in case.events.all()] for case in cases}
    spans = {case.pk: case_span(case) for case in cases}
    years = year_range([m for ms in marks.values() for m in ms] + [s for s in spans.values() if s])
    return {case.pk: build_axis(marks[case.pk], span=spans[case.pk], width=320, years=years) for case in cases}
