from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    """The curators' tools: the publication workflow and its log, previews, revision history and roles."""

    name = "cases.curation"
    label = "curation"
    verbose_name = _("Curation")

    def ready(self):
        from cases.core import registry
        from cases.curation import signals, versions

        versions.register_archive_models()
        # Kinds declared by apps set up after this one are versioned as they are declared.
        registry.on_register(lambda kind: versions.register_archive_models())
        signals.connect()
        # A withdrawn entry's old address says what was there (cases/core/errors.py asks).
        registry.provide("withdrawn_entry", "cases.curation.withdrawn.withdrawn_entry")
        # Keep the roles in step with the models after every migrate (manage.py setup_roles does the same).
        post_migrate.connect(update_roles, sender=self, dispatch_uid="curation-setup-roles")


def update_roles(sender, using="default", **kwargs):
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from cases.curation.roles import setup_roles

    if using == "default":
        setup_roles(Group, Permission, app_configs=apps.get_app_configs())
