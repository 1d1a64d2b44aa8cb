from django.urls import reverse

from accounts.roles import assign_role
from clinic.models import AccessLogEntry, ClinicianNote, Share
from clinic.services import clinician_profile

SHARING = reverse("sharing:page")


def test_sharing_requires_login(client, db):
    assert client.get(SHARING).status_code == 302


def test_sharing_is_for_patients_only(client, clinician):
    client.force_login(clinician)
    assert client.get(SHARING).status_code == 403


def test_a_patient_shares_by_entering_the_clinician_s_code(client, patient, clinician):
    code = clinician_profile(clinician).display_code
    client.force_login(patient)
    response = client.post(SHARING, {"code": code.lower().replace("-", " ")}, follow=True)
    assert "Your diary is now shared with Chris Carter." in response.text
    assert Share.objects.filter(patient=patient, clinician=clinician).exists()
    assert "Chris Carter" in client.get(SHARING).text


def test_an_unknown_code_is_refused_next_to_the_field(client, patient):
    client.force_login(patient)
    response = client.post(SHARING, {"code": "AAA-AAA-AAA"})
    assert "No clinician has this share code" in response.context["form"].errors["code"][0]
    assert not Share.objects.exists()


def test_a_code_whose_owner_is_no_longer_a_clinician_is_refused(client, patient, clinician):
    code = clinician_profile(clinician).share_code
    assign_role(clinician, "patient")
    client.force_login(patient)
    client.post(SHARING, {"code": code})
    assert not Share.objects.exists()


def test_sharing_twice_is_refused_with_a_message(client, patient, clinician, shared):
    client.force_login(patient)
    response = client.post(SHARING, {"code": clinician_profile(clinician).share_code})
    assert "You already share your diary with Chris Carter." in response.text
    assert Share.objects.count() == 1


def test_stopping_ends_access_at_once(client, patient, clinician, shared):
    client.force_login(clinician)
    assert client.get(reverse("clinic:patient", args=[patient.pk])).status_code == 200
    client.force_login(patient)
    client.post(reverse("sharing:stop", args=[shared.pk]))
    assert not Share.objects.exists()
    client.force_login(clinician)
    for name in ["clinic:patient", "clinic:patient_json", "clinic:patient_report", "clinic:patient_export"]:
        assert client.get(reverse(name, args=[patient.pk])).status_code == 404


def test_a_patient_cannot_stop_another_patient_s_share(client, other_patient, clinician):
    theirs = Share.objects.create(patient=other_patient, clinician=clinician)
    client.force_login(other_patient)
    client.logout()
    from tests.conftest import make_user

    intruder = make_user("intruder@example.com")
    client.force_login(intruder)
    assert client.post(reverse("sharing:stop", args=[theirs.pk])).status_code == 404
    assert Share.objects.filter(pk=theirs.pk).exists()


def test_the_patient_sees_the_access_log_and_visible_notes_only(client, patient, clinician, shared):
    AccessLogEntry.objects.create(clinician=clinician, clinician_name="Chris Carter", patient=patient, what="report")
    ClinicianNote.objects.create(
        patient=patient, author=clinician, author_name="Chris Carter", text="Shown to you", visible_to_patient=True
    )
    ClinicianNote.objects.create(patient=patient, author=clinician, author_name="Chris Carter", text="Clinic only")
    client.force_login(patient)
    text = client.get(SHARING).text
    assert "Printable report" in text
    assert "Shown to you" in text
    assert "Clinic only" not in text


def test_the_access_log_shows_only_the_patient_s_own_entries(client, patient, other_patient, clinician):
    AccessLogEntry.objects.create(
        clinician=clinician, clinician_name="Chris Carter", patient=other_patient, what="page"
    )
    client.force_login(patient)
    assert "Chris Carter" not in client.get(SHARING).text
