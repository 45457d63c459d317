from django.apps import AppConfig


class KeepingConfig(AppConfig):
    """Keeping the archive beyond its makers: OAI-PMH for harvesters and versioned open-data releases."""

    name = "cases.keeping"
    label = "keeping"
    verbose_name = "Keeping the archive"

    def ready(self):
        from cases.core import registry

        from . import datestamps

        datestamps.connect()
        registry.on_register(lambda kind: datestamps.connect())
