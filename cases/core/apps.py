from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cases.core"
    label = "core"
    verbose_name = "Sources, places and authors"

    def ready(self):
        from cases.core.cache import connect_signals

        connect_signals()
