"""Diary actions that write several rows or depend on the clock: one place for each rule."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import profiles
from accounts.models import PatientProfile
from accounts.profiles import patient_today, profile_for
from diary import cycles, presentation
from diary.models import (
    FEATURE_NAMES,
    MAX_DURATION_MINUTES,
    Attack,
    AttackMedicine,
    HeadacheFreeDay,
    MidasAnswer,
    PatientSummary,
    SideEffectReport,
    TreatmentSession,
)

# An attack touching a date started at most 14 days (its longest duration) before it; one day
# more covers a time zone change. Attacks still going are fetched whatever their start.
_LOOKBACK = dt.timedelta(days=MAX_DURATION_MINUTES // 1440 + 1)


def diary_changed(patient):
    """The diary changed: pages and figures cached under the old version are stale, and so is the
    clinic's summary of it."""
    profiles.raise_version(patient.pk)
    PatientSummary.objects.filter(patient=patient).delete()


def attack_data(attack, medicine_classes=None):
    """An Attack row as the plain value cycles.py works on."""
    if medicine_classes is None:
        medicine_classes = [medicine.medicine_class for medicine in attack.medicines.all()]
    return cycles.AttackData(
        start_date=attack.start_date,
        start_time=attack.start_time,
        duration_minutes=attack.duration_minutes,
        severity=attack.severity,
        one_sided=attack.one_sided,
        throbbing=attack.throbbing,
        worse_with_activity=attack.worse_with_activity,
        nausea=attack.nausea,
        vomiting=attack.vomiting,
        light_sensitivity=attack.light_sensitivity,
        sound_sensitivity=attack.sound_sensitivity,
        aura=attack.aura,
        medicine_classes=frozenset(medicine_classes),
    )


def attacks_near(patient, first, last):
    """Attacks that may touch any date from first to last (one query, medicines prefetched)."""
    return (
        Attack.objects.filter(patient=patient)
        .filter(Q(start_date__gte=first - _LOOKBACK, start_date__lte=last) | Q(duration_minutes__isnull=True))
        .filter(start_date__lte=last)
        .prefetch_related("medicines")
    )


def dates_touched_by_attacks(patient, tz, now, first, last, exclude_attack_id=None):
    """The dates from first to last that some attack of the patient's touches."""
    attacks = attacks_near(patient, first, last)
    if exclude_attack_id is not None:
        attacks = attacks.exclude(pk=exclude_attack_id)
    touched = set()
    for attack in attacks:
        touched.update(date for date in attack.days_touched(tz, now) if first <= date <= last)
    return touched


class MarkRefused(Exception):
    def __init__(self, date, message):
        super().__init__(message)
        self.date = date
        self.message = message


def mark_headache_free(patient, dates, now=None):
    """Mark dates headache-free; all or nothing.

    Refused for a date after today, or a date an attack touches (CLINICAL.md). A date already
    marked is left as it is. Returns the number of new marks.
    """
    now = now or timezone.now()
    profile = profile_for(patient)
    today = patient_today(profile, now)
    dates = sorted(set(dates))
    if not dates:
        return 0
    for date in dates:
        if date > today:
            day = presentation.day_words(date)
            raise MarkRefused(date, f"{day} is in the future: mark a day once it has happened.")
    touched = dates_touched_by_attacks(patient, profile.tz, now, dates[0], dates[-1])
    for date in dates:
        if date in touched:
            day = presentation.day_words(date)
            raise MarkRefused(date, f"You recorded a headache on {day}, so it cannot be marked headache-free.")
    with transaction.atomic():
        existing = set(HeadacheFreeDay.objects.filter(patient=patient, date__in=dates).values_list("date", flat=True))
        new = [HeadacheFreeDay(patient=patient, date=date) for date in dates if date not in existing]
        # ignore_conflicts: a simultaneous second tap leaves one row, not an error.
        HeadacheFreeDay.objects.bulk_create(new, ignore_conflicts=True)
        diary_changed(patient)
    return len(new)


def unmark_headache_free(patient, date):
    removed = HeadacheFreeDay.objects.filter(patient=patient, date=date).delete()[0]
    diary_changed(patient)
    return removed


class DiaryFull(Exception):
    """The diary would pass settings.DIARY_MAX_ATTACKS headaches: nothing is saved.

    core.middleware turns it into this message on the diary's home page.
    """

    def __init__(self, limit, adding):
        self.limit = limit
        self.adding = adding
        self.message = (
            f"Your diary already has {limit:,} headaches, the most one diary can keep, so this one was not "
            "saved. If that seems wrong, show your clinic your diary's download (CSV)."
        )
        super().__init__(self.message)


def check_room_for_attacks(patient, adding=1):
    """Raise DiaryFull if `adding` more headaches would take the patient's diary past the cap."""
    from django.conf import settings

    limit = settings.DIARY_MAX_ATTACKS
    if Attack.objects.filter(patient=patient).count() + adding > limit:
        raise DiaryFull(limit, adding)


@transaction.atomic
def save_attack(attack, medicines, now=None):
    """Save an attack and its medicines, and remove headache-free marks from the days it touches.

    medicines: (class, name) pairs, replacing any the attack had. Returns how many marks were removed.
    A new attack past the diary's cap is refused (DiaryFull).
    """
    now = now or timezone.now()
    profile = profile_for(attack.patient)
    if attack._state.adding:
        check_room_for_attacks(attack.patient)
    attack.save()
    attack.medicines.all().delete()
    AttackMedicine.objects.bulk_create(
        [AttackMedicine(attack=attack, medicine_class=cls, name=name) for cls, name in medicines]
    )
    diary_changed(attack.patient)
    touched = attack.days_touched(profile.tz, now)
    if not touched:
        return 0
    return HeadacheFreeDay.objects.filter(patient=attack.patient, date__in=touched).delete()[0]


def end_attack(attack, now=None):
    """An attack still going has ended now: save its real duration."""
    now = now or timezone.now()
    profile = profile_for(attack.patient)
    start = attack.start_instant(profile.tz)
    minutes = int((now - start).total_seconds() // 60)
    attack.duration_minutes = min(max(minutes, 1), MAX_DURATION_MINUTES)
    attack.save(update_fields=["duration_minutes", "updated_at"])
    diary_changed(attack.patient)
    return attack


class StopRefused(Exception):
    """The time a headache stopped cannot be right: before it started, in the future, too long."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def stop_attack(attack, stopped_at=None, now=None):
    """A headache still going stopped at stopped_at (None: just now): save its real duration.

    Refused (StopRefused) for a time in the future, not after its start, or more than 14 days on.
    """
    now = now or timezone.now()
    if stopped_at is None:
        return end_attack(attack, now=now)
    profile = profile_for(attack.patient)
    start = attack.start_instant(profile.tz)
    started = f"{attack.start_time:%H:%M} on {presentation.day_words(attack.start_date)}"
    if stopped_at > now:
        raise StopRefused('That is in the future: give the time it stopped, or choose "Just now".')
    minutes = int((stopped_at - start).total_seconds() // 60)
    if minutes < 1:
        raise StopRefused(f"It started at {started}: give a time after that.")
    if minutes > MAX_DURATION_MINUTES:
        raise StopRefused(
            f"It started at {started}: that would make it longer than 14 days, the longest a headache can "
            "last here. Check the date."
        )
    attack.duration_minutes = minutes
    attack.save(update_fields=["duration_minutes", "updated_at"])
    diary_changed(attack.patient)
    return attack


# A second "Headache now" within this long of one still going is the same headache, tapped twice.
REPEAT_TAP = dt.timedelta(minutes=10)


def log_headache_now(attack, now=None):
    """Save a headache starting now and still going (the home page's fast path), once.

    If the patient logged a headache still going in the last few minutes, that one is returned
    instead: (attack, False). The patient's profile row is locked meanwhile, so two taps sent at
    once, even across a minute's turn, leave one row. Returns (attack, created).
    """
    now = now or timezone.now()
    with transaction.atomic():
        profile = PatientProfile.objects.select_for_update().get(user=attack.patient)
        for ongoing in Attack.objects.filter(patient=attack.patient, duration_minutes__isnull=True):
            if now - ongoing.start_instant(profile.tz) <= REPEAT_TAP:
                return ongoing, False
        save_attack(attack, [], now=now)
    return attack, True


def rules():
    from django.conf import settings

    return cycles.rules_from(settings.DIARY_RULES)


@dataclass
class PatientProgress:
    """A patient's progress with the rows its pages show beside it, loaded in a fixed number of queries."""

    profile: PatientProfile
    progress: cycles.Progress
    attacks: list
    side_effect_reports: list
    sessions: list
    midas_answers: list

    @property
    def urgent_side_effects(self):
        if not self.sessions:
            return []
        last = max(session.date for session in self.sessions)
        return [r for r in self.side_effect_reports if r.is_urgent and r.started_on >= last]


ATTACK_VALUES = [
    "id",
    "patient_id",
    "start_date",
    "start_time",
    "duration_minutes",
    "severity",
    *FEATURE_NAMES,
    "notes",
]


def load_attack_data(patient_ids):
    """Every attack of these patients as AttackData, medicines included: one query (a LEFT JOIN)."""
    rows = (
        Attack.objects.filter(patient_id__in=patient_ids)
        .values(*ATTACK_VALUES, "medicines__medicine_class", "medicines__name")
        .order_by("patient_id", "start_date", "start_time", "id", "medicines__id")
    )
    by_patient = {patient_id: [] for patient_id in patient_ids}
    current, medicines = None, []

    def flush():
        if current is not None:
            by_patient[current["patient_id"]].append(
                cycles.AttackData(
                    start_date=current["start_date"],
                    start_time=current["start_time"],
                    duration_minutes=current["duration_minutes"],
                    severity=current["severity"],
                    medicine_classes=frozenset(cls for cls, _ in medicines),
                    id=current["id"],
                    notes=current["notes"],
                    medicines=tuple(medicines),
                    **{name: current[name] for name in FEATURE_NAMES},
                )
            )

    for row in rows:
        if current is None or row["id"] != current["id"]:
            flush()
            current, medicines = row, []
        if row["medicines__medicine_class"] is not None:
            medicines.append((row["medicines__medicine_class"], row["medicines__name"]))
    flush()
    return by_patient


def load_progress(patient, now=None, profile=None):
    """Every row the progress computation needs: one query per table, whatever the diary's length."""
    now = now or timezone.now()
    profile = profile or profile_for(patient)
    attacks = load_attack_data([patient.pk])[patient.pk]
    marks = set(HeadacheFreeDay.objects.filter(patient=patient).values_list("date", flat=True))
    sessions = list(TreatmentSession.objects.filter(patient=patient).order_by("date"))
    reports = list(SideEffectReport.objects.filter(patient=patient).select_related("session"))
    answers = list(MidasAnswer.objects.filter(patient=patient))
    progress = cycles.compute(
        attacks,
        marks,
        [session.date for session in sessions],
        profile.tz,
        now,
        reported_baseline=profile.reported_baseline,
        midas_answers=[cycles.MidasAnswer(a.answered_on, a.score, a.pk) for a in answers],
        side_effects=[cycles.SideEffectData(r.effect, r.started_on) for r in reports],
        rules=rules(),
    )
    return PatientProgress(profile, progress, attacks, reports, sessions, answers)
