"""Sharing, notes, the worklist's order and the access log. The summaries it shows are diary.summaries'."""

from django.db import IntegrityError, transaction

from accounts import profiles, roles
from accounts.backends import users_with_account
from accounts.models import PatientProfile
from accounts.profiles import profile_for
from clinic.models import AccessLogEntry, ClinicianProfile, Share, normalise_share_code
from diary import services

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
            profiles.raise_clinic_version()  # the clinician's worklist has one patient more
    except IntegrityError:
        raise ShareRefused(f"You already share your diary with {display_name(profile.user)}.") from None
    return profile.user


def stop_sharing(share):
    """End a share: the clinician's access ends now, and their worklist has one patient fewer."""
    with transaction.atomic():
        share.delete()
        profiles.raise_clinic_version()


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


# ---------------------------------------------------------------- notes


def add_note(note):
    """Save a clinician's note (patient, author and author_name set) and mark the patient's data as
    changed in the same transaction: the patient's pages, cached under their data version, show notes."""
    with transaction.atomic():
        note.save()
        services.diary_changed(note.patient)
    return note


# ---------------------------------------------------------------- the worklist (diary.summaries makes what it shows)


def patient_profile(patient):
    return profile_for(patient)  # read with the patient; made if they shared before opening their diary


def need_key(data, name):
    flags = set(data["flags"])
    return (*[flag not in flags for flag in NEED_ORDER], name.lower())
