"""Queries run on every request, as PostgreSQL prepared statements.

PostgreSQL spends longer planning the signed-in user's query than running it. A statement
prepared once per database connection is planned once (PREPARE, then EXECUTE). On other
databases (SQLite for a first run) the query runs as it is.

PREPARE is per-connection setup, like Django's own SET TIME ZONE, so it is sent on the
driver's cursor, not counted as one of the page's queries. Statements are prepared again on a
new connection, and once more if the server has forgotten them (DISCARD ALL) or a migration
changed what they return.

A connection pooler in transaction mode (PgBouncer) does not keep prepared statements:
connect directly, or pool in session mode.
"""

import re

from django.db import DatabaseError

_PLACEHOLDER = re.compile(r"%s")


def _numbered(sql):
    count = 0

    def number(match):
        nonlocal count
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


def _prepared_names(connection):
    raw = connection.connection
    if getattr(connection, "_prepared_for", None) is not raw:
        connection._prepared_for = raw  # held, so a new connection can never look the same
        connection._prepared_names = set()
    return connection._prepared_names


def _prepare(connection, name, sql, start_over=False):
    names = _prepared_names(connection)
    with connection.connection.cursor() as cursor:
        if start_over:
            cursor.execute("DEALLOCATE ALL")
            names.clear()
        cursor.execute(f"PREPARE {name} AS {_numbered(sql)}")
    names.add(name)


def fetch(connection, name, sql, params):
    """Run `sql` (with %s placeholders) and return its rows; prepared as `name` on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        if name not in _prepared_names(connection):
            _prepare(connection, name, sql)
        placeholders = ", ".join(["%s"] * len(params))
        execute = f"EXECUTE {name}({placeholders})"
        try:
            cursor.execute(execute, params)
        except DatabaseError as error:
            # 26000: the server forgot it; 0A000: a migration changed the columns it returns.
            code = getattr(error.__cause__, "pgcode", None)
            if code not in ("26000", "0A000") or connection.in_atomic_block:
                raise
            _prepare(connection, name, sql, start_over=True)
            cursor.execute(execute, params)
        return cursor.fetchall()
