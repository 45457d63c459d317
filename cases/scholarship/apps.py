from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScholarshipConfig(AppConfig):
    name = "cases.scholarship"
    label = "scholarship"
    verbose_name = _("The debate: positions and concepts")

    def ready(self):
        from cases.core.registry import EntryKind, SearchDocument, provide, register

        # The glossary, for the pages of lower apps that link terms to concepts (a case's narrative).
        provide("glossary", "cases.scholarship.selectors.concepts_for_linking")

        register(
            EntryKind(
                model="scholarship.Position",
                key="position",
                label=_("Scholarly position"),
                plural=_("Scholarly positions"),
                url_prefix="positions",
                detail_view="cases.scholarship.views.position_detail",
                parts={"stances": ("intervention",)},
                search=SearchDocument(
                    builder="cases.scholarship.search.position_entry",
                    queryset="cases.scholarship.search.positions_to_index",
                    label=_("Positions"),
                    order=3,
                ),
                jsonld_type="Claim",
            )
        )
        register(
            EntryKind(
                model="scholarship.Concept",
                key="concept",
                label=_("Concept"),
                plural=_("Concepts"),
                url_prefix="concepts",
                detail_view="cases.scholarship.views.concept_detail",
                search=SearchDocument(
                    builder="cases.scholarship.search.concept_entry",
                    queryset="cases.scholarship.search.concepts_to_index",
                    order=5,
                ),
                jsonld_type="DefinedTerm",
            )
        )
