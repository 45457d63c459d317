from django.conf import settings

# The main navigation: (label, URL name, the URL names that belong to the section).
NAVIGATION = [
    ("Cases", "intervention_list", {"intervention_list", "intervention_detail"}),
    ("Timeline", "timeline", {"timeline"}),
    ("The debate", "position_list", {"position_list", "position_detail"}),
    ("Organisations", "organisation_list", {"organisation_list", "organisation_detail"}),
    ("Network", "network", {"network"}),
    ("Map", "map", {"map"}),
    ("Compare", "compare", {"compare"}),
    ("Sources", "source_list", {"source_list", "source_detail"}),
    ("Concepts", "concept_list", {"concept_list", "concept_detail"}),
    ("Places", "place_list", {"place_list", "place_detail"}),
    ("About", "about", {"about"}),
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
