"""Print a one-time link with which a clinician or staff member adds their first authenticator app.

    python manage.py two_factor_link EMAIL

For an administrator to hand over in person when email cannot be used. The link works once,
for PASSWORD_RESET_TIMEOUT (3 days), in a browser signed in to that account.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import enrolment_link


class Command(BaseCommand):
    help = "Print a one-time link to set up two-factor sign-in for an account that has no authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(username__iexact=email.strip()).first()
        if user is None:
            raise CommandError("No account has this email address.")
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise CommandError("This account already has an authenticator app: a link would not work.")
        self.stdout.write(enrolment_link(user))
