"""Remake the clinic's stale patient summaries, meant for cron (diary.summaries).

A summary is stale when it is missing, behind its profile's diary_version (a change the diary
did not write, such as the profile page), or made for a date before the patient's today (flags
such as "session due" change with the date alone). Run it nightly and soon after midnight in the
time zones your patients live in, e.g. for patients in Europe:

    5 0,1,2 * * * cd /srv/app && .venv/bin/python manage.py refresh_summaries

It works in batches of --batch-size patients, the same six queries per batch (the next stale
profiles, their attacks, marks, sessions and side effects, one upsert), one batch of diaries in
memory at a time. Running it again at once remakes nothing.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from diary import summaries

DEFAULT_BATCH_SIZE = 100


class Command(BaseCommand):
    help = "Remake every patient summary that is missing, behind its data version or made for an earlier date."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Patients whose diaries are read and summarised together (default {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.monotonic()
        now = timezone.now()  # one "now" for the whole run: a batch after midnight is not another day's
        remade = 0
        for count in summaries.batches(batch_size, now=now):
            remade += count
        self.stdout.write(
            f"Remade {remade} {'summary' if remade == 1 else 'summaries'} in {time.monotonic() - started:.1f} s."
        )
