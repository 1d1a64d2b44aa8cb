"""Create an account from the command line, for clinics and scripts.

    python manage.py add_user EMAIL --role {patient,clinician,editor} [--time-zone ZONE]

The password is read from standard input when it is not a terminal (one line), else prompted
for twice. Django's password validators apply.
"""

import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts import roles
from accounts.profiles import profile_for
from core import timeutil


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = "Create a patient, clinician or education editor account. Reads the password from standard input."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", choices=roles.ROLES, default="patient")
        parser.add_argument("--time-zone", default="Europe/London", help="The patient's IANA time zone.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def execute(self, *args, **options):
        self.stdin = options.pop("stdin", sys.stdin)
        return super().execute(*args, **options)

    def handle(self, *args, email, role, time_zone, first_name, last_name, **options):
        User = get_user_model()
        email = User.objects.normalize_email(email).lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError("That is not a valid email address.") from None
        if User.objects.filter(username__iexact=email).exists():
            raise CommandError("An account with this email already exists.")
        if not timeutil.is_valid_zone(time_zone):
            raise CommandError(f"Unknown time zone {time_zone!r}: use an IANA name such as Europe/London.")

        password = self._read_password()
        candidate = User(username=email, email=email, first_name=first_name, last_name=last_name)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None

        with transaction.atomic():
            user = User.objects.create_user(
                username=email, email=email, password=password, first_name=first_name, last_name=last_name
            )
            roles.assign_role(user, role)
            if role == "patient":
                profile = profile_for(user)
                profile.time_zone = time_zone
                profile.save(update_fields=["time_zone"])
        self.stdout.write(f"Created {role} account {user.pk}.")

    def _read_password(self):
        if not self.stdin.isatty():
            password = self.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The passwords did not match.")
        if not password:
            raise CommandError("No password given.")
        return password
