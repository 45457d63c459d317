"""Helpers the public views share: pagination and the list of sources a page rests on."""

from django.core.paginator import Paginator

from cases.core.gate import is_public

PER_PAGE = 25


def paginate(request, queryset, per_page=PER_PAGE):
    """The requested page; a missing, malformed or too large page number gives the nearest real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def sources_with_locators(*groups):
    """[(source, [locator, ...]), ...] for every published source the given facts cite, in order of first use.

    Each group is an iterable of objects with `source` and `locator` (a case, its roles, events, evidence...).
    """
    found = {}
    for group in groups:
        for item in group:
            source = item.source
            if not is_public(source):
                continue
            source_entry = found.setdefault(source.pk, (source, []))
            if item.locator and item.locator not in source_entry[1]:
                source_entry[1].append(item.locator)
    return list(found.values())
