"""The clinic's summary of each patient's progress (PatientSummary): made here, and only here.

A summary is derived data, kept so that the worklist never computes cycles for a whole clinic in
one request. It records the data version it was made from (PatientProfile.diary_version) and the
patient's today it was made for. Three things remake summaries, each bounded:

- a diary write: services.diary_changed() remakes that one patient's summary when the write
  commits (remake_patient);
- the worklist: remakes at most REMAKES_PER_VIEW summaries that are missing or behind their
  profile's version (a change the diary did not write: the profile page, an upgrade) and shows
  the others as "being updated" with what is known (for_worklist);
- `manage.py refresh_summaries`, from cron: every summary that is missing, behind its profile's
  version or made for a date before the patient's today, in batches of a fixed size with one
  query per table per batch (batches).

A summary made for an earlier date is shown as it is, marked with its date: the figures are those
of that day, and date-driven flags (session due, overdue) catch up at the next refresh.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import PatientProfile
from accounts.profiles import profile_for, raise_clinic_version
from core import timeutil
from diary import cycles
from diary.models import FEATURE_NAMES, Attack, HeadacheFreeDay, PatientSummary, SideEffectReport, TreatmentSession

# The most summaries one worklist view remakes (missing ones, or behind their profile's version);
# the others are shown as "being updated" and are remade by the next views or refresh_summaries.
# 20 patients' cycles take about 1.5 s on a busy machine with 3-year diaries, well within a
# request; the worklist's page of 25 shows at most a few such rows after a profile change.
REMAKES_PER_VIEW = 20

# How the worklist may show a summary.
FRESH = "fresh"  # made from the current data for the patient's today
EARLIER = "earlier"  # made from the current data, for a date before the patient's today
UPDATING = "updating"  # missing, or made from older data: being remade


def rules():
    return cycles.rules_from(settings.DIARY_RULES)


# AttackData's first fields, in its order: a row gives them positionally, as they are.
ATTACK_DATA_VALUES = ["start_date", "start_time", "duration_minutes", "severity", *FEATURE_NAMES]
ATTACK_VALUES = ["id", "patient_id", *ATTACK_DATA_VALUES, "notes"]
MEDICINE_VALUES = ["medicines__medicine_class", "medicines__name", "medicines__answer"]


def load_attack_data(patient_ids):
    """Every attack of these patients as AttackData, medicines included: one query (a LEFT JOIN).

    Every progress page loads them (~500 for a 3-year diary), so rows come as tuples, not dicts,
    and give AttackData its first fields by position, not by name: together about twice as fast.
    """
    rows = (
        Attack.objects.filter(patient_id__in=patient_ids)
        .values_list(*ATTACK_VALUES, *MEDICINE_VALUES)
        .order_by("patient_id", "start_date", "start_time", "id", "medicines__id")
    )
    by_patient = {patient_id: [] for patient_id in patient_ids}
    # A row is ATTACK_VALUES (id, patient_id, AttackData's first fields, notes), then one
    # medicine's MEDICINE_VALUES.
    notes_at = len(ATTACK_VALUES) - 1
    medicine_at = len(ATTACK_VALUES)
    # An attack's rows are consecutive, one per medicine in the order taken (an attack without
    # medicines has one row, its medicine columns NULL).
    for _, attack_rows in groupby(rows, key=itemgetter(0)):
        row = next(attack_rows)
        attack_id, patient_id, data, notes = row[0], row[1], row[2:notes_at], row[notes_at]
        if row[medicine_at] is None:
            # About half the attacks: no medicines, so AttackData's empty defaults, and none of
            # the lists below to make.
            attack = cycles.AttackData(*data, id=attack_id, notes=notes)
        else:
            taken = [row[medicine_at:], *(more[medicine_at:] for more in attack_rows)]
            attack = cycles.AttackData(
                *data,
                medicine_classes=frozenset([cls for cls, _, _ in taken]),
                id=attack_id,
                notes=notes,
                medicines=tuple([(cls, name) for cls, name, _ in taken]),
                medicine_answers=tuple([answer or None for _, _, answer in taken]),
            )
        by_patient[patient_id].append(attack)
    return by_patient


def summary_data(progress):
    """What the worklist shows of a patient's progress, as JSON-friendly values."""
    cycles_only = [p for p in progress.periods if p.kind == "cycle"]
    latest = cycles_only[-1] if cycles_only else None
    current = progress.current_cycle
    return {
        "cycle_number": current.number if current else None,
        "cycle_day": current.day if current else None,
        "next_due": current.next_due.isoformat() if current else None,
        "last_session": current.session_date.isoformat() if current else None,
        "per_28": float(latest.headache_days_per_28) if latest and latest.headache_days_per_28 is not None else None,
        "change_pct": float(latest.change_from_baseline_pct)
        if latest and latest.change_from_baseline_pct is not None
        else None,
        "enough_data": latest.enough_data if latest else None,
        "completeness": float(latest.completeness) if latest and latest.completeness is not None else None,
        # Counted days and headache days: early in a cycle the worklist shows these, not a rate.
        "days": latest.days if latest else None,
        "headache_days": latest.headache_days if latest else None,
        "baseline_source": progress.baseline_source,
        "flags": list(progress.flags),
    }


# What is known of a patient with no summary yet: no figures, no flags.
NOTHING_KNOWN = {
    "cycle_number": None,
    "cycle_day": None,
    "next_due": None,
    "last_session": None,
    "per_28": None,
    "change_pct": None,
    "enough_data": None,
    "completeness": None,
    "days": None,
    "headache_days": None,
    "baseline_source": None,
    "flags": [],
}


def remake(profiles, now=None):
    """Make and save the summaries of these patients: {patient id: PatientSummary}.

    profiles: their PatientProfile rows, read before this is called, so that each summary records
    a version no newer than the data it is made from (a write committed in between leaves it
    behind, to be remade; never ahead with older figures). Five queries, whatever their number:
    attacks with medicines, headache-free marks, sessions, side effects, and one upsert.
    """
    profiles = list(profiles)
    if not profiles:
        return {}
    now = now or timezone.now()
    ids = [profile.user_id for profile in profiles]
    attacks = load_attack_data(ids)
    marks, sessions, side_effects = {i: set() for i in ids}, {i: [] for i in ids}, {i: [] for i in ids}
    for patient_id, date in HeadacheFreeDay.objects.filter(patient_id__in=ids).values_list("patient_id", "date"):
        marks[patient_id].add(date)
    for patient_id, date in TreatmentSession.objects.filter(patient_id__in=ids).values_list("patient_id", "date"):
        sessions[patient_id].append(date)
    for patient_id, effect, started_on in SideEffectReport.objects.filter(patient_id__in=ids).values_list(
        "patient_id", "effect", "started_on"
    ):
        side_effects[patient_id].append(cycles.SideEffectData(effect, started_on))
    diary_rules = rules()
    made = {}
    for profile in profiles:
        patient_id = profile.user_id
        progress = cycles.compute(
            attacks[patient_id],
            marks[patient_id],
            sorted(sessions[patient_id]),
            profile.tz,
            now,
            reported_baseline=profile.reported_baseline,
            side_effects=side_effects[patient_id],
            rules=diary_rules,
        )
        made[patient_id] = PatientSummary(
            patient_id=patient_id,
            computed_for=timeutil.today(profile.tz, now),
            diary_version=profile.diary_version,
            data=summary_data(progress),
        )
    PatientSummary.objects.bulk_create(
        made.values(),
        update_conflicts=True,
        unique_fields=["patient"],
        update_fields=["computed_for", "diary_version", "data", "updated_at"],
    )
    if made:
        raise_clinic_version()  # the worklists show the new figures
    return made


def remake_patient(patient_id, now=None):
    """One patient's summary, made again (after a write commits): the profile, then remake()'s five queries."""
    profile = PatientProfile.objects.filter(user_id=patient_id).first()
    if profile is not None:
        remake([profile], now)


# ---------------------------------------------------------------- the worklist


@dataclass(frozen=True)
class Shown:
    """A patient's summary as the worklist shows it."""

    data: dict  # the figures (NOTHING_KNOWN when there is no summary yet)
    state: str  # FRESH, EARLIER or UPDATING
    computed_for: dt.date | None  # the patient's today it was made for; None when there is none

    @property
    def known(self):
        return self.computed_for is not None


def loaded_summary(patient):
    """The summary read with the patient (select_related("progress_summary")), or None."""
    try:
        return patient.progress_summary
    except PatientSummary.DoesNotExist:
        return None


def for_worklist(patients, now=None, limit=REMAKES_PER_VIEW):
    """{patient id: Shown} for these patients, read with their profile and summary (select_related).

    Summaries that are missing or behind their profile's version are remade, at most `limit`
    (missing ones first, then in the order given), in remake()'s five queries; the others are
    UPDATING with what is known. A summary for an earlier date is EARLIER and is not remade here.
    """
    now = now or timezone.now()
    shown, behind = {}, []
    for patient in patients:
        profile = profile_for(patient)
        summary = loaded_summary(patient)
        if summary is None or summary.diary_version != profile.diary_version:
            behind.append((summary is not None, patient, profile, summary))
            continue
        state = FRESH if summary.computed_for >= timeutil.today(profile.tz, now) else EARLIER
        shown[patient.pk] = Shown(summary.data, state, summary.computed_for)
    behind.sort(key=lambda item: item[0])  # missing first: nothing at all is known of them
    for summary in remake([profile for _, _, profile, _ in behind[:limit]], now).values():
        shown[summary.patient_id] = Shown(summary.data, FRESH, summary.computed_for)
    for _, patient, _, summary in behind[limit:]:
        if summary is None:
            shown[patient.pk] = Shown(NOTHING_KNOWN, UPDATING, None)
        else:
            shown[patient.pk] = Shown(summary.data, UPDATING, summary.computed_for)
    return shown


# ---------------------------------------------------------------- refresh_summaries


def stale_profiles(now=None):
    """The profiles whose summary is missing, behind the profile's version, or made for a date
    before the patient's today (one query for the time zones in use; the result is a queryset)."""
    now = now or timezone.now()
    zones = PatientProfile.objects.order_by().values_list("time_zone", flat=True).distinct()
    earlier = Q()
    for zone in sorted(zones):
        earlier |= Q(time_zone=zone, summary_for__lt=timeutil.today(timeutil.zone(zone), now))
    return PatientProfile.objects.alias(
        summary_version=F("user__progress_summary__diary_version"),
        summary_for=F("user__progress_summary__computed_for"),
    ).filter(
        Q(summary_for__isnull=True)  # no summary (computed_for is never null in one)
        | Q(summary_version__isnull=True)
        | Q(summary_version__lt=F("diary_version"))
        | Q(summary_version__gt=F("diary_version"))
        | earlier
    )


def batches(batch_size, now=None, profiles=None):
    """Remake every stale summary, batch_size patients at a time; yields each batch's count.

    Each batch runs the same six queries, whatever its size: the next batch_size stale profiles
    (by patient id, after the last batch's), then remake()'s five. Only one batch of diaries is in
    memory at a time. profiles: stale_profiles(now), if already made.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    now = now or timezone.now()
    if profiles is None:
        profiles = stale_profiles(now)
    last = None
    while True:
        page = profiles.order_by("user_id")
        if last is not None:
            page = page.filter(user_id__gt=last)
        batch = list(page[:batch_size])
        if not batch:
            return
        remake(batch, now)
        yield len(batch)
        if len(batch) < batch_size:
            return
        last = batch[-1].user_id
