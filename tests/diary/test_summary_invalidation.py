"""Every write to a diary raises its data version and remakes the clinic's summary of it when the
write commits (services.diary_changed, transaction.on_commit); a change the diary does not write
(the profile page) leaves the summary behind the profile's version, and the worklist remakes it."""

import contextlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import PatientProfile
from clinic.models import Share
from diary import summaries
from diary.csvio import HEADER
from diary.models import PatientSummary
from diary.summaries import remake_patient
from tests.diary.factories import attack, headache_free, session, side_effect


def version(patient):
    return PatientProfile.objects.get(user=patient).diary_version


@pytest.fixture
def summary(patient_client, patient):
    """A current summary of the patient's diary (as refresh_summaries leaves it)."""
    profile = PatientProfile.objects.get_or_create(user=patient)[0]
    return summaries.remake([profile])[patient.pk]


@pytest.fixture
def remade_on_commit(patient, summary, django_capture_on_commit_callbacks):
    """with remade_on_commit(): a write; then checks the version went up and the summary was
    remade when (and only when) the write's transaction committed."""

    @contextlib.contextmanager
    def check():
        before = version(patient)
        with django_capture_on_commit_callbacks() as callbacks:
            yield
        assert version(patient) > before, "the write did not raise the data version"
        # Not committed yet (the test's transaction): the summary is still the old one.
        assert PatientSummary.objects.get(patient=patient).diary_version == before
        assert any(getattr(c, "func", None) is remake_patient for c in callbacks), "no remake on commit"
        for callback in callbacks:  # the commit
            callback()
        remade = PatientSummary.objects.get(patient=patient)
        assert remade.diary_version == version(patient)
        assert "days" in remade.data

    return check


def test_logging_a_headache(patient_client, patient, remade_on_commit):
    with remade_on_commit():
        patient_client.post(reverse("diary:headache_new"), {"when": "now", "duration_choice": "60", "severity": "2"})
    assert patient.attacks.count() == 1


def test_headache_now(patient_client, patient, remade_on_commit):
    with remade_on_commit():
        patient_client.post(reverse("diary:headache_new"), {"quick": "now", "severity": "3"})
    assert patient.attacks.get().is_ongoing


def test_editing_ending_and_deleting_a_headache(patient_client, patient, remade_on_commit):
    row = attack(patient, "2026-10-15", time="10:00", minutes=None)
    with remade_on_commit():
        patient_client.post(reverse("diary:headache_end", args=[row.pk]))
    row.refresh_from_db()
    assert row.duration_minutes is not None
    with remade_on_commit():
        patient_client.post(
            reverse("diary:headache_edit", args=[row.pk]),
            {
                "when": "other",
                "start_date": "2026-10-15",
                "start_time": "10:00",
                "duration_choice": "exact",
                "duration_minutes": "90",
                "severity": "1",
            },
        )
    row.refresh_from_db()
    assert (row.duration_minutes, row.severity) == (90, 1)
    with remade_on_commit():
        patient_client.post(reverse("diary:headache_delete", args=[row.pk]))
    assert not patient.attacks.exists()


def test_marking_and_unmarking(patient_client, patient, remade_on_commit):
    with remade_on_commit():
        patient_client.post(reverse("diary:headache_free_mark"), {"dates": "2026-10-14"})
    assert patient.headache_free_days.count() == 1
    with remade_on_commit():
        patient_client.post(reverse("diary:headache_free_unmark"), {"dates": "2026-10-14"})
    assert not patient.headache_free_days.exists()


def test_sessions(patient_client, patient, remade_on_commit):
    with remade_on_commit():
        patient_client.post(reverse("diary:session_new"), {"date": "2026-10-01", "units": 155, "sites": 31})
    assert PatientSummary.objects.get(patient=patient).data["cycle_number"] == 1
    row = session(patient, "2026-07-01")
    with remade_on_commit():
        patient_client.post(
            reverse("diary:session_edit", args=[row.pk]), {"date": "2026-07-02", "units": 155, "sites": 31}
        )
    with remade_on_commit():
        patient_client.post(reverse("diary:session_delete", args=[row.pk]))
    assert patient.treatment_sessions.count() == 1


def test_side_effects(patient_client, patient, remade_on_commit):
    row = session(patient, "2026-10-01")
    with remade_on_commit():
        patient_client.post(
            reverse("diary:session_side_effects", args=[row.pk]),
            {"effect": "fatigue", "severity": 1, "started_on": "2026-10-02"},
        )
    report = side_effect(patient, row)
    with remade_on_commit():
        patient_client.post(reverse("diary:side_effect_delete", args=[report.pk]))
    assert patient.side_effect_reports.count() == 1


def test_midas(patient_client, patient, remade_on_commit):
    answers = {
        "missed_work": 1,
        "reduced_work": 2,
        "missed_household": 3,
        "reduced_household": 0,
        "missed_social": 1,
        "headache_days": 30,
        "average_pain": 6,
    }
    with remade_on_commit():
        patient_client.post(reverse("diary:midas"), answers)
    assert patient.midas_answers.count() == 1


def test_import(patient_client, patient, remade_on_commit):
    content = (",".join(HEADER) + "\nheadache_free,2026-10-01,,,,,,,,,,,,,,,\n").encode()
    with remade_on_commit():
        patient_client.post(reverse("diary:import"), {"file": SimpleUploadedFile("d.csv", content)})
    assert patient.headache_free_days.count() == 1


def test_a_refused_write_changes_nothing(patient_client, patient, summary, django_capture_on_commit_callbacks):
    before = version(patient)
    with django_capture_on_commit_callbacks() as callbacks:
        patient_client.post(reverse("diary:headache_free_mark"), {"dates": "2026-10-16"})  # tomorrow
    assert version(patient) == before
    assert callbacks == []


def test_the_profile_page_leaves_the_summary_behind_and_the_worklist_remakes_it(
    client, patient_client, patient, clinician, summary, django_capture_on_commit_callbacks
):
    Share.objects.create(patient=patient, clinician=clinician)
    headache_free(patient, "2026-10-01")
    assert summary.computed_for.isoformat() == "2026-10-15"  # 13:00 in London
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(
            reverse("profile"), {"email": "alice@example.com", "time_zone": "Pacific/Auckland"}
        )
    assert response.status_code == 302
    # accounts cannot call the diary: the version went up, the summary stayed behind it.
    kept = PatientSummary.objects.get(patient=patient)
    assert kept.diary_version < version(patient)
    assert kept.computed_for.isoformat() == "2026-10-15"
    client.force_login(clinician)
    response = client.get(reverse("clinic:worklist"))
    [row] = response.context["page"].object_list
    assert row["state"] == summaries.FRESH
    remade = PatientSummary.objects.get(patient=patient)
    assert remade.diary_version == version(patient)
    assert remade.computed_for.isoformat() == "2026-10-16"  # 01:00 on the 16th in Auckland


def test_refresh_summaries_also_remakes_one_left_behind(patient_client, patient, summary):
    patient_client.post(reverse("profile"), {"email": "alice@example.com", "time_zone": "Pacific/Auckland"})
    out = io.StringIO()
    call_command("refresh_summaries", stdout=out)
    assert out.getvalue().startswith("Remade 1 summary in ")
    assert PatientSummary.objects.get(patient=patient).diary_version == version(patient)
