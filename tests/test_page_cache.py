"""The page cache never serves a page that a change has made stale."""

import pytest
from django.urls import reverse

from clinic.models import AccessLogEntry
from education.models import Section
from tests.conftest import PASSWORD
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
    from accounts.forms import ProfileForm, ReportedBaselineForm
    from accounts.models import PatientProfile

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


# The worklist is cached by the clinician's worklist_version, raised after each change commits.


@pytest.fixture
def worklist(client, clinician, patient, frozen, django_capture_on_commit_callbacks):
    from clinic.models import Share

    with django_capture_on_commit_callbacks(execute=True):
        Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)

    def view():
        return fresh_get(client, reverse("clinic:worklist")).text

    return view


def test_a_shared_diary_change_shows_at_once_on_the_worklist(worklist, patient, django_capture_on_commit_callbacks):
    from django.test import Client

    treatment = session(patient, "2026-10-01")
    assert "flag-urgent_side_effect" not in worklist()
    assert "flag-urgent_side_effect" not in worklist()  # now from the page cache (the CSRF cookie is set)
    phone = Client()
    phone.force_login(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(
            reverse("diary:session_side_effects", args=[treatment.pk]),
            {"effect": "swallowing_speaking_breathing", "started_on": "2026-10-14", "severity": "3"},
        )
    assert response.status_code == 302
    assert "flag-urgent_side_effect" in worklist()


def test_a_new_share_and_an_ended_share_show_at_once_on_the_worklist(worklist, clinician, patient, other_patient):
    from clinic.models import Share

    assert "Alice Ashworth" in worklist() and "Bob Barnes" not in worklist()
    Share.objects.create(patient=other_patient, clinician=clinician)
    assert "Bob Barnes" in worklist()
    Share.objects.filter(patient=patient).delete()
    assert "Ashworth" not in worklist()


def test_signing_in_does_not_make_the_clinicians_worklists_stale(
    worklist, clinician, patient, django_capture_on_commit_callbacks
):
    from django.test import Client

    from clinic.pages import worklist_version

    before = worklist_version(clinician)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in = Client().post(reverse("login"), {"username": "alice@example.com", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert worklist_version(clinician) == before


def test_a_clinic_page_shown_with_a_message_is_logged_too(client, clinician, patient, frozen):
    from clinic.models import Share

    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    saved = client.post(reverse("clinic:note_new", args=[patient.pk]), {"text": "Seen today."}, follow=True)
    assert "Note saved." in saved.text  # the page came with its one-time message: not from the cache
    assert AccessLogEntry.objects.filter(patient=patient, clinician=clinician).count() == 1
