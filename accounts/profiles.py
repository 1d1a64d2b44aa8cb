"""A patient's profile: made on first use, read with the user, and the guard of patients' pages."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import roles
from accounts.models import ClinicVersion, PatientProfile
from core import timeutil


def profile_for(user):
    """The patient's profile: read with the user (accounts.backends), else read or made now
    (for users from add_user, admin or createsuperuser, on their first visit)."""
    try:
        return user.patient_profile
    except PatientProfile.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            profile = PatientProfile.objects.create(user=user)
    except IntegrityError:  # made by a simultaneous first request
        profile = PatientProfile.objects.get(user=user)
    user.patient_profile = profile
    return profile


def patient_profile_or_none(user):
    """The profile of a patient (made on first use), or None for a clinician or editor."""
    return profile_for(user) if roles.is_patient(user) else None


def patient_today(profile, now=None):
    return timeutil.today(profile.tz, now or timezone.now())


def raise_version(user_id):
    """Something about the patient changed: pages and figures cached under the old version are stale.

    One UPDATE, in the caller's transaction. The patient's summary for the clinic (diary) notices
    the new version and is made again (diary.services does it at once for diary writes).
    """
    PatientProfile.objects.filter(user_id=user_id).update(diary_version=F("diary_version") + 1)
    raise_clinic_version()


def raise_clinic_version():
    """Something a clinician's list of patients shows changed: raise ClinicVersion once the
    caller's transaction commits (at once outside one).

    After the commit, so that the one row is locked for a moment only, never for the length of
    another write's transaction; robust: the write stands whatever happens here (a worklist is
    then stale for the rest of its quarter hour at most, the other part of its cache key).
    """
    transaction.on_commit(_raise_clinic_version, robust=True)


def _raise_clinic_version():
    if not ClinicVersion.objects.filter(pk=ClinicVersion.ROW).update(value=F("value") + 1):
        ClinicVersion.objects.get_or_create(pk=ClinicVersion.ROW, defaults={"value": 1})


def clinic_version():
    """ClinicVersion's value: one query on its primary key."""
    return ClinicVersion.objects.filter(pk=ClinicVersion.ROW).values_list("value", flat=True).first() or 0


def patient_required(view):
    """Signed in, and a patient: clinicians and editors have no diary.

    Sets request.profile, request.now and request.today (the patient's date).
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.profile = patient_profile_or_none(request.user)
        if request.profile is None:
            raise PermissionDenied("Only patients have a diary.")
        request.now = timezone.now()
        request.today = patient_today(request.profile, request.now)
        return view(request, *args, **kwargs)

    return wrapper
