import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.keeping import mirror


class Command(BaseCommand):
    help = (
        "Write a static copy of the published archive (every public page, its static files and a search index) into "
        "a new folder that works from any static host and from a local disk."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default="mirror", help="A new or empty folder (default: mirror/).")
        parser.add_argument("--zip", help="Also write the copy as this zip file.")

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty: a mirror is written into a new folder.")
        # One log line per page rendered says nothing here: the command reports its own progress.
        logging.disable(logging.INFO)
        try:
            result = mirror.build(folder, log=lambda message: self.stderr.write(message))
        finally:
            logging.disable(logging.NOTSET)
        self.stdout.write(
            f"Mirror in {folder}: {result.pages} pages, {result.files} files, {result.bytes} bytes, "
            f"{result.seconds:.1f} s (search index {result.search_seconds:.1f} s)"
        )
        if options["zip"]:
            target = mirror.zip_folder(folder, options["zip"])
            self.stdout.write(f"Zip: {target} ({target.stat().st_size} bytes)")
