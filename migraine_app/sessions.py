"""Django's database sessions, read with one plain SQL query.

Every signed-in request reads its session; building that query with the ORM cost more than
running it. Writing, expiry and clearing are Django's own (django.contrib.sessions.backends.db).
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 - the table name is ours
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
