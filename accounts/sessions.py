"""Django's sessions, with the user each belongs to kept beside it (the pattern of Django's
"Extending database-backed session engines").

The user's id lets an account list and end its own sessions ("Where you are signed in", the cap
of SESSIONS_PER_ACCOUNT) and lets them go when the account goes. Everything else is Django's:
SessionStore is `cached_db` (read from the shared cache, written through to the database) and
DatabaseSessionStore is `db`, for a server whose cache is each process's own memory, where a
session ended in one worker would live on in the others' caches (see settings.SESSION_ENGINE).
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db, db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class UserSession(AbstractBaseSession):
    """A signed-in browser: Django's database session with the user it belongs to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        app_label = "accounts"
        verbose_name = "session"

    @classmethod
    def get_session_store_class(cls):
        return SessionStore


class _WithUser:
    # One salt for both stores (and for sessions saved before this app existed): Django's default
    # is made from the class's name, so each store would refuse the other's sessions.
    key_salt = "django.contrib.sessions.SessionStore"

    @classmethod
    def get_model_class(cls):
        return UserSession

    def _validate_session_key(self, key):
        """Only a key Django could have made (letters a-z and digits): any other cookie, one with a
        NUL byte for one, is no session and reaches no query (PostgreSQL refuses a NUL outright)."""
        return isinstance(key, str) and 8 <= len(key) <= 40 and all(char in VALID_KEY_CHARS for char in key)

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            instance.user_id = None
        return instance


class DatabaseSessionStore(_WithUser, db.SessionStore):
    pass


class SessionStore(_WithUser, cached_db.SessionStore):
    pass


def end_sessions(keys):
    """Sign these sessions out: their rows and their copies in the cache."""
    for key in keys:
        SessionStore(session_key=key).delete()
