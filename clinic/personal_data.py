"""The clinic's part of a patient's data download (accounts.views.personal_data)."""

from clinic.models import AccessLogEntry, ClinicianNote, Share


def _iso(value):
    return value.isoformat() if value is not None else None


def personal_data(user):
    return {
        "json": {
            "sharing": [
                {"clinician": s.clinician.get_full_name() or s.clinician.email, "since": _iso(s.created_at)}
                for s in Share.objects.filter(patient=user).select_related("clinician")
            ],
            "access_log": [
                {"clinician": e.clinician_name, "what": e.what, "at": _iso(e.at)}
                for e in AccessLogEntry.objects.filter(patient=user)
            ],
            "notes_from_clinicians": [
                {"by": n.author_name, "at": _iso(n.created_at), "text": n.text}
                for n in ClinicianNote.objects.filter(patient=user, visible_to_patient=True)
            ],
        }
    }
