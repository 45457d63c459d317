from django.core.management.base import BaseCommand

from cases.search.index import rebuild


class Command(BaseCommand):
    help = "Empty the search index and fill it again from every published entry."

    def handle(self, *args, **options):
        counts = rebuild(stdout=self.stdout if options["verbosity"] > 1 else None)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Indexed {sum(counts.values())} published entries."))
