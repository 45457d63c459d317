from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "cases.interventions"
    label = "interventions"

    def ready(self):
        from cases.core.registry import EntryKind, register

        register(
            EntryKind(
                model="interventions.Intervention",
                key="case",
                label="Case",
                plural="Cases",
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
                jsonld_type="Article",
            )
        )
