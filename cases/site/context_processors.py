from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The main navigation: (label, URL name, the URL names that belong to the section).
NAVIGATION = [
    (_("Cases"), "intervention_list", {"intervention_list", "intervention_detail"}),
    (_("Timeline"), "timeline", {"timeline"}),
    (_("The debate"), "position_list", {"position_list", "position_detail"}),
    (_("Organisations"), "organisation_list", {"organisation_list", "organisation_detail"}),
    (_("Network"), "network", {"network"}),
    (_("Map"), "map", {"map"}),
    (_("Compare"), "compare", {"compare"}),
    (_("Sources"), "source_list", {"source_list", "source_detail"}),
    (_("Concepts"), "concept_list", {"concept_list", "concept_detail"}),
    (_("Places"), "place_list", {"place_list", "place_detail"}),
    (_("About"), "about", {"about"}),
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
    return {"SITE_NAME": settings.SITE_NAME, "nav_items": nav}
