"""Reminder emails, meant for cron once a day. Idempotent for a day: each email is sent once.

- A patient who opted in, when yesterday is not recorded in their diary.
- A patient who opted in, when a session is due (11 weeks since the last one), once per session.
- A clinician, a daily digest when patients who share with them have a new urgent side effect.

No email carries a diagnosis or diary values: only a link to sign in.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import PatientProfile
from clinic.models import ReminderSent, Share
from core import timeutil
from diary import services
from diary.models import URGENT_SIDE_EFFECTS, Attack, HeadacheFreeDay, SideEffectReport, TreatmentSession

MAX_DURATION = dt.timedelta(days=15)


def _link(path):
    return settings.SITE_URL.rstrip("/") + path


class Command(BaseCommand):
    help = "Send the day's reminder emails (unrecorded yesterday, session due, clinicians' urgent digest)."

    def handle(self, *args, **options):
        now = timezone.now()
        sent = self.patient_reminders(now) + self.clinician_digests(now)
        self.stdout.write(f"{sent} reminder email(s) sent.")

    def _send_once(self, user, kind, key, subject, body):
        """Record first, then send: a second run (or a parallel one) finds the row and sends nothing."""
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user=user, kind=kind, key=key)
                send_mail(subject, body, None, [user.email])
        except IntegrityError:
            return 0
        return 1

    def patient_reminders(self, now):
        sent = 0
        profiles = list(PatientProfile.objects.filter(email_reminders=True).select_related("user"))
        ids = [p.user_id for p in profiles]
        last_sessions = {}
        for patient_id, date in TreatmentSession.objects.filter(patient_id__in=ids).values_list("patient_id", "date"):
            last_sessions[patient_id] = max(date, last_sessions.get(patient_id, date))
        for profile in profiles:
            user = profile.user
            if not user.is_active or not user.email or not roles.is_patient(user):
                continue
            today = timeutil.today(profile.tz, now)
            yesterday = today - dt.timedelta(days=1)
            if not self._recorded(user, profile, yesterday, now):
                sent += self._send_once(
                    user,
                    "unrecorded",
                    yesterday.isoformat(),
                    "A moment for your headache diary?",
                    "Yesterday is not in your headache diary yet. A day without a record counts as unknown,\n"
                    "so one tap helps your clinician see how the treatment is working.\n\n"
                    f"Sign in: {_link(reverse('diary:home'))}\n\n"
                    f"You can turn these emails off in your profile: {_link(reverse('profile'))}\n",
                )
            last = last_sessions.get(user.pk)
            if last is not None and (today - last).days >= services.rules().session_due_days:
                sent += self._send_once(
                    user,
                    "session_due",
                    last.isoformat(),
                    "Your next treatment session",
                    "It is about 11 weeks since your last treatment session. If your next one is not booked yet,\n"
                    "contact your clinic.\n\n"
                    f"Sign in: {_link(reverse('diary:home'))}\n",
                )
        return sent

    def _recorded(self, user, profile, date, now):
        if HeadacheFreeDay.objects.filter(patient=user, date=date).exists():
            return True
        near = Attack.objects.filter(patient=user, start_date__gte=date - MAX_DURATION, start_date__lte=date)
        return (
            any(date in attack.days_touched(profile.tz, now) for attack in near)
            or Attack.objects.filter(patient=user, duration_minutes__isnull=True, start_date__lte=date).exists()
        )

    def clinician_digests(self, now):
        sent = 0
        since = now - dt.timedelta(days=1)
        new_urgent = SideEffectReport.objects.filter(effect__in=URGENT_SIDE_EFFECTS, created_at__gte=since)
        patient_ids = set(new_urgent.values_list("patient_id", flat=True))
        if not patient_ids:
            return 0
        by_clinician = {}
        for share in Share.objects.filter(patient_id__in=patient_ids).select_related("clinician"):
            by_clinician.setdefault(share.clinician, set()).add(share.patient_id)
        today = timezone.localdate(now)
        for clinician, patients in by_clinician.items():
            if not clinician.is_active or not clinician.email or not roles.is_clinician(clinician):
                continue
            count = len(patients)
            sent += self._send_once(
                clinician,
                "digest",
                today.isoformat(),
                "Patients need your attention",
                f"{count} patient{'s' if count != 1 else ''} who share their diary with you reported something "
                "that needs attention today.\n\n"
                f"Sign in to see who: {_link(reverse('clinic:worklist'))}\n",
            )
        return sent
