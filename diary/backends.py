"""Django's ModelBackend, loading the signed-in user's role and patient profile with the user.

Every page needs the user; most need their role (the navigation, the role checks), a patient's
profile (time zone, diary_version for the page cache) or a clinician's worklist_version (the
worklist's cache). One query instead of four, and on a signed-in request none of its own: the
session brings the user (migraine_app.sessions).
"""

from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.models.expressions import Col

from diary import roles
from diary.models import PatientProfile
from migraine_app import prepared, sessions

PROFILE_FIELDS = {"id", "user_id", "time_zone", "reported_baseline", "email_reminders", "diary_version", "phone"}
ROLE_PARAMS = [roles.CLINICIANS, roles.EDITORS]  # the placeholders of user_select(), in order

_IN_GROUP = (
    "EXISTS (SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id "
    "WHERE ug.user_id = u.id AND g.name = %s)"
)


@cache
def _fields():
    # In the models' own order, as Model.from_db() takes them.
    profile_fields = [f for f in PatientProfile._meta.concrete_fields if f.attname in PROFILE_FIELDS]
    return list(get_user_model()._meta.concrete_fields), profile_fields


@cache
def user_select():
    """The columns that user_from_row() reads: the user's, the profile's and the two roles."""
    user_fields, profile_fields = _fields()
    columns = [f"u.{f.column}" for f in user_fields] + [f"p.{f.column}" for f in profile_fields]
    return ", ".join([*columns, "c.worklist_version", _IN_GROUP, _IN_GROUP])


def user_table():
    return get_user_model()._meta.db_table


def profile_joins():
    """Joins the patient profile (p) and the clinician profile (c) to the user (u)."""
    clinician_profiles = apps.get_model("clinic", "ClinicianProfile")._meta.db_table  # clinic builds on diary
    return (
        f"LEFT JOIN {PatientProfile._meta.db_table} p ON p.user_id = u.id "
        f"LEFT JOIN {clinician_profiles} c ON c.user_id = u.id"
    )


@cache
def _converters(alias):
    """Per column, the database's converters (SQLite gives dates as text, booleans as 0 and 1)."""
    connection = connections[alias]
    result = []
    for field in [*_fields()[0], *_fields()[1]]:
        column = Col(field.model._meta.db_table, field)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        result.append((found, column))
    return result


def user_from_row(connection, values):
    """The user of a row of user_select(), with role and profile; None if the row has no user."""
    user_fields, profile_fields = _fields()
    values = list(values)
    if values[0] is None:
        return None
    for index, (converters, column) in enumerate(_converters(connection.alias)):
        for converter in converters:
            values[index] = converter(values[index], column, connection)
    split = len(user_fields)
    end = split + len(profile_fields)
    user = get_user_model().from_db(connection.alias, [f.attname for f in user_fields], values[:split])
    user._worklist_version, in_clinicians, in_editors = values[end : end + 3]
    user._role_group_names = {
        name for name, member in ((roles.CLINICIANS, in_clinicians), (roles.EDITORS, in_editors)) if member
    }
    if values[split] is not None:
        profile_names = [f.attname for f in profile_fields]
        user._diary_profile = PatientProfile.from_db(connection.alias, profile_names, values[split:end])
    return user


def fetch_user(name, from_where, params, model=None):
    """The one user that `SELECT user_select() FROM <from_where>` finds, or None: one prepared query.

    `from_where` names the user table u (its joins follow it); `params` fill its placeholders.
    """
    connection = connections[router.db_for_read(model or get_user_model())]
    sql = f"SELECT {user_select()} FROM {from_where}"  # noqa: S608 - names are ours
    rows = prepared.fetch(connection, name, sql, [*ROLE_PARAMS, *params])
    return user_from_row(connection, rows[0]) if rows else None


class DiaryModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        user = sessions.loaded_user(user_id)
        if user is None:
            user = fetch_user("app_user", f"{user_table()} u {profile_joins()} WHERE u.id = %s", [user_id])
        if user is None or not self.user_can_authenticate(user):
            return None
        return user
