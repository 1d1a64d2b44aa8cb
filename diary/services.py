"""Diary actions that write several rows or depend on the clock: one place for each rule.

Every write to a patient's diary goes through one function here (or, for a clinician's note,
clinic.services.add_note), which saves its rows and calls diary_changed() in one transaction:
a failure at any step leaves nothing half-saved, and no signal does domain work behind a view's
back. Views call only these.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Q
from django.utils import timezone

from accounts import profiles
from accounts.models import PatientProfile
from accounts.profiles import patient_today, profile_for
from diary import csvio, cycles, presentation, summaries
from diary.models import (
    MAX_DURATION_MINUTES,
    Attack,
    AttackMedicine,
    FactorCheckIn,
    HeadacheFreeDay,
    MenstruationDay,
    MidasAnswer,
    PreventiveCourse,
    SideEffectReport,
    TreatmentSession,
)
from diary.summaries import load_attack_data, rules  # services.rules(): also the progress pages and reminders

# An attack touching a date started at most 14 days (its longest duration) before it; one day
# more covers a time zone change. Attacks still going are fetched whatever their start.
_LOOKBACK = dt.timedelta(days=MAX_DURATION_MINUTES // 1440 + 1)


def diary_changed(patient):
    """The patient's diary changed: call it inside the write's transaction.

    Raises the patient's data version (cached pages and figures under the old one are stale) and,
    once the transaction commits, remakes the clinic's summary of this one patient (bounded: one
    diary). robust: the write is saved whatever happens to the summary; one that failed stays
    behind the profile's version, and the worklist or refresh_summaries makes it again.
    """
    _changed(patient.pk)


def _changed(patient_id):
    rows_written(patient_id)
    transaction.on_commit(partial(summaries.remake_patient, patient_id), robust=True)


# PatientProfile's flag for each feature a diary may never use, and the model of its rows.
FEATURE_FLAGS = {"has_period_days": MenstruationDay, "has_checkins": FactorCheckIn, "has_preventives": PreventiveCourse}


def rows_written(patient_id):
    """The patient's diary rows changed (diary_changed, and seed_demo's bulk loads): raises the
    data version, then sets the profile's FEATURE_FLAGS from the rows now there.

    Two statements, in this order: raise_version's UPDATE locks the profile's row until the
    caller's transaction ends (waiting for another write's to end first), so the flags' UPDATE,
    a statement of its own, sees every write committed before (PostgreSQL's READ COMMITTED takes
    a new snapshot per statement) and this transaction's own. Of two concurrent writes, the one
    that commits last sets the flags, from both. Call it after the transaction's writes.
    """
    profiles.raise_version(patient_id)
    PatientProfile.objects.filter(user_id=patient_id).update(
        **{flag: Exists(model.objects.filter(patient_id=patient_id)) for flag, model in FEATURE_FLAGS.items()}
    )


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
    with transaction.atomic():
        touched = dates_touched_by_attacks(patient, profile.tz, now, dates[0], dates[-1])
        for date in dates:
            if date in touched:
                day = presentation.day_words(date)
                raise MarkRefused(date, f"You recorded a headache on {day}, so it cannot be marked headache-free.")
        existing = set(HeadacheFreeDay.objects.filter(patient=patient, date__in=dates).values_list("date", flat=True))
        new = [HeadacheFreeDay(patient=patient, date=date) for date in dates if date not in existing]
        # ignore_conflicts: a simultaneous second tap leaves one row, not an error.
        HeadacheFreeDay.objects.bulk_create(new, ignore_conflicts=True)
        diary_changed(patient)
    return len(new)


def unmark_headache_free(patient, dates):
    """Remove the headache-free marks of these dates (a date not marked is no error). Returns how many went."""
    with transaction.atomic():
        removed = HeadacheFreeDay.objects.filter(patient=patient, date__in=list(dates)).delete()[0]
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
    limit = settings.DIARY_MAX_ATTACKS
    if Attack.objects.filter(patient=patient).count() + adding > limit:
        raise DiaryFull(limit, adding)


def save_attack(attack, medicines, now=None):
    """Save an attack and its medicines, and remove headache-free marks from the days it touches.

    medicines: (class, name) pairs, replacing any the attack had; a medicine it keeps keeps its
    2-hour answer. Returns how many marks were removed. A new attack past the diary's cap is
    refused (DiaryFull).
    """
    now = now or timezone.now()
    profile = profile_for(attack.patient)
    with transaction.atomic():
        answers = {}  # (class, name) -> the 2-hour answers of the medicines it had, in order
        if attack._state.adding:
            check_room_for_attacks(attack.patient)
        else:
            for medicine in attack.medicines.all():
                answers.setdefault((medicine.medicine_class, medicine.name), []).append(medicine.answer)
        attack.save()
        attack.medicines.all().delete()
        AttackMedicine.objects.bulk_create(
            [
                AttackMedicine(
                    attack=attack,
                    medicine_class=cls,
                    name=name,
                    answer=answers[(cls, name)].pop(0) if answers.get((cls, name)) else "",
                )
                for cls, name in medicines
            ]
        )
        touched = attack.days_touched(profile.tz, now)
        removed = HeadacheFreeDay.objects.filter(patient=attack.patient, date__in=touched).delete()[0] if touched else 0
        diary_changed(attack.patient)
    return removed


def delete_attack(attack):
    """Delete a headache (its medicines go with it)."""
    with transaction.atomic():
        attack.delete()
        diary_changed(attack.patient)


def _save_duration(attack, minutes):
    with transaction.atomic():
        attack.duration_minutes = minutes
        attack.save(update_fields=["duration_minutes", "updated_at"])
        diary_changed(attack.patient)
    return attack


def end_attack(attack, now=None):
    """An attack still going has ended now: save its real duration."""
    now = now or timezone.now()
    profile = profile_for(attack.patient)
    start = attack.start_instant(profile.tz)
    minutes = int((now - start).total_seconds() // 60)
    return _save_duration(attack, min(max(minutes, 1), MAX_DURATION_MINUTES))


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
    return _save_duration(attack, minutes)


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


# ---------------------------------------------------------------- sessions, side effects, MIDAS, baseline


def save_session(session):
    """Save a treatment session, new or changed (the patient's form). A second session on the same
    date raises IntegrityError, with nothing saved."""
    with transaction.atomic():
        session.save()
        diary_changed(session.patient)
    return session


def record_clinic_session(session, clinician, clinician_name):
    """A treatment session a clinician records for a patient: recorded by them, and given by them
    unless the form named someone else (clinician_name: their name, cut to fit the column)."""
    session.recorded_by = clinician
    if not session.given_by:
        session.given_by = clinician_name
    return save_session(session)


def delete_session(session):
    """Delete a treatment session (its side-effect reports go with it)."""
    with transaction.atomic():
        session.delete()
        diary_changed(session.patient)


def add_side_effect(report):
    """Save a side-effect report after a session."""
    with transaction.atomic():
        report.save()
        diary_changed(report.patient)
    return report


def delete_side_effect(report):
    with transaction.atomic():
        report.delete()
        diary_changed(report.patient)


def save_midas(answer):
    """Save a MIDAS questionnaire's answers (patient and answered_on set by the caller)."""
    with transaction.atomic():
        answer.save()
        diary_changed(answer.patient)
    return answer


def save_reported_baseline(profile):
    """Save the headache days per month before treatment a clinician set on the patient's profile.

    Only that column: writing back the diary_version read earlier could undo a raise made meanwhile.
    """
    with transaction.atomic():
        profile.save(update_fields=["reported_baseline"])
        _changed(profile.user_id)
    return profile


# ---------------------------------------------------------------- import


def import_diary(patient, upload, now=None):
    """Import a diary CSV (FORMATS.md): every row checked, then all saved or nothing.

    Raises csvio.ImportRefused with every wrong row. The patient's profile row is locked for the
    transaction, so a second import of the same file waits, then finds its rows already there.
    """
    now = now or timezone.now()
    rows = csvio.read(upload)
    with transaction.atomic():
        profile = PatientProfile.objects.select_for_update().get(pk=profile_for(patient).pk)
        marked = [row.date for row in rows if row.record == "headache_free"]
        touched = dates_touched_by_attacks(patient, profile.tz, now, min(marked), max(marked)) if marked else set()
        plan = csvio.plan(patient, profile, rows, now, touched_by_diary=touched)
        try:
            check_room_for_attacks(patient, len(plan.attacks))
        except DiaryFull as full:
            raise csvio.too_many_headaches(full.adding, full.limit) from None
        _save_import(patient, plan)
        removed = 0
        if plan.touched_by_file:
            removed = HeadacheFreeDay.objects.filter(patient=patient, date__in=plan.touched_by_file).delete()[0]
        diary_changed(patient)
    return csvio.ImportResult(
        added=plan.added,
        skipped=plan.skipped,
        marks_removed=removed,
        periods_not_tracked=len(plan.period_days) if profile.track_periods is False else 0,
    )


def _save_import(patient, plan):
    attacks = Attack.objects.bulk_create(
        [
            Attack(
                patient=patient,
                start_date=row.date,
                start_time=row.start_time,
                duration_minutes=row.duration_minutes,
                severity=row.severity,
                notes=row.notes,
                **row.features,
            )
            for row in plan.attacks
        ]
    )
    if any(attack.pk is None for attack in attacks):  # backends that do not return ids
        lookup = {
            (a.start_date, a.start_time, a.duration_minutes, a.severity): a.pk
            for a in Attack.objects.filter(patient=patient)
        }
        for attack in attacks:
            attack.pk = lookup[(attack.start_date, attack.start_time, attack.duration_minutes, attack.severity)]
    AttackMedicine.objects.bulk_create(
        [
            AttackMedicine(attack_id=attack.pk, medicine_class=medicine_class, name=name, answer=answer)
            for attack, row in zip(attacks, plan.attacks, strict=True)
            for medicine_class, name, answer in row.medicines
        ]
    )
    TreatmentSession.objects.bulk_create(
        [
            TreatmentSession(patient=patient, date=row.date, units=row.units, sites=row.sites, notes=row.notes)
            for row in plan.sessions
        ]
    )
    HeadacheFreeDay.objects.bulk_create([HeadacheFreeDay(patient=patient, date=row.date) for row in plan.marks])
    MenstruationDay.objects.bulk_create([MenstruationDay(patient=patient, date=row.date) for row in plan.period_days])


# ---------------------------------------------------------------- reading


@dataclass
class PatientProgress:
    """A patient's progress with the rows its pages show beside it, loaded in a fixed number of queries."""

    profile: PatientProfile
    progress: cycles.Progress
    attacks: list
    side_effect_reports: list
    sessions: list
    midas_answers: list
    preventive_courses: list = field(default_factory=list)

    @property
    def urgent_side_effects(self):
        if not self.sessions:
            return []
        last = max(session.date for session in self.sessions)
        return [r for r in self.side_effect_reports if r.is_urgent and r.started_on >= last]


def load_progress(patient, now=None, profile=None):
    """Every row the progress computation needs: one query per table, whatever the diary's length."""
    now = now or timezone.now()
    profile = profile or profile_for(patient)
    # Filters on the column (patient_id), not the relation: the same SQL, built with less work
    # (each of these small queries costs more to build and compile than to run).
    patient_id = patient.pk
    attacks = load_attack_data([patient_id])[patient_id]
    # Marks and bleeding days are read as sets of dates (cycles sorts what it needs): no ORDER BY.
    marks = set(HeadacheFreeDay.objects.filter(patient_id=patient_id).order_by().values_list("date", flat=True))
    sessions = list(TreatmentSession.objects.filter(patient_id=patient_id).order_by("date"))
    # Each report's session is one of the sessions just read: given from them, not joined again.
    sessions_by_id = {session.pk: session for session in sessions}
    reports = list(SideEffectReport.objects.filter(patient_id=patient_id))
    for report in reports:
        if report.session_id in sessions_by_id:  # always, as the report forms make them
            report.session = sessions_by_id[report.session_id]
    answers = list(MidasAnswer.objects.filter(patient_id=patient_id))
    # A feature the diary holds no row of (the profile's FEATURE_FLAGS, read with it) costs no
    # query: many patients never mark a period, check in or record another preventive.
    courses = (
        list(PreventiveCourse.objects.filter(patient_id=patient_id).order_by("start", "id"))
        if profile.has_preventives
        else []
    )
    # A patient who chose not to track periods has none counted, whatever is stored.
    bleeding = (
        list(MenstruationDay.objects.filter(patient_id=patient_id).order_by().values_list("date", flat=True))
        if profile.track_periods is not False and profile.has_period_days
        else []
    )
    checkins = (
        list(FactorCheckIn.objects.filter(patient_id=patient_id).values_list("date", "listed", "present"))
        if profile.has_checkins
        else []
    )
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
        preventives=[cycles.PreventiveCourse(c.name, c.drug_class, c.start, c.stop, c.stop_reason) for c in courses],
        menstruation_dates=bleeding,
        factor_checkins=[
            cycles.FactorCheckIn(date, frozenset(listed), frozenset(present)) for date, listed, present in checkins
        ],
    )
    return PatientProgress(profile, progress, attacks, reports, sessions, answers, courses)
