"""Generate a synthetic archive of a given size, for measuring speed at scale.

It refuses to write into a database that holds any real (non-synthetic) entry, so the synthetic archive is
never mixed into the real content: point DATABASE_URL at a fresh database first.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cases.search.synthetic import Generator, Sizes, real_content_exists, synthetic_content_exists


class Command(BaseCommand):
    help = "Fill an empty database with a synthetic archive of the given size (every entry marked synthetic)."

    def add_arguments(self, parser):
        defaults = Sizes()
        for name in (
            "interventions",
            "organisations",
            "events",
            "evidence",
            "positions",
            "sources",
            "places",
            "issues",
            "tactics",
            "concepts",
        ):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name), metavar="N")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same archive.")

    def handle(self, *args, **options):
        sizes = Sizes(**{name: options[name] for name in Sizes.__dataclass_fields__ if name in options})
        if any(getattr(sizes, name) < 0 for name in Sizes.__dataclass_fields__):
            raise CommandError("Sizes cannot be negative.")
        if sizes.sources < 1 or (sizes.interventions and sizes.organisations < 1):
            raise CommandError("A synthetic archive needs at least one source, and one organisation for its cases.")
        if real_content_exists():
            raise CommandError(
                "This database holds real archive content: the synthetic archive is never mixed into it. "
                "Point DATABASE_URL at an empty database (e.g. a scratch SQLite file), migrate, and run this again."
            )
        if synthetic_content_exists():
            raise CommandError("This database already holds a synthetic archive: use a fresh database.")
        started = time.monotonic()
        verbose = options["verbosity"] > 1
        Generator(sizes, seed=options["seed"], stdout=self.stdout if verbose else None).run()
        call_command("rebuild_search_index", verbosity=options["verbosity"])
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Generated a synthetic archive in {time.monotonic() - started:.1f} s.")
            )
