"""Sharing, the worklist's summaries and the access log."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import roles
from accounts.backends import users_with_account
from accounts.models import PatientProfile
from accounts.profiles import profile_for
from clinic.models import AccessLogEntry, ClinicianProfile, Share, normalise_share_code
from core import timeutil
from diary import cycles, services
from diary.models import HeadacheFreeDay, PatientSummary, SideEffectReport, TreatmentSession

# The worklist's order of need: the first of these a patient has decides their place.
NEED_ORDER = ["urgent_side_effect", "not_adequately_responding", "medication_overuse_risk", "overdue", "diary_gap"]


def display_name(user):
    return user.get_full_name() or user.email or user.username


def stored_name(user, model, field_name):
    """display_name(), cut to fit the column it is kept in (first and last name are 150 each)."""
    return display_name(user)[: model._meta.get_field(field_name).max_length]


def clinician_profile(user):
    profile, _ = ClinicianProfile.objects.get_or_create(user=user)
    return profile


class ShareRefused(Exception):
    pass


def share_with(patient, code):
    """Share the patient's diary with the clinician whose share code this is."""
    if PatientProfile.objects.filter(user=patient, email_confirmed=False).exists():
        raise ShareRefused("Confirm your email address first (open the link we sent you), then share your diary.")
    code = normalise_share_code(code)
    profile = ClinicianProfile.objects.select_related("user").filter(share_code=code).first() if code else None
    if profile is None or not profile.user.is_active or not roles.is_clinician(profile.user):
        raise ShareRefused("No clinician has this share code. Check it with your clinic and try again.")
    if profile.user_id == patient.pk:
        raise ShareRefused("That is your own code.")
    try:
        with transaction.atomic():
            Share.objects.create(patient=patient, clinician=profile.user)
    except IntegrityError:
        raise ShareRefused(f"You already share your diary with {display_name(profile.user)}.") from None
    return profile.user


def shared_patient(clinician, patient_id):
    """The patient, with role and profile, if they share their diary with this clinician; else None.

    One query: every view of a patient in the clinic asks it first.
    """
    return users_with_account().filter(pk=patient_id, shares_given__clinician=clinician).first()


def log_access(clinician, patient, what):
    """One access-log row."""
    return AccessLogEntry.objects.create(
        clinician=clinician,
        clinician_name=stored_name(clinician, AccessLogEntry, "clinician_name"),
        patient=patient,
        what=AccessLogEntry.What(what).value,
    )


# ---------------------------------------------------------------- summaries


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


def summaries(patients, now=None):
    """Fresh summaries for these patients (with patient_profile loaded), in a fixed number of queries.

    Summaries of today's date are used as they are; the others are computed from the diaries of
    those patients together (one query per table) and saved in one upsert.
    """
    now = now or timezone.now()
    result, stale = {}, []
    for patient in patients:
        profile = patient_profile(patient)
        today = timeutil.today(profile.tz, now)
        summary = getattr(patient, "progress_summary", None) if _has_summary(patient) else None
        # A summary saved before "days" was kept lacks the early-cycle counts: made again.
        if summary is not None and summary.computed_for == today and "days" in summary.data:
            result[patient.pk] = summary.data
        else:
            stale.append((patient, profile, today))
    if not stale:
        return result
    ids = [patient.pk for patient, _, _ in stale]
    attacks = services.load_attack_data(ids)
    marks, sessions, side_effects = {i: set() for i in ids}, {i: [] for i in ids}, {i: [] for i in ids}
    for patient_id, date in HeadacheFreeDay.objects.filter(patient_id__in=ids).values_list("patient_id", "date"):
        marks[patient_id].add(date)
    for patient_id, date in TreatmentSession.objects.filter(patient_id__in=ids).values_list("patient_id", "date"):
        sessions[patient_id].append(date)
    for patient_id, effect, started_on in SideEffectReport.objects.filter(patient_id__in=ids).values_list(
        "patient_id", "effect", "started_on"
    ):
        side_effects[patient_id].append(cycles.SideEffectData(effect, started_on))
    rules = services.rules()
    rows = []
    for patient, profile, today in stale:
        progress = cycles.compute(
            attacks[patient.pk],
            marks[patient.pk],
            sessions[patient.pk],
            profile.tz,
            now,
            reported_baseline=profile.reported_baseline,
            side_effects=side_effects[patient.pk],
            rules=rules,
        )
        data = summary_data(progress)
        result[patient.pk] = data
        rows.append(PatientSummary(patient_id=patient.pk, computed_for=today, data=data))
    PatientSummary.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["patient"], update_fields=["computed_for", "data"]
    )
    return result


def _has_summary(patient):
    try:
        patient.progress_summary  # noqa: B018 - loaded by select_related, or raises
    except PatientSummary.DoesNotExist:
        return False
    return True


def patient_profile(patient):
    return profile_for(patient)  # read with the patient; made if they shared before opening their diary


def need_key(data, name):
    flags = set(data["flags"])
    return (*[flag not in flags for flag in NEED_ORDER], name.lower())
