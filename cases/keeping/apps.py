from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeepingConfig(AppConfig):
    """Keeping the archive beyond its makers: OAI-PMH for harvesters and versioned open-data releases."""

    name = "cases.keeping"
    label = "keeping"
    verbose_name = _("Keeping the archive")

    def ready(self):
        from cases.core import registry

        from . import datestamps

        datestamps.connect()
        registry.on_register(lambda kind: datestamps.connect())
