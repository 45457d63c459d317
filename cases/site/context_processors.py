from django.utils.translation import pgettext_lazy

from cases.core import i18n

# The main navigation: (label, URL name, the URL names that belong to the section).
NAVIGATION = [
    (pgettext_lazy("main navigation", "Cases"), "intervention_list", {"intervention_list", "intervention_detail"}),
    (pgettext_lazy("main navigation", "Timeline"), "timeline", {"timeline"}),
    (pgettext_lazy("main navigation", "The debate"), "position_list", {"position_list", "position_detail"}),
    (
        pgettext_lazy("main navigation", "Organisations"),
        "organisation_list",
        {"organisation_list", "organisation_detail"},
    ),
    (pgettext_lazy("main navigation", "Network"), "network", {"network"}),
    (pgettext_lazy("main navigation", "Map"), "map", {"map"}),
    (pgettext_lazy("main navigation", "Compare"), "compare", {"compare"}),
    (pgettext_lazy("main navigation", "Sources"), "source_list", {"source_list", "source_detail"}),
    (pgettext_lazy("main navigation", "Concepts"), "concept_list", {"concept_list", "concept_detail"}),
    (pgettext_lazy("main navigation", "Places"), "place_list", {"place_list", "place_detail"}),
    (pgettext_lazy("main navigation", "About"), "about", {"about"}),
]


def site(request):
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else None
    nav = [
        {
            "label": label,
            "url_name": url_name,
            # aria-current="page" on the page itself, "true" on the section a detail page belongs to
            "current": "page" if current == url_name else ("true" if current in section else ""),
        }
        for label, url_name, section in NAVIGATION
    ]
    return {
        "SITE_NAME": i18n.site_name(),
        "nav_items": nav,
        # The language switcher and the hreflang alternates: this page, with its query string, in each language.
        "languages": i18n.alternates(request),
    }
