from django.apps import AppConfig


class KindAppConfig(AppConfig):
    name = "tests.kindapp"
    label = "kindapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cases.core.registry import EntryKind, SearchDocument, register

        # The one declaration a new kind needs (besides its own model, views and templates).
        register(
            EntryKind(
                model="kindapp.Leaflet",
                key="leaflet",
                label="Leaflet",
                plural="Leaflets",
                url_prefix="leaflets",
                detail_view="tests.kindapp.views.leaflet_detail",
                search=SearchDocument(
                    builder="tests.kindapp.views.leaflet_document",
                    queryset="tests.kindapp.views.leaflets_to_index",
                ),
                reading_lists=True,  # the default, said here: lists take it with no change to the teaching app
                jsonld_type="CreativeWork",
            )
        )
