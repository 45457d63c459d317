from django.urls import path, register_converter

from cases.citations import views
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

# Each kind of entry's page can be cited, in the language it was read in (sitemap.xml, feed.atom, robots.txt and the
# source references are in machine_urls.py): /cases/<slug>/cite.bib, /organisations/<slug>/cite.ris, ...
urlpatterns = [
    path(
        f"{kind.url_prefix}/<slug:slug>/cite.<citeformat:fmt>",
        views.cite_page,
        {"model_name": kind.model_name},
        name=f"{kind.model_name}_cite",
    )
    for kind in registry.kinds()
]
