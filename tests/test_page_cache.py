"""The page cache never serves a page that a change has made stale."""

import pytest
from django.urls import reverse

from clinic.models import AccessLogEntry
from education.models import Section
from tests.diary.factories import session


def fresh_get(client, url):
    """A GET like a browser's on a later visit: no one-time message pending."""
    client.cookies.pop("messages", None)
    return client.get(url)


def test_a_diary_change_shows_at_once_on_cached_pages(patient_client, patient):
    session(patient, "2026-10-01")
    for url in (reverse("diary:home"), reverse("diary:progress")):
        fresh_get(patient_client, url)
    before = fresh_get(patient_client, reverse("diary:progress_json")).json()["periods"][1]["days_recorded"]
    patient_client.post(reverse("diary:headache_free_mark"), {"dates": ["2026-10-13", "2026-10-14"]})
    after = fresh_get(patient_client, reverse("diary:progress_json")).json()["periods"][1]["days_recorded"]
    assert after == before + 2
    assert "Today is marked" not in fresh_get(patient_client, reverse("diary:home")).text
    patient_client.post(reverse("diary:headache_free_mark"), {"dates": ["2026-10-15"]})
    assert "Today is marked: no headache." in fresh_get(patient_client, reverse("diary:home")).text


def test_one_patient_never_gets_another_s_cached_page(client, patient, other_patient, frozen):
    session(patient, "2026-10-01", given_by="Nurse Alpha")
    client.force_login(patient)
    assert "Nurse Alpha" in client.get(reverse("diary:sessions")).text
    client.force_login(other_patient)
    assert "Nurse Alpha" not in client.get(reverse("diary:sessions")).text


@pytest.mark.django_db
def test_a_guide_edit_shows_at_once_to_visitors(client):
    url = "/learn/summary/"
    assert "In summary" in client.get(url).text
    section = Section.objects.get(slug="summary")
    section.body = "A new summary."
    section.save()
    assert "A new summary." in client.get(url).text


def test_a_cached_clinic_page_still_logs_every_view(client, clinician, patient, frozen):
    from clinic.models import Share

    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    url = reverse("clinic:patient", args=[patient.pk])
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert AccessLogEntry.objects.filter(patient=patient, clinician=clinician).count() == 3


def test_saving_the_profile_never_writes_back_an_old_diary_version(patient):
    from diary.forms import ProfileForm, ReportedBaselineForm
    from diary.models import PatientProfile

    stale = PatientProfile.objects.create(user=patient)  # read with diary_version 0
    PatientProfile.objects.filter(user=patient).update(diary_version=41)  # raised by another request meanwhile
    form = ProfileForm({"email": "alice@example.com", "time_zone": "Europe/Paris"}, instance=stale, user=patient)
    assert form.is_valid(), form.errors
    form.save()
    baseline = ReportedBaselineForm({"reported_baseline": "12"}, instance=stale)
    assert baseline.is_valid()
    baseline.save()
    profile = PatientProfile.objects.get(user=patient)
    assert (profile.time_zone, str(profile.reported_baseline)) == ("Europe/Paris", "12.0")
    assert profile.diary_version == 41
