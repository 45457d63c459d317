from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KeepingConfig(AppConfig):
    """Keeping the archive beyond its makers: OAI-PMH for harvesters, versioned open-data releases, and citable
    public versions of every entry with a public change log."""

    name = "cases.keeping"
    label = "keeping"
    verbose_name = _("Keeping the archive")

    def ready(self):
        from cases.core import registry

        from . import datestamps, versions

        datestamps.connect()
        registry.on_register(lambda kind: datestamps.connect())
        # Public versions: recorded when a transaction that changed a published entry commits.
        versions.connect()
        registry.on_register(lambda kind: versions.connect())
        # The first versions a migration created are rendered once the tables are all there.
        post_migrate.connect(fill_versions, dispatch_uid="keeping-fill-versions")


def fill_versions(sender, using="default", **kwargs):
    # Sent once per app with models after every migration has run (this app has none): once is enough.
    if sender.name != "cases.core":
        return
    from .versions import fill_pending

    fill_pending(using)
