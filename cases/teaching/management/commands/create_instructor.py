"""Create an instructor's account: `manage.py create_instructor USERNAME --email EMAIL`.

Without a password the account gets a one-time link to choose one (printed, to pass on to the instructor).
With `--password-stdin` the password is read from standard input, or from the environment variable
INSTRUCTOR_PASSWORD; it is never taken on the command line (where it would land in the shell history and the
process list) and never printed.
"""

import os
import sys

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cases.curation import roles

PASSWORD_VARIABLE = "INSTRUCTOR_PASSWORD"


def instructors_group():
    """The Instructors group, brought up to date with the role's permissions (see cases.curation.roles)."""
    roles.setup_roles(Group, Permission)
    return Group.objects.get(name=roles.INSTRUCTORS)


def set_password_url(user, site_url=""):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return (site_url or settings.SITE_URL).rstrip("/") + reverse("password_reset_confirm", args=[uid, token])


class Command(BaseCommand):
    help = "Create an instructor's account and print a link to set its password."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help=f"Read the password from standard input (or from ${PASSWORD_VARIABLE} when set).",
        )
        parser.add_argument(
            "--site-url", default="", help="The site's address for the printed link (default: SITE_URL)."
        )

    def handle(self, *args, username, email, password_stdin, site_url, **options):
        User = get_user_model()
        username = username.strip()
        if not username or len(username) > 150:
            raise CommandError("Give a username of 1 to 150 characters.")
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not an email address.") from exc
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already.")

        password = None
        if password_stdin:
            password = os.environ.get(PASSWORD_VARIABLE) or sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError(f"No password on standard input or in ${PASSWORD_VARIABLE}.")

        with transaction.atomic():
            user = User(username=username, email=email)
            if password:
                try:
                    password_validation.validate_password(password, user)
                except ValidationError as exc:
                    raise CommandError("The password was refused: " + " ".join(exc.messages)) from exc
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            user.groups.add(instructors_group())

        self.stdout.write(self.style.SUCCESS(f"Created the instructor {username!r} <{email}>."))
        if not password:
            self.stdout.write("They choose a password at this link (it works once, for a few days):")
            link = set_password_url(user, site_url)
            if link.startswith("/"):
                # No address is known outside a request: say so rather than guess a host.
                self.stdout.write("(SITE_URL is not set: put the site's address before this path.)")
            self.stdout.write(link)
