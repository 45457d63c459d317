from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cases.search"
    verbose_name = "Search"

    def ready(self):
        from . import signals

        signals.connect()  # the receivers that keep the index in step
