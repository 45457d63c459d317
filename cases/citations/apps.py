from django.apps import AppConfig


class CitationsConfig(AppConfig):
    name = "cases.citations"
    label = "citations"
    verbose_name = "Citations and metadata"
