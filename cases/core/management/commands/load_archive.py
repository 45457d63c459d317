"""Load the canonical content (fixtures/*.yaml, in file-name order) into the archive.

An archive that already holds content is left alone unless --reload is given, so running
`make run` again neither duplicates nor overwrites anything a curator entered. With --reload,
entries are matched by their natural keys (slugs), so rows are updated, never duplicated.
"""

import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F

from cases.core.chinese import apply_translations
from cases.core.models import Source, natural_keys_remembered

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
TEXT_DIR = FIXTURE_DIR / "texts"


def fixture_files():
    return sorted(FIXTURE_DIR.glob("[0-9][0-9]_*.yaml"))


def translation_files():
    """The Chinese layer (fixtures/translations/*.yaml), applied over the English after it is loaded."""
    return sorted((FIXTURE_DIR / "translations").glob("*.yaml"))


def curated_models():
    from django.apps import apps

    from cases.core.models import Curated

    return [m for m in apps.get_models() if issubclass(m, Curated)]


class Command(BaseCommand):
    help = "Load the canonical archive content from fixtures/ into an empty database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reload", action="store_true", help="Load even if the archive has content (updates by slug)."
        )

    def handle(self, *args, reload=False, **options):
        if Source.objects.exists() and not reload:
            self.stdout.write("The archive already has content: nothing loaded (use --reload to update it).")
            return
        files = fixture_files()
        with transaction.atomic(), natural_keys_remembered():
            call_command("loaddata", *[str(f) for f in files], verbosity=options["verbosity"])
            # Chinese names and the archive's translations, kept apart so the English fixtures read as they are.
            for path in translation_files():
                apply_translations(path)
            # Fixtures load as raw saves, which skip save(): stamp first publication here.
            for model in curated_models():
                model.objects.published().filter(published_at__isnull=True).update(published_at=F("updated_at"))
            # The texts of the sources (fixtures/texts/<slug>.txt), private to curators, and the quotations
            # checked against them.
            for path in sorted(TEXT_DIR.glob("*.txt")):
                Source.objects.filter(slug=path.stem).update(text=path.read_text(encoding="utf-8"))
            # By command name, like the index below: core does not import the apps built on it.
            try:
                call_command("check_quotations", stdout=io.StringIO(), stderr=self.stderr)
            except CommandError as error:
                self.stderr.write(str(error))
            # Raw saves send no indexing signals either: the search index is built once, here.
            call_command("rebuild_search_index", verbosity=0)
            # And no public versions: each published entry gets its first, its page rendered on commit.
            call_command("record_public_versions", verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Loaded the archive from {len(files)} fixture files."))
