"""scripts/backup_roundtrip.sh dumps the database, restores it into a fresh one and compares row counts."""

import random
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from diary import demo
from diary.models import Attack
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # pg_dump must see committed rows
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore are PostgreSQL's"),
]


def database_url():
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_a_backup_restores_with_every_row():
    patient = make_user("backup@example.com")
    demo.seed_diary(patient, "responder", 0.5, random.Random(7))
    assert Attack.objects.count() > 20
    result = subprocess.run(
        ["bash", "scripts/backup_roundtrip.sh", database_url()], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Backup round trip OK" in result.stdout
    assert "every count equal" in result.stdout


def test_the_script_refuses_a_url_that_is_not_postgresql():
    result = subprocess.run(
        ["bash", "scripts/backup_roundtrip.sh", "sqlite:///x.db"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "usage" in result.stderr
