from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "cases.search"
    verbose_name = _("Search")

    def ready(self):
        from cases.core import registry

        from . import signals

        signals.connect()  # the receivers that keep the index in step
        # The admin hands over what it saved with every row the documents read (cases/curation/admin_save.py).
        registry.provide("index_in_hand", "cases.search.signals.hold")
        # Kinds declared by apps set up after this one are indexed as they are declared.
        registry.on_register(lambda kind: signals.connect())
