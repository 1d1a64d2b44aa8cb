"""Demo accounts and realistic demo diaries. Idempotent: run it as often as you like.

python manage.py seed_demo                       # the accounts `make run` prints
python manage.py seed_demo --patients 200 --years 3 --seed 1
"""

import random
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from accounts.roles import assign_role
from clinic.models import Share
from diary import demo, services

DEMO_PASSWORD = "demo-migraine-2026"  # noqa: S105 - printed by `make run`; demo databases only
DEMO_ACCOUNTS = [
    ("patient@example.com", "patient", "Pat", "Demo"),
    ("clinician@example.com", "clinician", "Dr Cleo", "Demo"),
    ("editor@example.com", "editor", "Eddie", "Demo"),
]
FIRST_NAMES = ["Alex", "Sam", "Jo", "Priya", "Tom", "Aisha", "Chen", "Maria", "Olu", "Kate", "Ravi", "Beth"]
LAST_NAMES = ["Smith", "Jones", "Patel", "Williams", "Brown", "Taylor", "Khan", "Davies", "Evans", "Murphy"]


class Command(BaseCommand):
    help = f"Create the demo accounts that `make run` prints (password: {DEMO_PASSWORD}) and demo diaries."

    def add_arguments(self, parser):
        parser.add_argument(
            "--patients", type=int, default=0, help="Extra demo patients (demo-patient-NNN@example.com)."
        )
        parser.add_argument("--years", type=float, default=1.0, help="Years of diary for each demo patient.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same diaries.")

    def handle(self, *args, patients, years, seed, **options):
        started = time.monotonic()
        User = get_user_model()
        password_hash = None
        with transaction.atomic():
            for email, role, first_name, last_name in DEMO_ACCOUNTS:
                user, created = User.objects.get_or_create(
                    username=email, defaults={"email": email, "first_name": first_name, "last_name": last_name}
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                    password_hash = user.password
                assign_role(user, role)
        patient = User.objects.get(username="patient@example.com")
        attacks = demo.seed_diary(patient, "responder", max(years, 1.0), random.Random(seed))
        with transaction.atomic():  # other preventives, periods, 2-hour answers, check-ins
            if demo.seed_extras(patient, random.Random(seed)) and not attacks:
                services.rows_written(patient.pk)
        attacks = self.seeded(patient, attacks)

        password_hash = password_hash or User.objects.get(username="patient@example.com").password
        made = []
        for index in range(1, patients + 1):
            email = f"demo-patient-{index:03d}@example.com"
            rng = random.Random(seed * 100_003 + index)
            user, created = User.objects.get_or_create(
                username=email,
                defaults={
                    "email": email,
                    "first_name": rng.choice(FIRST_NAMES),
                    "last_name": rng.choice(LAST_NAMES),
                    "password": password_hash,  # the demo password, hashed once
                },
            )
            attacks += self.seeded(
                user, demo.seed_diary(user, demo.STORIES[(index - 1) % len(demo.STORIES)], years, rng)
            )
            made.append(user)
        self.after_patients(made)
        if attacks and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load
        self.stdout.write(
            f"Demo accounts ready ({len(DEMO_ACCOUNTS) + len(made)}); {attacks} attacks added "
            f"in {time.monotonic() - started:.1f} s."
        )

    def seeded(self, user, attacks):
        """A demo diary was written in bulk, not through diary.services' writes: its data version goes
        up and its profile's feature flags are set (services.rows_written), so refresh_summaries (run
        next by `make run`) remakes a summary made before. Returns attacks."""
        if attacks:
            services.rows_written(user.pk)
        return attacks

    def after_patients(self, patients):
        """The demo patients share their diaries with the demo clinician."""
        User = get_user_model()
        clinician = User.objects.get(username="clinician@example.com")
        everyone = [User.objects.get(username="patient@example.com"), *patients]
        Share.objects.bulk_create(
            [Share(patient=patient, clinician=clinician) for patient in everyone], ignore_conflicts=True
        )
