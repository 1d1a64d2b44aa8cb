"""Who a user is to the app: a patient, a clinician or an education editor.

The role is a column of the user's Account row, read with the user in one query on every request
(accounts.backends selects it with the user). A user with no Account row is a patient. Editors
and clinicians are also in a group of the same name, which carries their admin permissions
(editors may edit the guide); the role itself is never read from the groups.
"""

from django.contrib.auth.models import Group

from accounts.models import Account, Role

CLINICIANS = "Clinicians"
EDITORS = "Education editors"
ROLES = tuple(Role.values)
_GROUPS = {Role.CLINICIAN: CLINICIANS, Role.EDITOR: EDITORS}


def role_of(user):
    """The user's role: from the Account row loaded with the user, else one query (kept on the user)."""
    if not user.is_authenticated:
        return None
    try:
        return user.account.role
    except Account.DoesNotExist:
        return Role.PATIENT


def is_clinician(user):
    return role_of(user) == Role.CLINICIAN


def is_editor(user):
    return role_of(user) == Role.EDITOR


def is_patient(user):
    return role_of(user) == Role.PATIENT


def assign_role(user, role):
    """Give a saved user this role, and the group of its permissions. Editors get into admin (is_staff)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    account, _ = Account.objects.update_or_create(user=user, defaults={"role": role})
    user.account = account
    user.groups.remove(*Group.objects.filter(name__in=_GROUPS.values()).exclude(name=_GROUPS.get(role)))
    if role in _GROUPS:
        user.groups.add(Group.objects.get(name=_GROUPS[role]))
    if role == Role.EDITOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
