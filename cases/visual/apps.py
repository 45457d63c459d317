from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisualConfig(AppConfig):
    name = "cases.visual"
    label = "visual"
    verbose_name = _("Visual views: timelines, network, map, comparison")

    def ready(self):
        from cases.core.registry import provide

        # The case page (an app below this one) draws its case's network with this, without importing it.
        provide("case_network", "cases.visual.selectors.case_network")
