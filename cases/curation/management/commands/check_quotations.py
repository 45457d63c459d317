"""Check every quotation against its source's text and record the result (the public "checked" mark).

Exits with an error when a quotation is not found verbatim in a text that should hold it."""

from django.core.management.base import BaseCommand, CommandError

from cases.curation.quotation_check import recheck


class Command(BaseCommand):
    help = "Check every quotation against its source's text and record which ones were found verbatim."

    def handle(self, *args, **options):
        failures = recheck()
        for failure in failures:
            self.stderr.write(f"Not found verbatim: {failure}")
        if failures:
            raise CommandError(f"{len(failures)} quotation(s) not found verbatim in their source's text.")
        self.stdout.write(self.style.SUCCESS("Every quotation with a text to check against was found verbatim."))
