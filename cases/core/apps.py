from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cases.core"
    label = "core"
    verbose_name = _("Sources, places and authors")

    def ready(self):
        from django.db.models.signals import pre_save

        from cases.core.cache import connect_signals
        from cases.core.chinese import keep_english_in_base_columns

        connect_signals()
        pre_save.connect(keep_english_in_base_columns, dispatch_uid="keep_english_in_base_columns")
