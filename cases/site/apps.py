from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The pages that cut across kinds (home, about) and the entries of `core` (sources, places): the top floor."""

    name = "cases.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self):
        from cases.core.registry import EntryKind, SearchDocument, register

        register(
            EntryKind(
                model="core.Source",
                key="source",
                label=_("Source"),
                plural=_("Sources"),
                url_prefix="sources",
                detail_view="cases.site.views.source_detail",
                parts={"authorships": (), "methods": (), "citations_made": ("cited",)},
                search=SearchDocument(
                    builder="cases.site.search.source_entry",
                    queryset="cases.site.search.sources_to_index",
                    watch={"core.SourceAuthor": "authorships", "core.Author": "authorships__author"},
                    order=4,
                ),
                jsonld_type="CreativeWork",
            )
        )
        register(
            EntryKind(
                model="core.Place",
                key="place",
                label=_("Place"),
                plural=_("Places"),
                url_prefix="places",
                detail_view="cases.site.views.place_detail",
                search=SearchDocument(
                    builder="cases.site.search.place_entry",
                    queryset="cases.site.search.places_to_index",
                    # A place is shown with the place it lies in: renaming that one re-indexes it.
                    watch={"core.Place": "parent"},
                    order=5,
                ),
                reading_lists=False,
                jsonld_type="Place",
            )
        )
