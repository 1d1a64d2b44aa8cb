"""Django's ModelBackend, reading the user with their role and patient profile in one query.

Every page needs the user; most need their role (the navigation, the role checks) and a
patient's profile (time zone, and the data version that keys the caches): one select_related
instead of three queries. The same query reads ClinicVersion's one value (a subquery on its
primary key), which keys the clinician's cached worklist: no query of its own on each view.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Subquery

from accounts.models import ClinicVersion


def users_with_account():
    """Users, each read with their Account row (the role), patient profile and ClinicVersion's value."""
    version = ClinicVersion.objects.filter(pk=ClinicVersion.ROW).values("value")
    return (
        get_user_model()
        ._default_manager.select_related("account", "patient_profile")
        .annotate(clinic_version=Subquery(version))
    )


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = users_with_account().get(pk=user_id)
        except (ValueError, TypeError, get_user_model().DoesNotExist):
            return None
        return user if self.user_can_authenticate(user) else None
