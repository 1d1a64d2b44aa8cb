"""A clinician's pages for a shared patient's other preventives and MIDAS, and the eligibility
checklist and By guideline panel on the clinic patient page (issue #15).

Today is Thursday 15 October 2026 in London (tests/conftest.py).
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import PatientProfile
from clinic.models import AccessLogEntry, Share
from diary.models import MidasAnswer, PreventiveCourse
from tests.diary.factories import session
from tests.diary.test_preventives import (
    GOOD,
    MIDAS_ANSWERS,
    assert_new_keys_and_types,
    course,
    guideline_diary,
    rows,
)
from tests.test_form_errors import assert_at_fault, refused, summary_says

COURSE_VIEWS = ["preventive_edit", "preventive_stop", "preventive_delete"]


def urls(patient, theirs):
    """Every new clinic URL for this patient, the course ones with `theirs`."""
    return [
        reverse("clinic:preventive_new", args=[patient.pk]),
        reverse("clinic:midas_new", args=[patient.pk]),
        *(reverse(f"clinic:{view}", args=[patient.pk, theirs.pk]) for view in COURSE_VIEWS),
    ]


# ---------------------------------------------------------------- who may open the pages


def test_the_clinician_the_patient_shares_with_opens_every_page(clinician_client, patient, shared):
    mine = course(patient)
    for url in urls(patient, mine):
        assert clinician_client.get(url).status_code == 200, url


def test_a_clinician_without_a_share_gets_404_and_changes_nothing(client, patient, other_clinician, shared, frozen):
    mine = course(patient)
    client.force_login(other_clinician)
    for url in urls(patient, mine):
        assert client.get(url).status_code == 404, url
        data = GOOD | MIDAS_ANSWERS | {"answered_on": "2026-10-01", "stop": "2026-10-01", "stop_reason": "other"}
        assert client.post(url, data).status_code == 404, url
    assert rows(patient) == [("Topiramate", "antiepileptic", dt.date(2026, 7, 1), None, "", "")]
    assert not MidasAnswer.objects.exists()


def test_a_stopped_share_is_a_404(clinician_client, patient, shared):
    mine = course(patient)
    shared.delete()
    for url in urls(patient, mine):
        assert clinician_client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["patient", "other_patient", "editor"])
def test_patients_and_editors_get_404(client, patient, other_patient, editor, shared, frozen, role):
    mine = course(patient)
    client.force_login({"patient": patient, "other_patient": other_patient, "editor": editor}[role])
    for url in urls(patient, mine):
        assert client.get(url).status_code == 404, url


def test_the_anonymous_are_sent_to_sign_in(client, patient, shared):
    mine = course(patient)
    for url in urls(patient, mine):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_patient_s_course_is_404_even_when_both_share(
    clinician_client, clinician, patient, other_patient, shared
):
    Share.objects.create(patient=other_patient, clinician=clinician)
    theirs = course(other_patient, "Propranolol", "beta_blocker")
    for view in COURSE_VIEWS:
        url = reverse(f"clinic:{view}", args=[patient.pk, theirs.pk])
        assert clinician_client.get(url).status_code == 404
        assert clinician_client.post(url, GOOD | {"stop": "2026-10-01", "stop_reason": "other"}).status_code == 404
    assert rows(other_patient) == [("Propranolol", "beta_blocker", dt.date(2026, 7, 1), None, "", "")]


def test_the_forms_do_not_write_the_access_log(clinician_client, patient, shared):
    mine = course(patient)
    for url in urls(patient, mine):
        clinician_client.get(url)
    assert not AccessLogEntry.objects.exists()


# ---------------------------------------------------------------- the clinician's actions


def test_a_clinician_adds_a_course_recorded_by_them(clinician_client, clinician, patient, shared):
    data = GOOD | {"name": "Propranolol", "drug_class": "beta_blocker", "start": "2025-01-06"}
    data |= {"stop": "2025-06-01", "stop_reason": "not_effective"}
    response = clinician_client.post(reverse("clinic:preventive_new", args=[patient.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("clinic:patient", args=[patient.pk]) + "#preventives"
    saved = PreventiveCourse.objects.get()
    assert (saved.patient, saved.recorded_by) == (patient, clinician)
    assert rows(patient) == [
        ("Propranolol", "beta_blocker", dt.date(2025, 1, 6), dt.date(2025, 6, 1), "not_effective", "")
    ]


def test_a_clinician_changes_stops_and_deletes_a_course(clinician_client, patient, shared):
    mine = course(patient)
    url = reverse("clinic:preventive_edit", args=[patient.pk, mine.pk])
    assert clinician_client.post(url, GOOD | {"notes": "100 mg"}).status_code == 302
    mine.refresh_from_db()
    assert mine.notes == "100 mg" and mine.recorded_by is None  # a change keeps who first entered it
    url = reverse("clinic:preventive_stop", args=[patient.pk, mine.pk])
    assert clinician_client.post(url, {"stop": "2026-10-14", "stop_reason": "side_effects"}).status_code == 302
    mine.refresh_from_db()
    assert (mine.stop, mine.stop_reason) == (dt.date(2026, 10, 14), "side_effects")
    url = reverse("clinic:preventive_delete", args=[patient.pk, mine.pk])
    assert clinician_client.post(url).status_code == 302
    assert not PreventiveCourse.objects.exists()


def test_the_patient_s_today_is_the_clinician_s_limit(clinician_client, patient, shared):
    # 12:00 UTC is 01:00 on 16 October in Auckland: the 16th is the patient's today, not a future date.
    PatientProfile.objects.create(user=patient, time_zone="Pacific/Auckland")
    data = GOOD | {"start": "2026-10-16"}
    assert clinician_client.post(reverse("clinic:preventive_new", args=[patient.pk]), data).status_code == 302
    page = refused(
        clinician_client.post(
            reverse("clinic:preventive_new", args=[patient.pk]), data | {"start": "2026-10-17", "name": "Other"}
        )
    )
    assert_at_fault(page, "id_start")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"stop": "2026-06-30", "stop_reason": "other"}, "id_stop", "It cannot have stopped before it started"),
        ({"start": "2026-10-16"}, "id_start", "The start cannot be after today"),
        ({"drug_class": "herbal"}, "id_drug_class_0", "Choose one of the types listed"),
        ({"stop_reason": "not_effective"}, "id_stop", "Give the day it was stopped"),
        ({"stop": "2026-09-01"}, "id_stop_reason_0", "Choose why it was stopped"),
    ],
)
def test_a_clinician_s_bad_course_is_refused_and_nothing_is_saved(
    clinician_client, patient, shared, changes, field, message
):
    response = clinician_client.post(reverse("clinic:preventive_new", args=[patient.pk]), GOOD | changes)
    page = refused(response)
    assert_at_fault(page, field)
    summary_says(page, message)
    assert not PreventiveCourse.objects.exists()


def test_a_clinician_records_a_baseline_midas(clinician_client, patient, shared):
    session(patient, "2026-10-01")
    data = MIDAS_ANSWERS | {"answered_on": "2026-09-10"}
    response = clinician_client.post(reverse("clinic:midas_new", args=[patient.pk]), data)
    assert response.status_code == 302
    answer = MidasAnswer.objects.get()
    assert (answer.patient, answer.answered_on, answer.score) == (patient, dt.date(2026, 9, 10), 18)
    json = clinician_client.get(reverse("clinic:patient_json", args=[patient.pk])).json()
    assert json["baseline_midas_score"] == 18
    text = clinician_client.get(reverse("clinic:patient", args=[patient.pk])).text
    assert "MIDAS before treatment: 18 (grade III: moderate disability)." in text


@pytest.mark.parametrize(
    ("answered_on", "message"),
    [
        ("2026-10-16", "That is after the patient's today: give the day they answered."),
        ("", "Give the day the patient answered."),
        ("1999-01-01", "Dates before 1 January 2000 are not accepted"),
    ],
)
def test_a_clinician_s_bad_midas_is_refused(clinician_client, patient, shared, answered_on, message):
    data = MIDAS_ANSWERS | {"answered_on": answered_on}
    page = refused(clinician_client.post(reverse("clinic:midas_new", args=[patient.pk]), data))
    assert_at_fault(page, "id_answered_on")
    summary_says(page, message)
    assert not MidasAnswer.objects.exists()


# ---------------------------------------------------------------- the clinic patient page


def test_the_patient_page_shows_the_checklist_with_its_figures(clinician_client, patient, shared):
    guideline_diary(patient)
    text = clinician_client.get(reverse("clinic:patient", args=[patient.pk])).text
    assert "Eligibility for Botox (NICE TA260)" in text
    assert (
        "21.4 headache days and 21.4 migraine days per 30 days in the baseline (3–30 April 2026); chronic "
        "migraine needs 15 and 8." in text
    )
    assert (
        "3 failed before the first session: Propranolol (6 January – 1 June 2025, not effective); Topiramate "
        "(1 July – 1 December 2025, side effects); Amitriptyline (5 January – 10 April 2026, not effective)." in text
    )
    assert "✓ Medication overuse at baseline: No." in text
    assert "informs a decision that remains the clinician&#x27;s" in text


def test_the_patient_page_shows_the_panel_in_the_clinician_s_words(clinician_client, patient, shared):
    guideline_diary(patient)
    text = clinician_client.get(reverse("clinic:patient", args=[patient.pk])).text
    assert "Cycle 2: 30% fewer headache days: meets NICE&#x27;s 30%." in text
    assert "Benefit in cycle 2: 64% fewer moderate or severe days." in text
    assert "<code>DIARY_EPISODIC_THRESHOLD</code>" in text and "15 (EHF uses 10)" in text
    # EHF: 3 .. 30 April has 20 headache days of 28 before session 1; 1 .. 28 May none. Before
    # session 2 (3 .. 30 June) none; 1 .. 28 July has 14.
    assert (
        "In the 28 days after the session of 1 July 2026, the patient had 14 headache days per 28 days, compared "
        "with 0 in the 28 days before." in text
    )
    assert '<td data-label="Change">100% fewer</td>' in text


def test_the_patient_page_lists_the_courses_with_the_clinician_s_buttons(clinician_client, patient, shared):
    mine = course(patient)
    text = clinician_client.get(reverse("clinic:patient", args=[patient.pk])).text
    assert 'id="preventives"' in text
    for view in COURSE_VIEWS:
        assert reverse(f"clinic:{view}", args=[patient.pk, mine.pk]) in text
    assert reverse("clinic:preventive_new", args=[patient.pk]) in text
    assert reverse("clinic:midas_new", args=[patient.pk]) in text


def test_the_patient_page_with_courses_keeps_its_query_count(
    clinician_client, patient, shared, django_assert_num_queries
):
    guideline_diary(patient)
    PatientProfile.objects.get_or_create(user=patient)
    url = reverse("clinic:patient", args=[patient.pk])
    cache.clear()
    # As without courses (tests/clinic/test_patient_views.py): 1 the session, 2 the clinician, 3 the
    # share with patient and profile, 4 the access-log row, 5-12 services.load_progress, 13 notes
    with django_assert_num_queries(13):
        assert clinician_client.get(url).status_code == 200
    with django_assert_num_queries(4):
        assert clinician_client.get(url).status_code == 200


def test_the_clinician_s_json_has_every_new_key_with_its_type(clinician_client, patient, shared):
    guideline_diary(patient)
    data = clinician_client.get(reverse("clinic:patient_json", args=[patient.pk])).json()
    assert_new_keys_and_types(data)
    assert data["eligibility"]["prior_preventives_failed"] == 3
    assert data["periods"][2]["preventive_changes"][0]["name"] == "Candesartan"


def test_the_clinician_s_report_has_the_checklist_and_panel(clinician_client, patient, shared):
    guideline_diary(patient)
    text = clinician_client.get(reverse("clinic:patient_report", args=[patient.pk])).text
    assert "Eligibility for Botox (NICE TA260)" in text and "By guideline" in text
    assert "Benefit in cycle 2: 64% fewer moderate or severe days." in text
