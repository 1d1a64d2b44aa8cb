"""Demo accounts (and, later, demo diaries) for `make run`. Idempotent: run it as often as you like."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from diary.roles import assign_role

DEMO_PASSWORD = "demo-migraine-2026"  # noqa: S105 - printed by `make run`; demo databases only
DEMO_ACCOUNTS = [
    ("patient@example.com", "patient", "Pat", "Demo"),
    ("clinician@example.com", "clinician", "Dr Cleo", "Demo"),
    ("editor@example.com", "editor", "Eddie", "Demo"),
]


class Command(BaseCommand):
    help = f"Create the demo accounts that `make run` prints (password: {DEMO_PASSWORD})."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        for email, role, first_name, last_name in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=email, defaults={"email": email, "first_name": first_name, "last_name": last_name}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            assign_role(user, role)
        self.stdout.write(f"Demo accounts ready ({len(DEMO_ACCOUNTS)}).")
