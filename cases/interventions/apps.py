from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "cases.interventions"
    label = "interventions"
