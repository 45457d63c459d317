from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "cases.interventions"
    label = "interventions"
    verbose_name = _("Cases: timelines, evidence, roles")

    def ready(self):
        from cases.core.registry import EntryKind, PartKind, SearchDocument, register

        register(
            EntryKind(
                model="interventions.Intervention",
                key="case",
                label=_("Case"),
                plural=_("Cases"),
                url_prefix="cases",
                detail_view="cases.interventions.views.intervention_detail",
                # A role is public when its organisation is too; a stance when its position is.
                parts={
                    "roles": ("organisation",),
                    "events": (),
                    "evidence": (),
                    "figures": (),
                    "stances": ("position",),
                },
                search=SearchDocument(
                    builder="cases.interventions.search.case_entry",
                    queryset="cases.interventions.search.cases_to_index",
                    watch={
                        "organisations.Organisation": "roles__organisation",
                        "interventions.Role": "roles",
                        "core.Place": "places",
                        "interventions.Issue": "issues",
                        "interventions.Tactic": "tactics",
                    },
                    order=1,
                ),
                jsonld_type="Article",
            )
        )
        # Evidence and timeline events are found on their own, as parts of their case.
        register(
            PartKind(
                model="interventions.Evidence",
                through=(),
                key="evidence",
                label=_("Evidence"),
                search=SearchDocument(
                    builder="cases.interventions.search.evidence_entry",
                    queryset="cases.interventions.search.evidence_to_index",
                    order=6,
                ),
            )
        )
        register(
            PartKind(
                model="interventions.Event",
                through=(),
                key="event",
                label=_("Timeline events"),
                search=SearchDocument(
                    builder="cases.interventions.search.event_entry",
                    queryset="cases.interventions.search.events_to_index",
                    order=7,
                ),
            )
        )
