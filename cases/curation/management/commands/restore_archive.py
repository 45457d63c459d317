"""Load a backup made by backup_archive: into a fresh database, or with --force into one that holds content."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.curation.backup import existing_content, restore
from cases.curation.roles import setup_roles


class Command(BaseCommand):
    help = "Restore a backup (from backup_archive) into a freshly migrated, empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file, e.g. backups/archive-20260101-120000.yaml.gz")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Load even though the database holds content: entries are matched by slug and updated, accounts "
                "by username and kept as they are, everything else is added; nothing changes owner."
            ),
        )

    def handle(self, *args, file, force=False, **options):
        existing = existing_content()
        if existing and not force:
            found = ", ".join(f"{count} {label}" for label, count in existing.items())
            raise CommandError(
                f"This database is not empty ({found}): restoring would mix two archives. "
                "Restore into a fresh database (migrate an empty one), or pass --force to merge the backup in."
            )
        with transaction.atomic():
            # Permissions and the roles first: the backup's groups and accounts refer to them by name.
            setup_roles(Group, Permission, app_configs=apps.get_app_configs())
            report = restore(file)
            if apps.is_installed("cases.search"):
                # The search index is derived data: not in the backup, rebuilt from what was restored.
                call_command("rebuild_search_index", verbosity=0)
        for label, count in sorted(report["left out"].items()):
            self.stdout.write(
                f"Left out {count} {label}: they refer to entries the backup no longer holds (deleted ones) "
                "whose ids belong to other rows here."
            )
        self.stdout.write(self.style.SUCCESS(f"Restored {file}"))
