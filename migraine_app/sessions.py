"""Database sessions that are read together with their user: one query per signed-in request.

Every signed-in request reads its session and then its user (with the user's role and patient
profile, diary.backends). The session row (diary.UserSession) keeps the user's id beside its
encoded data, so one prepared query (migraine_app.prepared) reads the session, the user, the
role and the profile. AuthenticationMiddleware hands that user to the authentication backend
for this request only; Django's own auth.get_user still runs every check (backend, session
hash after a password change, active account). Writing, expiry and clearing are Django's own
(django.contrib.sessions.backends.db).
"""

from contextvars import ContextVar

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.db import connections, router
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

_request_session = ContextVar("request_session", default=None)


class SessionStore(db.SessionStore):
    _user_values = None

    def _validate_session_key(self, key):
        """Only a key Django could have made (letters a-z and digits): any other cookie, one with a
        NUL byte for one, is no session and reaches no query (PostgreSQL refuses a NUL outright)."""
        return isinstance(key, str) and 8 <= len(key) <= 40 and all(char in VALID_KEY_CHARS for char in key)

    @classmethod
    def get_model_class(cls):
        from diary.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            instance.user_id = None
        return instance

    def _get_session_from_db(self):
        from diary import backends
        from migraine_app import prepared

        model = self.model
        connection = connections[router.db_for_read(model)]
        sql = (
            f"SELECT s.session_data, {backends.user_select()} "  # noqa: S608 - names are ours
            f"FROM {model._meta.db_table} s LEFT JOIN {backends.user_table()} u ON u.id = s.user_id "
            f"{backends.profile_joins()} "
            "WHERE s.session_key = %s AND s.expire_date > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = prepared.fetch(connection, "app_session_user", sql, [*backends.ROLE_PARAMS, self.session_key, now])
        if not rows:
            self._session_key = None
            return None
        self._user_values = (connection.alias, rows[0][1:])
        return model(session_key=self.session_key, session_data=rows[0][0])

    def take_loaded_user(self, user_id):
        """The user read with this session, if it is `user_id`; given once, then forgotten."""
        from diary import backends

        loaded, self._user_values = self._user_values, None
        if loaded is None:
            return None
        alias, values = loaded
        user = backends.user_from_row(connections[alias], values)
        return user if user is not None and user.pk == user_id else None


def loaded_user(user_id):
    """For the authentication backend: the user read with this request's session, or None."""
    session = _request_session.get()
    take = getattr(session, "take_loaded_user", None)
    return take(user_id) if take is not None else None


def get_user(request):
    if not hasattr(request, "_cached_user"):
        token = _request_session.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _request_session.reset(token)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the user that came with the session (above)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
