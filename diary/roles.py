"""Who a user is to the app: a patient, a clinician or an education editor.

Clinicians and editors are users in a group (each made by a migration). Every other user is a
patient, whose per-patient rows are made on first use.
"""

from django.contrib.auth.models import Group

CLINICIANS = "Clinicians"
EDITORS = "Education editors"
ROLES = ("patient", "clinician", "editor")


def _group_names(user):
    # Cached on the user object: one query per request, however often it is asked.
    if not hasattr(user, "_role_group_names"):
        user._role_group_names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._role_group_names


def is_clinician(user):
    return user.is_authenticated and CLINICIANS in _group_names(user)


def is_editor(user):
    return user.is_authenticated and EDITORS in _group_names(user)


def is_patient(user):
    return user.is_authenticated and not (_group_names(user) & {CLINICIANS, EDITORS})


def assign_role(user, role):
    """Put a saved user in the role's group. Editors get into admin (is_staff) for the guide only."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role == "clinician":
        from clinic.models import ClinicianProfile  # the clinic app builds on the diary's roles

        user.groups.add(Group.objects.get(name=CLINICIANS))
        ClinicianProfile.objects.get_or_create(user=user)  # their share code
    elif role == "editor":
        user.groups.add(Group.objects.get(name=EDITORS))
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    if hasattr(user, "_role_group_names"):
        del user._role_group_names
