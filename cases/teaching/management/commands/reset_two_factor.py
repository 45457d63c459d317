"""Remove an account's second factor: `manage.py reset_two_factor USERNAME`.

For someone who lost both the phone and the recovery codes. A staff account is then asked to set up a new
authenticator at its next sign-in, which takes only the password: if the password may be known to someone else
too, send a password reset as well (`--unusable-password` makes the old one stop working at once).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cases.teaching import two_factor


class Command(BaseCommand):
    help = "Remove an account's authenticator app and recovery codes (it signs in with its password alone, or, "
    "for staff, sets up a new authenticator at the next sign-in)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--unusable-password",
            action="store_true",
            help="Also make the password stop working (the account then needs a password reset).",
        )

    def handle(self, *args, username, unusable_password, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account named {username!r}.")
        two_factor.turn_off(user)
        if unusable_password:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        self.stdout.write(
            f"Removed the second factor of {username!r}."
            + (" It must set up a new authenticator when it next signs in." if two_factor.is_required(user) else "")
            + (" Its password no longer works: send it a reset link." if unusable_password else "")
        )
