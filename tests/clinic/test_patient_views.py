import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import PatientProfile
from accounts.roles import assign_role
from clinic.models import AccessLogEntry, ClinicianNote
from diary.models import TreatmentSession
from tests.conftest import NOW
from tests.diary.factories import attack, session, side_effect

DATA_VIEWS = [
    ("clinic:patient", "page"),
    ("clinic:patient_json", "json"),
    ("clinic:patient_report", "report"),
    ("clinic:patient_export", "export"),
]
ALL_PATIENT_URLS = [name for name, _ in DATA_VIEWS] + ["clinic:session_new", "clinic:baseline", "clinic:note_new"]


@pytest.mark.parametrize("name", ALL_PATIENT_URLS)
def test_the_clinician_with_access_sees_it(clinician_client, patient, shared, name):
    assert clinician_client.get(reverse(name, args=[patient.pk]), follow=True).status_code == 200


@pytest.mark.parametrize("name", ALL_PATIENT_URLS)
def test_a_clinician_without_access_gets_404(client, patient, other_clinician, shared, name):
    client.force_login(other_clinician)
    assert client.get(reverse(name, args=[patient.pk])).status_code == 404
    assert client.post(reverse(name, args=[patient.pk]), {"text": "x", "reported_baseline": "3"}).status_code == 404


@pytest.mark.parametrize("name", ALL_PATIENT_URLS)
def test_a_patient_gets_404_even_for_their_own_id(client, patient, shared, name):
    client.force_login(patient)
    assert client.get(reverse(name, args=[patient.pk])).status_code == 404


@pytest.mark.parametrize("name", ALL_PATIENT_URLS)
def test_the_anonymous_are_sent_to_sign_in(client, patient, shared, name):
    response = client.get(reverse(name, args=[patient.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_former_clinician_loses_access_with_their_role(client, patient, clinician, shared):
    assign_role(clinician, "patient")
    client.force_login(clinician)
    assert client.get(reverse("clinic:patient", args=[patient.pk])).status_code == 404


@pytest.mark.parametrize(("name", "what"), DATA_VIEWS)
def test_every_view_of_patient_data_writes_exactly_one_log_row(
    clinician_client, clinician, patient, shared, name, what
):
    clinician_client.get(reverse(name, args=[patient.pk]))
    entries = list(AccessLogEntry.objects.all())
    assert [(e.clinician, e.patient, e.what, e.clinician_name) for e in entries] == [
        (clinician, patient, what, "Chris Carter")
    ]


def test_the_clinician_s_name_is_kept_however_long_it_is(client, patient, shared, clinician, frozen):
    clinician.first_name, clinician.last_name = "A" * 150, "B" * 150  # the longest names Django allows
    clinician.save()
    client.force_login(clinician)
    assert client.get(reverse("clinic:patient", args=[patient.pk])).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.at == NOW
    assert entry.clinician_name == "A" * 150
    client.post(reverse("clinic:note_new", args=[patient.pk]), {"text": "Seen today."})
    assert ClinicianNote.objects.get().author_name == "A" * 150
    client.post(reverse("clinic:session_new", args=[patient.pk]), {"date": "2026-10-14", "units": "155", "sites": "31"})
    assert TreatmentSession.objects.get().given_by == ("A" * 150 + " " + "B" * 150)[:200]


def test_forms_do_not_log_access(clinician_client, patient, shared):
    clinician_client.get(reverse("clinic:session_new", args=[patient.pk]))
    clinician_client.get(reverse("clinic:baseline", args=[patient.pk]))
    assert not AccessLogEntry.objects.exists()


def test_the_patient_page_shows_progress_raw_diary_side_effects_and_notes(clinician_client, patient, shared):
    treatment = session(patient, "2026-09-01")
    attack(patient, "2026-10-10", notes="After a long shift", medicines=[("triptan", "Rizatriptan")])
    side_effect(patient, treatment, effect="ptosis", started_on="2026-09-03")
    ClinicianNote.objects.create(patient=patient, author_name="Dr X", text="Discussed sleep")
    text = clinician_client.get(reverse("clinic:patient", args=[patient.pk])).text
    for expected in [
        "Alice Ashworth",
        "Is the treatment working?" if False else "Progress, as the patient sees it",
        "After a long shift",
        "Rizatriptan",
        "Eyelid drooping",
        "Discussed sleep",
        "<svg",
    ]:
        assert expected in text


def test_the_json_is_the_patient_s(clinician_client, patient, shared):
    session(patient, "2026-10-01")
    data = clinician_client.get(reverse("clinic:patient_json", args=[patient.pk])).json()
    assert data["generated_on"] == "2026-10-15"
    assert [p["kind"] for p in data["periods"]] == ["baseline", "cycle"]


def test_today_is_the_patient_s_today_for_the_clinician(clinician_client, patient, shared):
    PatientProfile.objects.create(user=patient, time_zone="Pacific/Auckland")
    data = clinician_client.get(reverse("clinic:patient_json", args=[patient.pk])).json()
    assert data["generated_on"] == "2026-10-16"  # 12:00 UTC is 01:00 tomorrow in Auckland


def test_the_export_is_the_patient_s_csv(clinician_client, patient, shared):
    attack(patient, "2026-10-10")
    response = clinician_client.get(reverse("clinic:patient_export", args=[patient.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][:2] == ["headache", "2026-10-10"]


def test_the_patient_page_uses_a_fixed_number_of_queries(clinician_client, patient, shared, django_assert_num_queries):
    for day in range(1, 14):
        attack(patient, f"2026-10-{day:02d}", medicines=[("triptan", "x")])
    first = session(patient, "2026-10-01")
    # The page shows each report with its session's date: no query per report for the session.
    side_effect(patient, first, "neck_pain", started_on="2026-10-03")
    side_effect(patient, first, "headache_worse", started_on="2026-10-04")
    PatientProfile.objects.create(user=patient)  # made when the patient first opened their diary
    url = reverse("clinic:patient", args=[patient.pk])
    cache.clear()  # nothing computed yet (the session too is read from the database once)
    # Rendered from nothing: 1 the session, 2 the clinician with their role, 3 the share with the
    # patient, profile and role check (the profile with the patient's phone number), 4 the
    # access-log row, 5-12 services.load_progress (attacks with their medicines, marks, sessions,
    # side effects, MIDAS, preventive courses, period days, factor check-ins), 13 notes
    with django_assert_num_queries(13):
        assert clinician_client.get(url).status_code == 200  # not stored: the browser had no CSRF cookie
    # The figures from the progress cache (diary.progress_cache): 1 the clinician (the session from
    # the cache), 2 the share, patient and profile, 3 the access-log row, 4 notes
    with django_assert_num_queries(4):
        assert clinician_client.get(url).status_code == 200  # stored under the CSRF cookie it now has
    # From the page cache: 1 the clinician, 2 the share, patient and profile (diary_version in the
    # key), 3 the access-log row (every view is logged, cached or not)
    with django_assert_num_queries(3):
        assert clinician_client.get(url).status_code == 200


def test_a_clinician_records_a_session_with_follow_the_pain_units(clinician_client, clinician, patient, shared):
    url = reverse("clinic:session_new", args=[patient.pk])
    response = clinician_client.post(
        url,
        {
            "date": "2026-10-14",
            "units": "195",
            "sites": "39",
            "temporalis_extra_units": "10",
            "occipitalis_extra_units": "10",
            "trapezius_extra_units": "20",
        },
    )
    assert response.status_code == 302
    saved = TreatmentSession.objects.get(patient=patient)
    assert (saved.units, saved.temporalis_extra_units, saved.trapezius_extra_units) == (195, 10, 20)
    assert saved.recorded_by == clinician
    assert saved.given_by == "Chris Carter"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"temporalis_extra_units": "20", "occipitalis_extra_units": "15", "trapezius_extra_units": "10"},
            "temporalis_extra_units",  # the first muscle given, where the summary's link goes
            "at most 40 units in all; these add 45",
        ),
        ({"units": "160", "temporalis_extra_units": "20"}, "units", "at least 175"),
        ({"units": "196"}, "units", "Units can be at most 195"),
        ({"date": "2026-10-16"}, "date", "cannot be after today"),
    ],
)
def test_a_session_out_of_range_is_refused(clinician_client, patient, shared, data, field, message):
    payload = {"date": "2026-10-14", "units": "195", "sites": "39", **data}
    response = clinician_client.post(reverse("clinic:session_new", args=[patient.pk]), payload)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not TreatmentSession.objects.exists()


def test_a_clinician_sets_the_reported_baseline(clinician_client, patient, shared):
    clinician_client.post(reverse("clinic:baseline", args=[patient.pk]), {"reported_baseline": "22.5"})
    assert str(PatientProfile.objects.get(user=patient).reported_baseline) == "22.5"


def test_a_bad_reported_baseline_is_refused(clinician_client, patient, shared):
    response = clinician_client.post(reverse("clinic:baseline", args=[patient.pk]), {"reported_baseline": "40"})
    assert response.context["form"].errors["reported_baseline"]
    assert PatientProfile.objects.get(user=patient).reported_baseline is None


def test_notes_are_seen_by_every_clinician_the_patient_shares_with(
    client, clinician, other_clinician, patient, shared, frozen
):
    from clinic.models import Share

    Share.objects.create(patient=patient, clinician=other_clinician)
    client.force_login(clinician)
    client.post(reverse("clinic:note_new", args=[patient.pk]), {"text": "Consider amitriptyline review"})
    client.force_login(other_clinician)
    assert "Consider amitriptyline review" in client.get(reverse("clinic:patient", args=[patient.pk])).text
    note = ClinicianNote.objects.get()
    assert (note.author, note.visible_to_patient) == (clinician, False)


def test_an_empty_note_is_refused(clinician_client, patient, shared):
    response = clinician_client.post(reverse("clinic:note_new", args=[patient.pk]), {"text": ""})
    assert response.status_code == 200
    assert "Write the note first." in response.text
    assert "There is a problem" in response.text or "error-summary" in response.text
    assert not ClinicianNote.objects.exists()


def test_a_refused_note_keeps_what_was_typed(clinician_client, patient, shared):
    typed = "Discussed sleep " + "x" * 1000  # over the 1000-character limit
    response = clinician_client.post(reverse("clinic:note_new", args=[patient.pk]), {"text": typed})
    assert response.status_code == 200
    assert "A note can be at most 1000 characters; this one has 1016." in response.text
    assert typed in response.text
    assert not ClinicianNote.objects.exists()


def test_a_clinician_s_changes_remake_the_worklist_summary_on_commit(
    clinician_client, patient, shared, django_capture_on_commit_callbacks
):
    from accounts.models import PatientProfile
    from diary.models import PatientSummary

    PatientProfile.objects.create(user=patient)
    PatientSummary.objects.create(patient=patient, computed_for="2026-10-15", diary_version=0, data={"flags": []})
    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(
            reverse("clinic:session_new", args=[patient.pk]), {"date": "2026-10-14", "units": "155", "sites": "31"}
        )
    summary = PatientSummary.objects.get(patient=patient)
    assert summary.diary_version == PatientProfile.objects.get(user=patient).diary_version == 1
    assert summary.data["cycle_number"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(reverse("clinic:baseline", args=[patient.pk]), {"reported_baseline": "20"})
    summary = PatientSummary.objects.get(patient=patient)
    assert summary.diary_version == PatientProfile.objects.get(user=patient).diary_version == 2
    assert summary.data["baseline_source"] == "reported"
    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(reverse("clinic:note_new", args=[patient.pk]), {"text": "Discussed sleep"})
    assert PatientSummary.objects.get(patient=patient).diary_version == 3
