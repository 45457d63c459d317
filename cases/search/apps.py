from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cases.search"
    verbose_name = "Search"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers that keep the index in step)
