from django.apps import AppConfig


class VisualConfig(AppConfig):
    name = "cases.visual"
    label = "visual"
    verbose_name = "Visual views: timelines, network, map, comparison"
