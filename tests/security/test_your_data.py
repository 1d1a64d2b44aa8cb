import io
import json
import zipfile

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse

from accounts.models import PatientProfile, UserSession
from clinic.models import AccessLogEntry, ClinicianNote, ReminderSent, Share
from diary.models import Medicine, MidasAnswer, PatientSummary
from tests.conftest import PASSWORD
from tests.diary.factories import attack, headache_free, session, side_effect


def full_diary(patient, clinician):
    PatientProfile.objects.create(user=patient, reported_baseline=18, time_zone="Europe/Dublin")
    treatment = session(patient, "2026-07-01", notes="First session")
    attack(patient, "2026-07-05", notes="Bad one", medicines=[("triptan", "Sumatriptan")])
    attack(patient, "2026-10-15", time="08:00", minutes=None)
    headache_free(patient, "2026-07-06")
    side_effect(patient, treatment, effect="ptosis", started_on="2026-07-03")
    Medicine.objects.create(patient=patient, name="Sumatriptan", medicine_class="triptan")
    MidasAnswer.objects.create(
        patient=patient,
        answered_on="2026-09-01",
        missed_work=1,
        reduced_work=2,
        missed_household=3,
        reduced_household=4,
        missed_social=5,
        headache_days=20,
        average_pain=6,
    )
    Share.objects.create(patient=patient, clinician=clinician)
    AccessLogEntry.objects.create(clinician=clinician, clinician_name="Chris Carter", patient=patient, what="report")
    ClinicianNote.objects.create(
        patient=patient, author=clinician, author_name="Chris Carter", text="Seen", visible_to_patient=True
    )
    ReminderSent.objects.create(user=patient, kind="unrecorded", key="2026-10-14")
    PatientSummary.objects.create(patient=patient, computed_for="2026-10-15", data={})


def test_a_patient_downloads_everything_held_on_them(patient_client, patient, clinician):
    full_diary(patient, clinician)
    response = patient_client.get(reverse("data_download"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["data.json", "diary.csv"]
    assert archive.read("diary.csv").decode() == patient_client.get(reverse("diary:export")).content.decode()
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "alice@example.com"
    assert data["profile"] == {"time_zone": "Europe/Dublin", "reported_baseline": 18.0, "email_reminders": False}
    assert data["treatment_sessions"][0]["notes"] == "First session"
    assert data["side_effect_reports"][0]["effect"] == "ptosis"
    assert data["midas_answers"][0]["score"] == 15
    assert data["sharing"][0]["clinician"] == "Chris Carter"
    assert data["access_log"][0]["what"] == "report"
    assert data["notes_from_clinicians"][0]["text"] == "Seen"
    assert data["usual_medicines"] == [{"name": "Sumatriptan", "class": "triptan"}]
    assert data["headaches_still_going"] == [{"date": "2026-10-15", "start_time": "08:00", "severity": 2}]


def test_the_download_is_the_patient_s_own(patient_client, patient, other_patient, clinician):
    full_diary(other_patient, clinician)
    data = json.loads(
        zipfile.ZipFile(io.BytesIO(patient_client.get(reverse("data_download")).content)).read("data.json")
    )
    assert data["treatment_sessions"] == [] and data["access_log"] == []


def _references_to(user):
    """Every row of every table that points at the user, by foreign key or by username."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is get_user_model():
                if field.concrete and model.objects.filter(**{field.attname: user.pk}).exists():
                    found.append(f"{model._meta.label}.{field.name}")
        names = [f.name for f in model._meta.get_fields() if f.name == "username" and model is not get_user_model()]
        if names and model.objects.filter(username__iexact=user.username).exists():
            found.append(f"{model._meta.label}.username")
    if get_user_model().objects.filter(pk=user.pk).exists():
        found.append("the user row")
    for stored in UserSession.objects.all():
        if str(stored.get_decoded().get("_auth_user_id")) == str(user.pk):
            found.append("a session")
    return found


def test_deleting_the_account_removes_all_personal_data(client, patient, clinician):
    full_diary(patient, clinician)
    client.post(reverse("login"), {"username": "alice@example.com", "password": "wrong"})  # a failed sign-in row
    phone = Client()
    phone.force_login(patient)  # another live session
    client.force_login(patient)
    assert _references_to(patient) != []
    wrong = client.post(reverse("delete_account"), {"password": "not it"})
    assert "That is not your password." in wrong.text
    assert get_user_model().objects.filter(pk=patient.pk).exists()
    response = client.post(reverse("delete_account"), {"password": PASSWORD}, follow=True)
    assert "Your account and everything in it are deleted." in response.text
    assert _references_to(patient) == []
    assert phone.get("/diary/").status_code == 302
    # The clinician's own account and rows stay.
    assert get_user_model().objects.filter(pk=clinician.pk).exists()


def test_only_a_patient_can_delete_their_account_here(client, clinician):
    client.force_login(clinician)
    assert client.post(reverse("delete_account"), {"password": PASSWORD}).status_code == 403
    assert get_user_model().objects.filter(pk=clinician.pk).exists()
