from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.core.cache import bump_generation
from cases.keeping import releases


class Command(BaseCommand):
    help = (
        "Write the next open-data release (a Frictionless Data Package of the published archive) into RELEASES_DIR. "
        "With it, a static copy of the site made from it (mirror.zip). A release is never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Folder of the releases (default: the RELEASES_DIR setting).")
        parser.add_argument(
            "--no-mirror",
            dest="mirror",
            action="store_false",
            help="Leave out the static copy of the site (mirror.zip) the release otherwise holds.",
        )

    def handle(self, *args, **options):
        site = settings.SITE_URL.rstrip("/")
        if not site:
            self.stderr.write("SITE_URL is not set: the `url` columns will hold paths (/cases/...), not addresses.")
        try:
            release = releases.make_release(root=options["dir"], site=site, mirror=options["mirror"])
        except releases.ReleaseExists as error:
            raise CommandError(str(error)) from error
        # The /data/ page lists releases from the folder, not the database: start a new page-cache generation.
        bump_generation()
        self.stdout.write(
            f"Release {release.version} ({release.date}): {len(release.files)} files, "
            f"{release.total_bytes} bytes, in {release.path}"
        )
