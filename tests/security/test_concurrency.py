"""Simultaneous requests leave one row each: database constraints plus handling of the conflict.

Real threads, each with its own database connection, on PostgreSQL (SQLite serialises writers
by locking the whole file, so it cannot show these races).
"""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client

from accounts.models import PatientProfile
from diary.csvio import HEADER
from diary.models import Attack, AttackMedicine, HeadacheFreeDay, TreatmentSession
from tests.conftest import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's row-level concurrency"),
]


def at_once(count, request):
    """Run request(index) in `count` threads released together; return their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = request(index)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def one_saved_the_other_saved_or_told(responses, message):
    """A double tap: the first saves (a redirect); the second either finds the row at the
    database's unique constraint (also a redirect) or, if it is checked after the first has
    committed, is shown the form with `message`. Which one depends on timing; neither is a 500."""
    assert any(response.status_code == 302 for response in responses)
    for response in responses:
        assert response.status_code == 302 or (response.status_code == 200 and message in response.text)


@pytest.fixture
def signed_in_clients():
    user = make_user("racer@example.com")
    PatientProfile.objects.create(user=user)
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return user, clients


def test_two_no_headache_today_taps_leave_one_mark(signed_in_clients):
    user, clients = signed_in_clients
    from diary.services import patient_today

    today = patient_today(user.patient_profile).isoformat()
    statuses = at_once(2, lambda i: clients[i].post("/diary/headache-free/", {"dates": today}).status_code)
    assert statuses == [302, 302]
    assert HeadacheFreeDay.objects.filter(patient=user).count() == 1


def test_two_imports_of_the_same_file_at_once_add_each_row_once(signed_in_clients):
    user, clients = signed_in_clients
    rows = [
        f"headache,2026-09-{day:02d},08:30,90,moderate,1,0,0,1,0,0,0,0,triptan:Sumatriptan,,," for day in range(1, 21)
    ]
    rows += [f"headache_free,2026-08-{day:02d},,,,,,,,,,,,,,," for day in range(1, 21)]
    rows += ["treatment_session,2026-07-01,,,,,,,,,,,,,,,"]
    content = (",".join(HEADER) + "\n" + "\n".join(rows) + "\n").encode()

    def upload(index):
        file = SimpleUploadedFile("diary.csv", content, content_type="text/csv")
        return clients[index].post("/diary/import/", {"file": file}).status_code

    assert at_once(2, upload) == [302, 302]
    assert Attack.objects.filter(patient=user).count() == 20
    assert AttackMedicine.objects.filter(attack__patient=user).count() == 20
    assert HeadacheFreeDay.objects.filter(patient=user).count() == 20
    assert TreatmentSession.objects.filter(patient=user).count() == 1


def test_a_double_tap_on_save_headache_leaves_one_attack(signed_in_clients):
    user, clients = signed_in_clients
    data = {
        "when": "other",
        "start_date": "2026-09-01",
        "start_time": "08:00",
        "duration_choice": "60",
        "severity": "2",
    }
    responses = at_once(2, lambda i: clients[i].post("/diary/headaches/new/", data))
    one_saved_the_other_saved_or_told(responses, "You have already logged this headache.")
    assert Attack.objects.filter(patient=user).count() == 1


def test_a_double_tap_on_save_session_leaves_one_session(signed_in_clients):
    user, clients = signed_in_clients
    data = {"date": "2026-09-01", "units": "155", "sites": "31"}
    responses = at_once(2, lambda i: clients[i].post("/diary/sessions/new/", data))
    one_saved_the_other_saved_or_told(responses, "You already have a treatment session on this date.")
    assert TreatmentSession.objects.filter(patient=user).count() == 1
