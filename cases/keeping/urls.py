from django.urls import path, register_converter

from cases.citations.urls import CiteFormat
from cases.core import registry

from . import feeds, views


class VersionNumber:
    """1 to 999999999: 0, negative numbers, text and numbers too large for the database are no address (404)."""

    regex = "[1-9][0-9]{0,8}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(VersionNumber, "version")
register_converter(CiteFormat, "versioncite")

# The release pages; OAI-PMH and the release files are at one address in every language (labourarchive/urls.py).
# A release is `v<n>`; a file is one its manifest lists (cases/keeping/views.py): anything else answers 404.
urlpatterns = [
    path("data/", views.data_index, name="data_index"),
    path("data/latest/", views.data_latest, name="data_latest"),
    path("data/<str:version>/", views.data_release, name="data_release"),
    path("changes/", views.public_changes, name="public_changes"),
    path("changes/feed.atom", feeds.PublicChangesFeed(), name="public_changes_feed"),
]

# Each kind's published entries keep their public versions: /cases/<slug>/v/2/, /cases/<slug>/v/2/cite.bib, ...
for kind in registry.kinds():
    urlpatterns += [
        path(
            f"{kind.url_prefix}/<slug:slug>/v/<version:number>/",
            views.entry_version,
            {"model_name": kind.model_name},
            name=f"{kind.model_name}_version",
        ),
        path(
            f"{kind.url_prefix}/<slug:slug>/v/<version:number>/cite.<versioncite:fmt>",
            views.entry_version_cite,
            {"model_name": kind.model_name},
            name=f"{kind.model_name}_version_cite",
        ),
    ]
