from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from cases.citations import views
from cases.citations.feeds import NewEntriesFeed
from cases.citations.sitemaps import sitemaps
from cases.core import registry


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

# Each kind of entry's page can be cited: /cases/<slug>/cite.bib, /organisations/<slug>/cite.ris, ...
urlpatterns = [
    path(
        f"{kind.url_prefix}/<slug:slug>/cite.<citeformat:fmt>",
        views.cite_page,
        {"model_name": kind.model_name},
        name=f"{kind.model_name}_cite",
    )
    for kind in registry.kinds()
] + [
    path("sources/<slug:slug>/reference.<referenceformat:fmt>", views.source_reference, name="source_reference"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
    path("feed.atom", NewEntriesFeed(), name="feed"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
