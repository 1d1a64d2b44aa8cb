"""Every change to a diary forgets the clinic's summary of it, so the worklist is never stale."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diary.models import PatientSummary
from tests.diary.factories import attack, headache_free, session, side_effect


@pytest.fixture
def summary(patient):
    return PatientSummary.objects.create(patient=patient, computed_for="2026-10-15", data={"flags": []})


def gone(patient):
    return not PatientSummary.objects.filter(patient=patient).exists()


def test_logging_a_headache(patient_client, patient, summary):
    patient_client.post(reverse("diary:headache_new"), {"when": "now", "duration_choice": "60", "severity": "2"})
    assert gone(patient)


def test_editing_ending_and_deleting_a_headache(patient_client, patient, summary):
    row = attack(patient, "2026-10-15", time="10:00", minutes=None)
    patient_client.post(reverse("diary:headache_end", args=[row.pk]))
    assert gone(patient)
    PatientSummary.objects.create(patient=patient, computed_for="2026-10-15", data={})
    patient_client.post(reverse("diary:headache_delete", args=[row.pk]))
    assert gone(patient)


def test_marking_and_unmarking(patient_client, patient, summary):
    patient_client.post(reverse("diary:headache_free_mark"), {"dates": "2026-10-14"})
    assert gone(patient)
    PatientSummary.objects.create(patient=patient, computed_for="2026-10-15", data={})
    patient_client.post(reverse("diary:headache_free_unmark"), {"dates": "2026-10-14"})
    assert gone(patient)


def test_sessions(patient_client, patient, summary):
    patient_client.post(reverse("diary:session_new"), {"date": "2026-10-01", "units": 155, "sites": 31})
    assert gone(patient)
    row = session(patient, "2026-07-01")
    PatientSummary.objects.create(patient=patient, computed_for="2026-10-15", data={})
    patient_client.post(reverse("diary:session_edit", args=[row.pk]), {"date": "2026-07-02", "units": 155, "sites": 31})
    assert gone(patient)
    PatientSummary.objects.create(patient=patient, computed_for="2026-10-15", data={})
    patient_client.post(reverse("diary:session_delete", args=[row.pk]))
    assert gone(patient)


def test_side_effects(patient_client, patient, summary):
    row = session(patient, "2026-10-01")
    patient_client.post(
        reverse("diary:session_side_effects", args=[row.pk]),
        {"effect": "fatigue", "severity": 1, "started_on": "2026-10-02"},
    )
    assert gone(patient)
    report = side_effect(patient, row)
    PatientSummary.objects.create(patient=patient, computed_for="2026-10-15", data={})
    patient_client.post(reverse("diary:side_effect_delete", args=[report.pk]))
    assert gone(patient)


def test_import(patient_client, patient, summary):
    from diary.csvio import HEADER

    content = (",".join(HEADER) + "\nheadache_free,2026-10-01,,,,,,,,,,,,,,,\n").encode()
    patient_client.post(reverse("diary:import"), {"file": SimpleUploadedFile("d.csv", content)})
    assert gone(patient)


def test_profile(patient_client, patient, summary):
    headache_free(patient, "2026-10-01")
    patient_client.post(reverse("profile"), {"email": "alice@example.com", "time_zone": "Asia/Tokyo"})
    assert gone(patient)
