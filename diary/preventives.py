"""Writes of a patient's other preventive treatments (CLINICAL.md "Other preventive treatments").

Each action saves its row and raises the diary's version (services.diary_changed) in one
transaction, as every diary write does: the progress pages, the worklist's summary and the
cached pages follow at once, and a failure leaves nothing half-saved.
"""

from django.db import transaction

from diary.services import diary_changed


def save_course(course, recorded_by=None):
    """Save a preventive course, new or changed. recorded_by: the clinician who entered a new one."""
    if recorded_by is not None and course._state.adding:
        course.recorded_by = recorded_by
    with transaction.atomic():
        course.save()
        diary_changed(course.patient)
    return course


def stop_course(course, stop, reason):
    """The course stopped on `stop` for `reason` (a StopReason value); the form has checked both."""
    course.stop = stop
    course.stop_reason = reason
    with transaction.atomic():
        course.save(update_fields=["stop", "stop_reason", "updated_at"])
        diary_changed(course.patient)
    return course


def delete_course(course):
    with transaction.atomic():
        course.delete()
        diary_changed(course.patient)
