"""On PostgreSQL, refuse at the database any diary date beyond what any time zone has reached.

"Nothing is recorded in advance" is judged against the patient's own today, which only the
app knows; the forms and the import check that. The database adds a backstop that holds for
every zone: no local date can be later than tomorrow in UTC (UTC+14 is the furthest ahead).
SQLite refuses non-deterministic functions in CHECK constraints, so this is PostgreSQL only.
"""

from django.db import migrations

CHECKS = [
    ("diary_attack", "start_date", "attack_start_not_in_future"),
    ("diary_headachefreeday", "date", "headache_free_not_in_future"),
    ("diary_treatmentsession", "date", "session_not_in_future"),
    ("diary_sideeffectreport", "started_on", "side_effect_not_in_future"),
]


def add_checks(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, name in CHECKS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({column} <= ((now() AT TIME ZONE 'UTC')::date + 1))"
        )


def drop_checks(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _column, name in CHECKS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("diary", "0002_diary_records")]

    operations = [migrations.RunPython(add_checks, drop_checks)]
