"""Write a backup of the archive (content, accounts, history) to a timestamped file in backups/."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.curation.backup import backup_labels, create_private


class Command(BaseCommand):
    help = (
        "Write the archive's content, accounts and history to backups/archive-<time>.yaml.gz (or --output), "
        "readable by its owner only: it holds password hashes, e-mail addresses and share links."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write: .yaml or .yaml.gz (also .json, .xml).")

    def handle(self, *args, output=None, **options):
        if output is None:
            folder = Path(settings.BASE_DIR) / "backups"
            folder.mkdir(mode=0o700, exist_ok=True)
            # Backups written before files were made private are made private too.
            for path in [folder, *folder.glob("archive-*")]:
                path.chmod(0o700 if path.is_dir() else 0o600)
            output = folder / f"archive-{timezone.now():%Y%m%d-%H%M%S}.yaml.gz"
        # Created 0600 before dumpdata opens it: it writes into the file as it is.
        create_private(output)
        # YAML by default: Django's JSON cuts times to milliseconds, YAML keeps them exactly.
        fmt = next((f for f in ("json", "xml", "yaml") if f".{f}" in Path(str(output)).name), "yaml")
        call_command("dumpdata", *backup_labels(), natural_foreign=True, format=fmt, output=str(output), verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {output}"))
