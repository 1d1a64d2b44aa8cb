"""The patient's other preventive treatments (issue #15): /diary/preventives/ and where they show.

Today is Thursday 15 October 2026 in London (tests/conftest.py).
"""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import PatientProfile
from core import timeutil
from diary import cycles, presentation, preventive_presentation
from diary.models import Attack, HeadacheFreeDay, MidasAnswer, PreventiveCourse
from diary.preventive_forms import PreventiveCourseForm, StopCourseForm, type_of_name
from tests.conftest import NOW, TODAY
from tests.diary.factories import session
from tests.test_form_errors import _django_default_messages, assert_at_fault, refused, summary_says

LIST = reverse("diary:preventives")
NEW = reverse("diary:preventive_new")
PROGRESS = reverse("diary:progress")
JSON = reverse("diary:progress_json")
REPORT = reverse("diary:report")


def course(patient, name="Topiramate", drug_class="antiepileptic", start="2026-07-01", stop=None, reason="", **extra):
    return PreventiveCourse.objects.create(
        patient=patient,
        name=name,
        drug_class=drug_class,
        start=dt.date.fromisoformat(start),
        stop=dt.date.fromisoformat(stop) if stop else None,
        stop_reason=reason,
        **extra,
    )


def rows(patient):
    return list(
        PreventiveCourse.objects.filter(patient=patient)
        .order_by("id")
        .values_list("name", "drug_class", "start", "stop", "stop_reason", "notes")
    )


def version(patient):
    return PatientProfile.objects.get_or_create(user=patient)[0].diary_version


def _days(first, count):
    return [dt.date.fromisoformat(first) + dt.timedelta(days=i) for i in range(count)]


def guideline_diary(patient, today=TODAY):
    """A diary worked out by hand for the eligibility and By guideline panels.

    Sessions 1 May and 1 July 2026; today 15 October (not recorded), so cycle 2 (1 July ..) has ended
    (today >= 1 July + 84 days = 23 September) and counts 1 July .. 14 October: 106 days.
    - Baseline 3 .. 30 April: 20 moderate migraine days (one-sided, throbbing, nausea; 2 hours)
      and 8 headache-free: 20 per 28 = 21.4 per 30 headache days and migraine days.
    - Cycle 1 (1 May .. 30 June): all headache-free.
    - Cycle 2: a headache every other day from 1 July (53 days: exactly 14 per 28, exactly 30%
      fewer than 20), moderate on every 4th day (27 days: 27 x 28 / 106 = 7.13 per 28, 64% fewer
      moderate or severe days), mild on the others.
    - Three preventives failed before Botox: Propranolol (not effective), Topiramate (side
      effects), Amitriptyline (not effective, stopped 10 April, in the baseline); Candesartan
      started in cycle 2 (10 August).

    With another today (the browser tests' real one), every date moves with it.
    """
    shift = today - TODAY

    def on(text):
        return (dt.date.fromisoformat(text) + shift).isoformat()

    PatientProfile.objects.get_or_create(user=patient)
    features = {"one_sided": True, "throbbing": True, "nausea": True}
    attacks, free = [], []
    for index, day in enumerate(_days(on("2026-04-03"), 28)):
        if index < 20:
            attacks.append(
                Attack(
                    patient=patient, start_date=day, start_time=dt.time(9), duration_minutes=120, severity=2, **features
                )
            )
        else:
            free.append(day)
    free += _days(on("2026-05-01"), 61)
    for index, day in enumerate(_days(on("2026-07-01"), 106)):
        if index % 2:
            free.append(day)
        else:
            severity = 2 if index % 4 == 0 else 1
            attacks.append(
                Attack(patient=patient, start_date=day, start_time=dt.time(9), duration_minutes=120, severity=severity)
            )
    Attack.objects.bulk_create(attacks)
    HeadacheFreeDay.objects.bulk_create([HeadacheFreeDay(patient=patient, date=day) for day in free])
    session(patient, on("2026-05-01"))
    session(patient, on("2026-07-01"))
    course(patient, "Propranolol", "beta_blocker", on("2025-01-06"), on("2025-06-01"), "not_effective")
    course(patient, "Topiramate", "antiepileptic", on("2025-07-01"), on("2025-12-01"), "side_effects")
    course(patient, "Amitriptyline", "antidepressant", on("2026-01-05"), on("2026-04-10"), "not_effective")
    course(patient, "Candesartan", "candesartan", on("2026-08-10"))


# ---------------------------------------------------------------- who may open the pages


def test_the_list_works_for_its_owner(patient_client, patient):
    course(patient, notes="50 mg twice a day")
    response = patient_client.get(LIST)
    assert response.status_code == 200
    assert "Topiramate" in response.text and "anti-epileptic" in response.text
    assert "Since 1 July 2026" in response.text and "Still taking it" in response.text
    assert "50 mg twice a day" in response.text


@pytest.mark.parametrize("url", [LIST, NEW])
def test_it_requires_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [LIST, NEW])
def test_clinicians_and_editors_have_no_preventives_page(client, clinician, editor, frozen, url):
    for user in (clinician, editor):
        client.force_login(user)
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("view", ["preventive_edit", "preventive_stop", "preventive_delete"])
def test_another_patient_s_course_is_404_and_stays_as_it_was(patient_client, other_patient, view):
    theirs = course(other_patient)
    url = reverse(f"diary:{view}", args=[theirs.pk])
    assert patient_client.get(url).status_code == 404
    data = {"name": "Changed", "drug_class": "other", "start": "2026-07-02", "stop": "2026-10-01"}
    assert patient_client.post(url, data | {"stop_reason": "other"}).status_code == 404
    assert rows(other_patient) == [("Topiramate", "antiepileptic", dt.date(2026, 7, 1), None, "", "")]


def test_a_course_id_that_does_not_exist_is_404(patient_client, patient):
    assert patient_client.get(reverse("diary:preventive_edit", args=[999999])).status_code == 404


def test_the_list_is_under_sessions_in_the_navigation(patient_client):
    text = patient_client.get(LIST).text
    header = text.split('<header class="site-header', 1)[1].split("</header>", 1)[0]
    assert 'href="/diary/sessions/" aria-current="true">Sessions' in header
    assert 'href="/diary/preventives/"' in patient_client.get(reverse("diary:sessions")).text
    session_free = patient_client.get(PROGRESS).text  # before any session too
    assert 'href="/diary/preventives/"' in session_free


def test_the_list_uses_a_fixed_number_of_queries(patient_client, patient, django_assert_num_queries):
    patient_client.get(LIST)  # the profile exists after the first visit
    for number in range(30):
        course(
            patient,
            f"Medicine {number}",
            "other",
            "2026-01-01",
            "2026-02-01" if number % 2 else None,
            "other" if number % 2 else "",
        )
    # 1 the user with role and profile, 2 the courses (the session from the cache)
    with django_assert_num_queries(2):
        assert patient_client.get(LIST).status_code == 200


# ---------------------------------------------------------------- adding, changing, stopping, deleting


def test_a_patient_adds_a_course_they_still_take(patient_client, patient):
    before = version(patient)
    response = patient_client.post(
        NEW,
        {"name": " Topiramate ", "drug_class": "antiepileptic", "start": "2026-07-01", "stop_reason": "", "stop": ""},
    )
    assert response.status_code == 302 and response["Location"] == LIST
    assert rows(patient) == [("Topiramate", "antiepileptic", dt.date(2026, 7, 1), None, "", "")]
    assert PreventiveCourse.objects.get().recorded_by is None
    assert version(patient) == before + 1  # cached pages and figures are stale now
    assert "Topiramate saved." in patient_client.get(LIST).text


def test_a_course_stopped_before_botox_is_added_with_its_reason(patient_client, patient):
    data = {
        "name": "Propranolol",
        "drug_class": "beta_blocker",
        "start": "2025-01-06",
        "stop_reason": "side_effects",
        "stop": "2025-03-01",
        "notes": "Tired all the time",
    }
    assert patient_client.post(NEW, data).status_code == 302
    assert rows(patient) == [
        ("Propranolol", "beta_blocker", dt.date(2025, 1, 6), dt.date(2025, 3, 1), "side_effects", "Tired all the time")
    ]


@pytest.mark.parametrize(
    ("name", "drug_class"),
    [
        ("Topiramate 50 mg", "antiepileptic"),
        ("Aimovig (erenumab)", "cgrp_antibody"),
        ("sodium VALPROATE", "antiepileptic"),
        ("Rimegepant (Vydura)", "gepant_preventive"),
        ("Candesartan", "candesartan"),
    ],
)
def test_the_type_of_a_suggested_medicine_is_filled_in_when_left_out(patient_client, patient, name, drug_class):
    assert patient_client.post(NEW, {"name": name, "start": "2026-07-01"}).status_code == 302
    assert PreventiveCourse.objects.get().drug_class == drug_class


def test_a_name_of_two_types_tells_none():
    assert type_of_name("Propranolol and topiramate") is None
    assert type_of_name("Melatonin") is None


def test_the_form_suggests_the_common_medicines_without_javascript(patient_client):
    text = patient_client.get(NEW).text
    assert 'list="preventive-names"' in text and '<datalist id="preventive-names">' in text
    for name in ("Erenumab (Aimovig)", "Atogepant (Aquipta)", "Propranolol", "Topiramate", "Amitriptyline"):
        assert f'<option value="{name}">' in text
    assert "Beta blocker (propranolol, metoprolol)" in text  # each type with its examples
    assert 'name="stop_reason" value="" class="btn-check" autocomplete="off" id="id_stop_reason_0" checked' in text
    assert f'max="{TODAY.isoformat()}"' in text


def test_a_patient_changes_a_course(patient_client, patient):
    mine = course(patient)
    data = {
        "name": "Topiramate",
        "drug_class": "antiepileptic",
        "start": "2026-06-20",
        "stop_reason": "",
        "notes": "25 mg",
    }
    assert patient_client.post(reverse("diary:preventive_edit", args=[mine.pk]), data).status_code == 302
    assert rows(patient) == [("Topiramate", "antiepileptic", dt.date(2026, 6, 20), None, "", "25 mg")]


def test_a_patient_says_a_course_has_stopped(patient_client, patient):
    mine = course(patient)
    url = reverse("diary:preventive_stop", args=[mine.pk])
    page = patient_client.get(url).text
    assert f'value="{TODAY.isoformat()}"' in page  # today, already filled in
    before = version(patient)
    response = patient_client.post(url, {"stop": "2026-10-01", "stop_reason": "not_effective"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.stop, mine.stop_reason) == (dt.date(2026, 10, 1), "not_effective")
    assert version(patient) == before + 1
    text = patient_client.get(LIST).text
    assert "Topiramate: stopped on 1 October 2026." in text
    assert "Stopped: it did not help enough" in text


def test_a_stopped_course_can_be_taken_again_by_changing_it(patient_client, patient):
    mine = course(patient, stop="2026-09-01", reason="other")
    data = {"name": "Topiramate", "drug_class": "antiepileptic", "start": "2026-07-01", "stop_reason": "", "stop": ""}
    assert patient_client.post(reverse("diary:preventive_edit", args=[mine.pk]), data).status_code == 302
    mine.refresh_from_db()
    assert (mine.stop, mine.stop_reason) == (None, "")


def test_a_patient_deletes_a_course_after_confirming(patient_client, patient):
    mine = course(patient)
    url = reverse("diary:preventive_delete", args=[mine.pk])
    page = patient_client.get(url).text
    assert "Delete Topiramate?" in page and reverse("diary:preventive_stop", args=[mine.pk]) in page
    assert PreventiveCourse.objects.exists()  # a GET deletes nothing
    before = version(patient)
    assert patient_client.post(url).status_code == 302
    assert not PreventiveCourse.objects.exists()
    assert version(patient) == before + 1


# ---------------------------------------------------------------- bad input: refused, said, nothing saved

GOOD = {"name": "Topiramate", "drug_class": "antiepileptic", "start": "2026-07-01", "stop_reason": "", "stop": ""}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"stop": "2026-06-30", "stop_reason": "other"},
            "id_stop",
            "It cannot have stopped before it started (1 July 2026)",
        ),
        ({"start": "2026-10-16"}, "id_start", "The start cannot be after today"),
        ({"stop": "2026-10-16", "stop_reason": "other"}, "id_stop", "The stop cannot be after today"),
        ({"drug_class": "vitamin"}, "id_drug_class_0", "Choose one of the types listed"),
        ({"name": "Melatonin", "drug_class": ""}, "id_drug_class_0", "Choose the type of medicine"),
        ({"stop_reason": "side_effects"}, "id_stop", "Give the day it was stopped, or choose “Still taking it”."),
        ({"stop": "2026-09-01"}, "id_stop_reason_0", "Choose why it was stopped"),
        (
            {"stop": "2026-09-01", "stop_reason": "bored"},
            "id_stop_reason_0",
            "Choose “Still taking it” or one of the reasons",
        ),
        ({"start": "1999-12-31"}, "id_start", "Dates before 1 January 2000 are not accepted"),
        ({"start": "31/02/2026"}, "id_start", "Give the day it was started as day, month and year."),
        ({"start": ""}, "id_start", "Give the day it was started."),
        ({"name": "   "}, "id_name", "Give the medicine's name"),
        ({"name": "x" * 101}, "id_name", "at most 100 characters"),
        ({"notes": "n" * 1001}, "id_notes", "Notes can be at most 1000 characters"),
    ],
)
def test_a_bad_course_is_refused_next_to_its_field_and_nothing_is_saved(
    patient_client, patient, changes, field, message
):
    course(patient, "Propranolol", "beta_blocker", "2025-01-06", "2025-06-01", "not_effective")
    saved, before = rows(patient), version(patient)
    response = patient_client.post(NEW, GOOD | changes)
    page = refused(response)
    assert_at_fault(page, field)
    summary_says(page, message)
    assert rows(patient) == saved
    assert version(patient) == before
    for key, value in changes.items():  # what was typed is kept
        if value.strip() and key in ("name", "start", "stop", "notes") and len(value) < 200:
            assert value.strip() in response.text


def test_the_same_course_twice_is_refused(patient_client, patient):
    course(patient)
    page = refused(patient_client.post(NEW, GOOD | {"name": "topiramate "}))
    assert_at_fault(page, "id_name")
    summary_says(page, "topiramate started on 1 July 2026 is already in the list.")
    assert PreventiveCourse.objects.count() == 1


def test_a_bad_change_keeps_the_saved_course(patient_client, patient):
    mine = course(patient)
    url = reverse("diary:preventive_edit", args=[mine.pk])
    refused(patient_client.post(url, GOOD | {"start": "2026-10-20"}))
    assert rows(patient) == [("Topiramate", "antiepileptic", dt.date(2026, 7, 1), None, "", "")]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"stop": "2026-06-30", "stop_reason": "other"},
            "id_stop",
            "It cannot have stopped before it started (1 July 2026)",
        ),
        ({"stop": "2026-10-16", "stop_reason": "other"}, "id_stop", "That is after today"),
        ({"stop": "2026-10-01"}, "id_stop_reason_0", "Choose why it was stopped"),
        ({"stop": "", "stop_reason": "other"}, "id_stop", "Give the day it was stopped."),
        ({"stop": "2026-10-01", "stop_reason": ""}, "id_stop_reason_0", "Choose why it was stopped"),
    ],
)
def test_a_bad_stop_is_refused_and_the_course_goes_on(patient_client, patient, data, field, message):
    mine = course(patient)
    before = version(patient)
    page = refused(patient_client.post(reverse("diary:preventive_stop", args=[mine.pk]), data))
    assert_at_fault(page, field)
    summary_says(page, message)
    mine.refresh_from_db()
    assert (mine.stop, mine.stop_reason) == (None, "")
    assert version(patient) == before


def test_no_field_of_the_preventive_forms_can_say_a_django_default(patient):
    defaults = _django_default_messages()
    mine = course(patient)
    for form in (PreventiveCourseForm({}, patient=patient, today=TODAY), StopCourseForm({}, course=mine, today=TODAY)):
        form.errors  # noqa: B018 (checking applies the plain messages)
        for name, field in form.fields.items():
            for code, message in field.error_messages.items():
                assert str(message) not in defaults, f"{type(form).__name__}.{name} says Django's {code}: {message}"


# ---------------------------------------------------------------- where courses show


def test_the_progress_page_shows_the_timeline_the_changes_and_the_page_note(patient_client, patient):
    guideline_diary(patient)
    text = patient_client.get(PROGRESS).text
    assert 'class="preventive-timeline timeline-wide' in text and 'class="preventive-timeline timeline-phone' in text
    assert "<title>Candesartan: since 10 August 2026, still taken</title>" in text
    # Courses that ended before the baseline are in the list, not on the timeline.
    assert "<title>Propranolol:" not in text and "Propranolol" in text
    assert "Other preventive started or stopped" in text
    assert "Candesartan started 10 August 2026" in text
    assert "Another preventive was started or stopped in this cycle: compare it with care." in text
    assert 'href="/diary/preventives/"' in text


def test_a_cycle_without_changes_has_no_note(patient_client, patient):
    session(patient, "2026-10-01")
    course(patient, start="2026-01-01")  # before the baseline, never stopped
    text = patient_client.get(PROGRESS).text
    assert "compare it with care" not in text
    assert "Other preventive started or stopped" not in text
    assert "<title>Topiramate: since 1 January 2026, still taken</title>" in text  # active under every period


def test_the_progress_page_with_courses_keeps_its_query_count(patient_client, patient, django_assert_num_queries):
    guideline_diary(patient)
    patient_client.get(PROGRESS)
    cache.clear()
    # As without courses (tests/diary/test_progress_views.py): 1 the session, 2 the user with role
    # and profile, 3-10 services.load_progress, one query per table (the courses among them)
    with django_assert_num_queries(10):
        assert patient_client.get(PROGRESS).status_code == 200


def test_the_by_guideline_panel_speaks_to_the_patient(patient_client, patient):
    guideline_diary(patient)
    text = patient_client.get(PROGRESS).text
    assert "By guideline" in text
    assert (
        "By NICE&#x27;s measure (the UK&#x27;s guidance), the treatment is working: 30% fewer headache days after 2 "
        "cycles; NICE asks for at least 30% fewer. Discuss with your clinician." in text
    )
    assert (
        "By the American Headache Society&#x27;s measure, the treatment is helping: 64% fewer moderate or severe "
        "days. Discuss with your clinician." in text
    )
    assert "European Headache Federation (2018)" in text
    assert "Thresholds this clinic uses" in text
    assert "DIARY_EPISODIC_THRESHOLD" not in text  # setting names are for clinicians


def test_the_report_has_the_checklist_the_panel_and_the_courses(patient_client, patient):
    guideline_diary(patient)
    text = patient_client.get(REPORT).text
    assert "Eligibility for Botox (NICE TA260)" in text
    assert (
        "✓ 3 preventives failed before Botox: Yes</strong> (Propranolol, Topiramate, Amitriptyline; NICE asks" in text
    )
    assert "By guideline" in text and "Benefit in cycle 2: 64% fewer moderate or severe days." in text
    assert "<strong>Candesartan</strong>, since 10 August 2026" in text
    assert 'Another preventive was started or stopped in the periods marked "Yes"' in text.replace("&quot;", '"')
    assert "Thresholds this clinic uses: NICE 30% fewer headache days after 2 cycles" in text


def test_the_json_carries_the_courses_per_period(patient_client, patient):
    guideline_diary(patient)
    data = patient_client.get(JSON).json()
    cycle2 = data["periods"][2]
    assert cycle2["preventive_changes"] == [
        {"name": "Candesartan", "class": "candesartan", "change": "started", "date": "2026-08-10"}
    ]
    assert cycle2["preventives_during"] == ["Candesartan"]
    assert data["periods"][0]["preventive_changes"] == [
        {"name": "Amitriptyline", "class": "antidepressant", "change": "stopped", "date": "2026-04-10"}
    ]
    assert data["periods"][0]["preventives_during"] == ["Amitriptyline"]
    assert data["periods"][1]["preventive_changes"] == data["periods"][1]["preventives_during"] == []
    assert data["eligibility"] == {
        "chronic_migraine_by_diary": True,
        "prior_preventives_failed": 3,
        "three_preventives_failed": True,
        "medication_overuse_at_baseline": False,
    }
    assert cycle2["change_from_baseline_pct"] == 30.0
    assert cycle2["ahs_benefit"] is True


ELIGIBILITY_KEYS = {
    "chronic_migraine_by_diary": (bool, type(None)),
    "prior_preventives_failed": int,
    "three_preventives_failed": bool,
    "medication_overuse_at_baseline": bool,
}
WINDOW_KEYS = {
    "start": str,
    "end": str,
    "days": int,
    "days_recorded": int,
    "headache_days": int,
    "headache_days_per_28": (float, type(None)),
    "enough_data": bool,
}
NEW_CYCLE_KEYS = {
    "migraine_change_pct": (float, type(None)),
    "moderate_severe_change_pct": (float, type(None)),
    "midas_change": (int, type(None)),
    "ahs_benefit": (bool, type(None)),
    "around_session": dict,
}


def assert_new_keys_and_types(data):
    """FORMATS.md "Added in the second version": every key always present, with its type."""
    for key, kind in {
        "eligibility": (dict, type(None)),
        "baseline_midas_score": (int, type(None)),
        "menstrual_pattern": (str, type(None)),
        "acute_medicines": list,
        "factors": list,
    }.items():
        assert key in data and isinstance(data[key], kind), key
    if data["eligibility"] is not None:
        assert set(data["eligibility"]) == set(ELIGIBILITY_KEYS)
        for key, kind in ELIGIBILITY_KEYS.items():
            assert type(data["eligibility"][key]) in (kind if isinstance(kind, tuple) else (kind,)), key
    for period in data["periods"]:
        assert isinstance(period["preventive_changes"], list) and isinstance(period["preventives_during"], list)
        for change in period["preventive_changes"]:
            assert set(change) == {"name", "class", "change", "date"}
            assert change["change"] in ("started", "stopped")
            dt.date.fromisoformat(change["date"])
        assert all(isinstance(name, str) for name in period["preventives_during"])
        if period["kind"] == "cycle":
            for key, kind in NEW_CYCLE_KEYS.items():
                assert isinstance(period[key], kind), (key, period[key])
            assert set(period["around_session"]) == {"before", "after"}
            for window in period["around_session"].values():
                assert set(window) == set(WINDOW_KEYS)
                for key, kind in WINDOW_KEYS.items():
                    assert isinstance(window[key], kind), (key, window[key])
        else:
            assert not set(NEW_CYCLE_KEYS) & set(period)


def test_the_patient_s_json_has_every_new_key_with_its_type(patient_client, patient):
    guideline_diary(patient)
    MidasAnswer.objects.create(
        patient=patient, answered_on=dt.date(2026, 4, 20), missed_work=5, reduced_work=5, missed_household=5,
        reduced_household=5, missed_social=4, headache_days=40, average_pain=7,
    )  # fmt: skip
    data = patient_client.get(JSON).json()
    assert_new_keys_and_types(data)
    assert data["baseline_midas_score"] == 24
    assert isinstance(data["periods"][2]["preventive_changes"][0]["name"], str)


def test_the_json_of_a_diary_without_a_session_has_the_new_keys(patient_client, patient):
    course(patient)
    data = patient_client.get(JSON).json()
    assert_new_keys_and_types(data)
    assert (data["eligibility"], data["baseline_midas_score"]) == (None, None)


def test_the_data_download_holds_the_courses(patient_client, patient):
    course(patient, "Propranolol", "beta_blocker", "2025-01-06", "2025-06-01", "not_effective", notes="80 mg")
    course(patient)
    archive = zipfile.ZipFile(io.BytesIO(patient_client.get(reverse("data_download")).content))
    data = json.loads(archive.read("data.json"))
    assert data["preventive_courses"] == [
        {
            "name": "Propranolol",
            "class": "beta_blocker",
            "start": "2025-01-06",
            "stop": "2025-06-01",
            "stop_reason": "not_effective",
            "notes": "80 mg",
        },
        {
            "name": "Topiramate",
            "class": "antiepileptic",
            "start": "2026-07-01",
            "stop": None,
            "stop_reason": None,
            "notes": "",
        },
    ]


# ---------------------------------------------------------------- the baseline MIDAS

MIDAS_ANSWERS = {
    "missed_work": "3",
    "reduced_work": "4",
    "missed_household": "5",
    "reduced_household": "4",
    "missed_social": "2",
    "headache_days": "40",
    "average_pain": "6",
}


def test_a_patient_with_no_session_is_offered_the_midas(patient_client, patient):
    text = patient_client.get(PROGRESS).text
    assert "Before your first treatment" in text and 'href="/diary/midas/"' in text


def test_a_midas_before_the_first_session_becomes_the_baseline_midas(patient_client, patient, time_machine):
    patient_client.get(PROGRESS)
    before = version(patient)
    assert patient_client.post(reverse("diary:midas"), MIDAS_ANSWERS).status_code == 302
    assert version(patient) == before + 1  # saved through services.save_midas
    text = patient_client.get(PROGRESS).text
    assert "Before your first treatment" not in text
    assert "You answered the MIDAS questions on 15 October 2026: score 18." in text
    session(patient, "2026-10-20")
    time_machine.move_to(dt.datetime(2026, 10, 25, 12, tzinfo=dt.UTC), tick=False)
    data = patient_client.get(JSON).json()
    assert data["baseline_midas_score"] == 18
    assert "MIDAS before treatment: 18 (grade III: moderate disability)." in patient_client.get(PROGRESS).text


def test_a_midas_older_than_92_days_is_offered_again(patient_client, patient):
    MidasAnswer.objects.create(
        patient=patient, answered_on=TODAY - dt.timedelta(days=92), missed_work=1, reduced_work=1,
        missed_household=1, reduced_household=1, missed_social=1, headache_days=1, average_pain=1,
    )  # fmt: skip
    assert "Before your first treatment" in patient_client.get(PROGRESS).text


# ---------------------------------------------------------------- the timeline's geometry (pure)


def test_the_timeline_puts_each_course_under_the_periods_it_was_taken_in():
    def plain(name, start, stop=None, reason=""):
        # Rows as the page has them: anything with these attributes (model rows have pk too).
        row = PreventiveCourse(
            name=name,
            drug_class="other",
            start=dt.date.fromisoformat(start),
            stop=dt.date.fromisoformat(stop) if stop else None,
            stop_reason=reason,
        )
        return row

    courses = [
        plain("Propranolol", "2025-01-01", "2025-03-01", "other"),  # before the baseline: left out
        plain("Metoprolol", "2026-06-03", "2026-06-30", "side_effects"),  # the baseline, to the day
        plain("Topiramate", "2026-08-12"),  # halfway through cycle 1, to today
        plain("Flunarizine", "2026-07-01", "2026-07-10", "other"),
        plain("flunarizine ", "2026-09-23", "2026-09-30", "other"),  # the same medicine again: same lane
        plain("Flunarizine", "2026-09-25", "2026-10-01", "other"),  # overlapping it: a lane of its own
    ]
    # Baseline 3 .. 30 June (28 days), cycle 1 1 July .. 22 September (84), cycle 2 23 September .. 15 October.
    progress = cycles.compute([], set(), [dt.date(2026, 7, 1), dt.date(2026, 9, 23)], timeutil.zone("UTC"), NOW)
    chart = presentation.chart(progress)
    timeline = preventive_presentation.timeline(progress, courses, chart)
    group = (chart["right"] - chart["left"]) / 3
    lanes = {lane["words"]: lane for lane in timeline["lanes"]}
    assert list(lanes) == [
        "Metoprolol: 3 – 30 Jun 2026",
        "Flunarizine: 2 courses",
        "Topiramate: since 12 Aug 2026",
        "Flunarizine: 25 Sep – 1 Oct 2026",
    ]
    assert timeline["left_out"] == 1 and timeline["bars"] == 5
    (metoprolol,) = lanes["Metoprolol: 3 – 30 Jun 2026"]["bars"]
    assert (metoprolol["begin"], metoprolol["end"]) == (0.0, 1.0)  # exactly the baseline's group
    assert metoprolol["wide"]["x1"] == chart["left"] and metoprolol["wide"]["x2"] == pytest.approx(
        chart["left"] + group
    )
    assert metoprolol["started_here"] and metoprolol["stopped_here"]
    (topiramate,) = lanes["Topiramate: since 12 Aug 2026"]["bars"]
    assert (topiramate["begin"], topiramate["end"]) == (1.5, 3.0)  # day 43 of 84, to today's end
    assert not topiramate["stopped_here"]
    first, second = lanes["Flunarizine: 2 courses"]["bars"]
    assert first["begin"] == 1.0 and second["begin"] == 2.0
    assert second["title"] == "flunarizine : 23–30 September 2026, stopped (another reason)"
    assert [bar["phone"]["x1"] for bar in (metoprolol, topiramate)] == [0.0, 50.0]


def test_no_course_in_the_chart_s_periods_means_no_timeline():
    progress = cycles.compute([], set(), [dt.date(2026, 7, 1)], timeutil.zone("UTC"), NOW)
    old = PreventiveCourse(
        name="Propranolol", drug_class="beta_blocker", start=dt.date(2024, 1, 1), stop=dt.date(2024, 2, 1)
    )
    assert preventive_presentation.timeline(progress, [old], presentation.chart(progress)) is None
    assert preventive_presentation.timeline(progress, [], presentation.chart(progress)) is None


# ---------------------------------------------------------------- anything sent (property-tested)

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
junk = st.one_of(
    st.text(max_size=150),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["", " ", "\x00", "=cmd|' /C calc'!A0", "2026-10-15", "2026-02-30", "other", "antiepileptic"]),
)


def _check_saved_or_refused(response, before):
    assert response.status_code < 500
    if response.status_code == 200:
        assert response.context["form"].errors
        assert rows_everywhere() == before
        return
    assert response.status_code == 302
    for saved in PreventiveCourse.objects.all():  # what was saved keeps every rule
        assert saved.start <= TODAY and (saved.stop is None or saved.start <= saved.stop <= TODAY)
        assert bool(saved.stop) == bool(saved.stop_reason)
        assert saved.drug_class in {c for c, _ in PreventiveCourse._meta.get_field("drug_class").choices}


def rows_everywhere():
    return list(
        PreventiveCourse.objects.order_by("id").values_list("name", "drug_class", "start", "stop", "stop_reason")
    )


@PROPERTY
@given(
    data=st.fixed_dictionaries(
        {
            "name": junk,
            "drug_class": st.one_of(st.sampled_from(["cgrp_antibody", "other", ""]), junk),
            "start": junk,
            "stop_reason": st.one_of(st.sampled_from(["", "not_effective", "side_effects"]), junk),
            "stop": junk,
            "notes": junk,
        }
    )
)
def test_the_course_form_survives_anything(patient_client, data):
    before = rows_everywhere()
    _check_saved_or_refused(patient_client.post(NEW, data), before)


@PROPERTY
@given(data=st.fixed_dictionaries({"stop": junk, "stop_reason": st.one_of(st.sampled_from(["other", ""]), junk)}))
def test_the_stop_form_survives_anything(patient_client, patient, data):
    mine = PreventiveCourse.objects.filter(patient=patient, name="Kept").first() or course(
        patient, "Kept", "other", "2026-07-01"
    )
    mine.stop, mine.stop_reason = None, ""
    mine.save()
    before = rows_everywhere()
    _check_saved_or_refused(patient_client.post(reverse("diary:preventive_stop", args=[mine.pk]), data), before)
