"""Give every published entry without a public version its first one (after loading fixtures or a backup, whose raw
saves record none); the pages are rendered when the command's transaction commits."""

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.keeping.versions import fill_pending, record_missing


class Command(BaseCommand):
    help = "Create version 1 of every published entry that has no public version yet, and render missing pages."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = record_missing()
        if not transaction.get_connection().in_atomic_block:
            # Committed: the pages of these versions were rendered on commit; render any left from before.
            fill_pending()
        if options["verbosity"]:
            self.stdout.write(f"{created} first versions recorded.")
