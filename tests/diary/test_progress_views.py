import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from diary import services
from diary.models import MidasAnswer
from tests.diary.conftest import TODAY
from tests.diary.factories import attack, headache_free, session, side_effect

PROGRESS = reverse("diary:progress")
JSON = reverse("diary:progress_json")
REPORT = reverse("diary:report")
MIDAS = reverse("diary:midas")

PERIOD_KEYS = {
    "kind": str,
    "number": int,
    "start": str,
    "end": str,
    "session_date": (str, type(None)),
    "days": int,
    "days_recorded": int,
    "completeness": (float, type(None)),
    "enough_data": bool,
    "headache_days": int,
    "preempt_headache_days": int,
    "migraine_days": int,
    "moderate_severe_days": int,
    "headache_days_per_28": (float, type(None)),
    "migraine_days_per_28": (float, type(None)),
    "moderate_severe_days_per_28": (float, type(None)),
    "headache_hours": float,
    "attacks": int,
    "mean_attack_hours": (float, type(None)),
    "mean_worst_severity": (float, type(None)),
    "acute_medication_days": int,
    "change_from_baseline_pct": (float, type(None)),
    "responder_30": (bool, type(None)),
    "responder_50": (bool, type(None)),
    # Added in the second version (FORMATS.md)
    "preventive_changes": list,
    "preventives_during": list,
}
CYCLE_ONLY_KEYS = {
    "midas_score": (int, type(None)),
    "midas_grade": (str, type(None)),
    "migraine_change_pct": (float, type(None)),
    "moderate_severe_change_pct": (float, type(None)),
    "midas_change": (int, type(None)),
    "ahs_benefit": (bool, type(None)),
    "around_session": dict,
}
TOP_LEVEL_KEYS = [
    "generated_on",
    "time_zone",
    "baseline_source",
    "periods",
    "months",
    "flags",
    "eligibility",
    "baseline_midas_score",
    "menstrual_pattern",
    "acute_medicines",
    "factors",
]
MONTH_KEYS = {"month": str, "days": int, "days_recorded": int, "headache_days": int, "enough_data": bool}
FLAG_NAMES = [
    "not_adequately_responding",
    "changed_to_episodic",
    "medication_overuse_risk",
    "diary_gap",
    "urgent_side_effect",
    "session_due",
    "overdue",
]


def _dates(first, count):
    return [dt.date.fromisoformat(first) + dt.timedelta(days=i) for i in range(count)]


def make_diary(patient, years=0):
    """Baseline of 28 days before 1 July 2026 with 14 headache days, cycle 1 from 1 July to today.

    With years, the diary starts that many years earlier, with a session every 84 days.
    """
    start = dt.date(2026, 6, 3) - dt.timedelta(days=365 * years)
    first_session = start + dt.timedelta(days=28)
    day = start
    index = 0
    while day < TODAY:
        if index % 2 == 0:
            attack(
                patient,
                day,
                severity=2 + index % 4 // 2,
                nausea=True,
                throbbing=True,
                one_sided=True,
                medicines=[("triptan", "Sumatriptan")] if index % 4 == 0 else [],
            )
        else:
            headache_free(patient, day.isoformat())
        day += dt.timedelta(days=1)
        index += 1
    sessions = []
    s = first_session
    while s <= TODAY:
        sessions.append(session(patient, s.isoformat()))
        s += dt.timedelta(days=84)
    return sessions


def test_progress_requires_login(client, db):
    for url in (PROGRESS, JSON, REPORT, MIDAS):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [PROGRESS, JSON, REPORT, MIDAS])
def test_progress_is_refused_to_clinicians_and_editors(client, clinician, editor, url):
    for user in (clinician, editor):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_a_new_patient_is_told_what_progress_needs(patient_client):
    response = patient_client.get(PROGRESS)
    assert response.status_code == 200
    assert "once a treatment session is recorded" in response.text


def test_the_json_without_a_session(patient_client):
    data = patient_client.get(JSON).json()
    assert data == {
        "generated_on": "2026-10-15",
        "time_zone": "Europe/London",
        "baseline_source": None,
        "periods": [],
        "months": [],
        "flags": [],
        "eligibility": None,
        "baseline_midas_score": None,
        "menstrual_pattern": None,
        "acute_medicines": [],
        "factors": [],
    }


def test_the_json_matches_formats_md_key_by_key(patient_client, patient):
    treatment = make_diary(patient)[-1]  # sessions 1 July and 23 September
    side_effect(patient, treatment, effect="swallowing_speaking_breathing", started_on="2026-09-24")
    MidasAnswer.objects.create(
        patient=patient,
        answered_on=dt.date(2026, 9, 20),
        missed_work=3,
        reduced_work=2,
        missed_household=2,
        reduced_household=1,
        missed_social=1,
        headache_days=30,
        average_pain=6,
    )
    response = patient_client.get(JSON)
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == set(TOP_LEVEL_KEYS)
    assert isinstance(data["eligibility"], dict)
    assert data["generated_on"] == "2026-10-15"
    assert data["time_zone"] == "Europe/London"
    assert data["baseline_source"] in ("diary", "reported", None)
    assert [p["kind"] for p in data["periods"]] == ["baseline", "cycle", "cycle"]
    for period in data["periods"]:
        expected = dict(PERIOD_KEYS)
        if period["kind"] == "cycle":
            expected.update(CYCLE_ONLY_KEYS)
        assert set(period) == set(expected)
        for key, kind in expected.items():
            assert isinstance(period[key], kind), (key, period[key])
        for key in ("start", "end"):
            dt.date.fromisoformat(period[key])
    baseline, cycle1, cycle2 = data["periods"]
    assert (baseline["number"], baseline["session_date"], baseline["start"], baseline["end"]) == (
        0,
        None,
        "2026-06-03",
        "2026-06-30",
    )
    assert (cycle1["number"], cycle1["session_date"], cycle1["end"]) == (1, "2026-07-01", "2026-09-22")
    assert (cycle2["start"], cycle2["end"]) == ("2026-09-23", "2026-10-15")
    assert (cycle1["midas_score"], cycle1["midas_grade"]) == (9, "II")
    assert (cycle2["midas_score"], cycle2["midas_grade"]) == (None, None)
    for month in data["months"]:
        assert set(month) == set(MONTH_KEYS)
        for key, kind in MONTH_KEYS.items():
            assert isinstance(month[key], kind)
    assert [m["month"] for m in data["months"]] == ["2026-07", "2026-08", "2026-09"]
    assert all(flag in FLAG_NAMES for flag in data["flags"])
    assert data["flags"] == sorted(data["flags"], key=FLAG_NAMES.index)
    assert "urgent_side_effect" in data["flags"]


def test_the_json_values_worked_by_hand(patient_client, patient):
    # Baseline 3-30 June: days alternate headache / free starting with a headache: 14 of 28.
    make_diary(patient)
    baseline = patient_client.get(JSON).json()["periods"][0]
    assert (baseline["days"], baseline["days_recorded"], baseline["headache_days"]) == (28, 28, 14)
    assert baseline["headache_days_per_28"] == 14.0
    assert baseline["completeness"] == 1.0
    # Cycle 1, 1 July to 22 September (session 2 on the 23rd): 84 days, all recorded; 1 July is
    # day 28 of the alternation (even: a headache), so 42 headache days -> 14 per 28: 0% change.
    cycle = patient_client.get(JSON).json()["periods"][1]
    assert (cycle["days"], cycle["headache_days"]) == (84, 42)
    assert cycle["change_from_baseline_pct"] == 0.0
    assert cycle["responder_30"] is False


def test_the_progress_page_shows_chart_table_and_words(patient_client, patient):
    make_diary(patient)
    response = patient_client.get(PROGRESS)
    text = response.text
    assert "<svg" in text and "<title>Cycle 1: 14 headache days per 28 days</title>" in text
    assert "14 headache days per 28 days, the same as before treatment (14): no change." in text
    assert "Before treatment: 14" in text
    assert 'href="/learn/expected-results/"' in text
    assert "Week by week after each session" in text


def test_a_period_without_enough_data_is_labelled(patient_client, patient):
    session(patient, "2026-10-01")
    attack(patient, "2026-10-02")
    text = patient_client.get(PROGRESS).text
    assert "not enough data" in text


def test_flags_are_shown_in_neutral_words(patient_client, patient):
    session(patient, "2026-07-20")  # 87 days: due and overdue; nothing recorded: a diary gap
    text = patient_client.get(PROGRESS).text
    assert "Discuss the date of your next one with your clinic." in text
    assert "Gaps in your diary" in text


def test_the_urgent_message_comes_first_on_the_progress_page(patient_client, patient):
    treatment = session(patient, "2026-10-01")
    side_effect(patient, treatment, effect="swallowing_speaking_breathing", started_on="2026-10-02")
    text = patient_client.get(PROGRESS).text
    assert text.index("Seek urgent medical care now") < text.index("<header")


@pytest.mark.parametrize("years", [0, 3])
def test_progress_page_and_json_use_a_fixed_number_of_queries(
    patient_client, patient, django_assert_num_queries, years
):
    make_diary(patient, years=years)
    patient_client.get(PROGRESS)  # the profile exists after the first visit (and the CSRF cookie is set)
    cache.clear()  # no page, no computed progress, no session in the cache
    # Rendered, progress computed (services.load_progress): 1 the session (not in the cache), 2 the
    # user with role and profile, 3 attacks joined with their medicines, 4 marks, 5 treatment
    # sessions, 6 side-effect reports with their sessions, 7 MIDAS, 8 preventive courses,
    # 9 menstruation days, 10 factor check-ins
    with django_assert_num_queries(10):
        assert patient_client.get(PROGRESS).status_code == 200
    # Rendered, with the progress from the progress cache (diary.progress_cache): 1 the user with
    # role and profile (diary_version in the key); the session comes from the cache now
    with django_assert_num_queries(1):
        assert patient_client.get(JSON).status_code == 200
    with django_assert_num_queries(1):
        assert patient_client.get(REPORT).status_code == 200
    # The progress page for another CSRF secret (another page key): rendered again, from the
    # progress cache: 1 the user with role and profile
    patient_client.cookies[settings.CSRF_COOKIE_NAME] = "b" * 32
    with django_assert_num_queries(1):
        assert patient_client.get(PROGRESS).status_code == 200
    # Again, from the page cache: 1 the user with role and profile (the page key's diary_version)
    with django_assert_num_queries(1):
        assert patient_client.get(PROGRESS).status_code == 200
    # A diary write sets the profile's feature flags (services.rows_written): this diary has no
    # preventive course, period day or check-in, so rendered again those three are not asked for
    services.diary_changed(patient)
    cache.clear()
    with django_assert_num_queries(7):
        assert patient_client.get(PROGRESS).status_code == 200


def test_the_report_is_one_printable_page_of_the_essentials(patient_client, patient):
    treatment = make_diary(patient)[-1]
    side_effect(patient, treatment, effect="ptosis", started_on="2026-09-30")
    text = patient_client.get(REPORT).text
    assert "Headache diary report: Alice Ashworth" in text
    assert "Acute medicine use, last 30 days" in text
    assert "Triptan (e.g. sumatriptan)" in text
    assert "Eyelid drooping" in text
    assert "report-page" in text  # the print style sheet hides the navigation on this page


def test_midas_is_offered_near_the_end_of_a_cycle(patient_client, patient):
    session(patient, "2026-08-06")  # today is day 71
    assert "Answer 7 short questions" in patient_client.get(PROGRESS).text


def test_midas_is_not_offered_early_in_a_cycle(patient_client, patient):
    session(patient, "2026-09-01")  # day 45
    assert "Answer 7 short questions" not in patient_client.get(PROGRESS).text


def test_answering_midas(patient_client, patient):
    session(patient, "2026-08-06")
    data = {
        "missed_work": 5,
        "reduced_work": 4,
        "missed_household": 6,
        "reduced_household": 3,
        "missed_social": 3,
        "headache_days": 40,
        "average_pain": 7,
    }
    response = patient_client.post(MIDAS, data, follow=True)
    assert "Your MIDAS score is 21." in response.text
    answer = MidasAnswer.objects.get(patient=patient)
    assert answer.answered_on == TODAY
    assert "Answer 7 short questions" not in response.text
    assert "21 (grade IV: severe disability)" in response.text


@pytest.mark.parametrize(
    ("field", "value"), [("missed_work", "93"), ("average_pain", "11"), ("missed_social", "-1"), ("headache_days", "x")]
)
def test_midas_refuses_answers_out_of_range(patient_client, patient, field, value):
    data = {
        "missed_work": 0,
        "reduced_work": 0,
        "missed_household": 0,
        "reduced_household": 0,
        "missed_social": 0,
        "headache_days": 0,
        "average_pain": 0,
        field: value,
    }
    response = patient_client.post(MIDAS, data)
    assert response.context["form"].errors[field]
    assert not MidasAnswer.objects.exists()


def test_progress_never_counts_another_patient_s_diary(patient_client, patient, other_patient):
    make_diary(other_patient)
    session(patient, "2026-10-01")
    data = patient_client.get(JSON).json()
    assert data["periods"][1]["headache_days"] == 0
    assert data["periods"][0]["days_recorded"] == 0


def test_the_week_by_week_table_marks_weeks_not_fully_recorded(patient_client, patient):
    session(patient, "2026-09-01")
    attack(patient, "2026-09-01")
    attack(patient, "2026-09-03")
    headache_free(patient, "2026-09-02", "2026-09-04", "2026-09-05", "2026-09-06", "2026-09-07")  # week 1: all 7
    attack(patient, "2026-09-08")
    headache_free(patient, "2026-09-09", "2026-09-10")  # week 2: 3 of 7
    page = patient_client.get(PROGRESS).text
    assert '<td class="week-cell week-2">2</td>' in page
    assert (
        '<td class="week-cell week-1 partial" title="Week 2: 1 headache day, 3 of 7 days recorded">1'
        '<span class="visually-hidden"> (3 of 7 days recorded)</span><span aria-hidden="true">*</span></td>'
    ) in page
