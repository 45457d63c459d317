from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from cases.curation.roles import setup_roles


class Command(BaseCommand):
    help = (
        "Create or update the groups Curators, Senior curators, Instructors and Administrators with exactly "
        "the permissions of their role (safe to rerun; run it after adding models)."
    )

    def handle(self, *args, **options):
        counts = setup_roles(Group, Permission, app_configs=apps.get_app_configs())
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} permissions")
