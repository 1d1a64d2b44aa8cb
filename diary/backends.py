"""Django's ModelBackend, loading the signed-in user's role and patient profile with the user.

Every page needs the user; most need their role (the navigation, the role checks) and a
patient's profile (time zone, diary_version for the page cache). One query instead of three.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from diary import roles
from diary.models import PatientProfile

PROFILE_FIELDS = ["id", "time_zone", "reported_baseline", "email_reminders", "diary_version"]

USER_SQL = """
SELECT u.*,
    {profile_columns},
    EXISTS (SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
            WHERE ug.user_id = u.id AND g.name = %s) AS in_clinicians,
    EXISTS (SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
            WHERE ug.user_id = u.id AND g.name = %s) AS in_editors
FROM auth_user u LEFT JOIN diary_patientprofile p ON p.user_id = u.id
WHERE u.id = %s
""".format(profile_columns=", ".join(f"p.{name} AS profile_{name}" for name in PROFILE_FIELDS))  # noqa: S608


class DiaryModelBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        rows = list(User._default_manager.raw(USER_SQL, [roles.CLINICIANS, roles.EDITORS, user_id]))
        if not rows or not self.user_can_authenticate(rows[0]):
            return None
        user = rows[0]
        user._role_group_names = {
            name
            for name, member in ((roles.CLINICIANS, user.in_clinicians), (roles.EDITORS, user.in_editors))
            if member
        }
        if user.profile_id is not None:
            profile = PatientProfile(
                user_id=user.pk, **{name: getattr(user, f"profile_{name}") for name in PROFILE_FIELDS}
            )
            profile._state.adding = False
            profile._state.db = user._state.db
            user._diary_profile = profile
        return user
