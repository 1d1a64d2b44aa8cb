"""A clinician's worklist is cached (migraine_app.caching.worklist_page), keyed by a version that
these receivers raise whenever something the worklist shows changes: a shared diary, a share
made or ended, a patient's name. Dates moving on are the key's quarter hour.

The version is raised after the change commits, in its own statement: a diary write never waits
on, or fails with, the clinicians' rows.
"""

from django.db import transaction
from django.db.models import F

from clinic.models import ClinicianProfile, Share


def worklists_changed(patient_id=None, clinician_id=None):
    """Raise the worklist version of the clinicians who see this patient (or of this clinician)."""
    if clinician_id is not None:
        profiles = ClinicianProfile.objects.filter(user_id=clinician_id)
    else:
        profiles = ClinicianProfile.objects.filter(user__shares_received__patient_id=patient_id)
    transaction.on_commit(lambda: profiles.update(worklist_version=F("worklist_version") + 1))


def on_diary_changed(sender, patient, **kwargs):
    worklists_changed(patient_id=patient.pk)


def on_share_saved_or_deleted(sender, instance, **kwargs):
    worklists_changed(clinician_id=instance.clinician_id)


def on_user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # signing in, or a new password: nothing the worklist shows
    worklists_changed(patient_id=instance.pk)


def connect():
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from diary import signals

    signals.diary_changed.connect(on_diary_changed, dispatch_uid="clinic.on_diary_changed")
    post_save.connect(on_share_saved_or_deleted, sender=Share, dispatch_uid="clinic.share_saved")
    post_delete.connect(on_share_saved_or_deleted, sender=Share, dispatch_uid="clinic.share_deleted")
    post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="clinic.user_saved")
