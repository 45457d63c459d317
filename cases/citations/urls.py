from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from cases.citations import views
from cases.citations.feeds import NewEntriesFeed
from cases.citations.sitemaps import SITEMAPS


class CiteFormat:
    regex = "bib|ris"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ReferenceFormat(CiteFormat):
    regex = "bib|ris|json"


register_converter(CiteFormat, "citeformat")
register_converter(ReferenceFormat, "referenceformat")

# Each kind of page with its own address: /cases/<slug>/cite.bib, /organisations/<slug>/cite.ris, ...
PAGE_PREFIXES = {
    "intervention": "cases",
    "organisation": "organisations",
    "position": "positions",
    "concept": "concepts",
    "place": "places",
    "source": "sources",
}

urlpatterns = [
    path(
        f"{prefix}/<slug:slug>/cite.<citeformat:fmt>",
        views.cite_page,
        {"model_name": model_name},
        name=f"{model_name}_cite",
    )
    for model_name, prefix in PAGE_PREFIXES.items()
] + [
    path("sources/<slug:slug>/reference.<referenceformat:fmt>", views.source_reference, name="source_reference"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("feed.atom", NewEntriesFeed(), name="feed"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
