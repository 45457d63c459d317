from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cases.core"
    label = "core"
    verbose_name = _("Sources, places and authors")

    def ready(self):
        from cases.core.cache import connect_signals

        connect_signals()
