"""Django's ModelBackend, reading the user with their role and patient profile in one query.

Every page needs the user; most need their role (the navigation, the role checks) and a
patient's profile (time zone, and the data version that keys the caches): one select_related
instead of three queries.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def users_with_account():
    """Users, each read with their Account row (the role) and patient profile."""
    return get_user_model()._default_manager.select_related("account", "patient_profile")


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = users_with_account().get(pk=user_id)
        except (ValueError, TypeError, get_user_model().DoesNotExist):
            return None
        return user if self.user_can_authenticate(user) else None
