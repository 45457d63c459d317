from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "cases.organisations"
    label = "organisations"
    verbose_name = _("Organisations and their relations")

    def ready(self):
        from cases.core.registry import EntryKind, SearchDocument, register

        register(
            EntryKind(
                model="organisations.Organisation",
                key="organisation",
                label=_("Organisation"),
                plural=_("Organisations"),
                url_prefix="organisations",
                detail_view="cases.organisations.views.organisation_detail",
                # A relation is public when both organisations are.
                parts={"relations_out": ("object",)},
                search=SearchDocument(
                    builder="cases.organisations.search.organisation_entry",
                    queryset="cases.organisations.search.organisations_to_index",
                    order=2,
                ),
                jsonld_type="Organization",
            )
        )
