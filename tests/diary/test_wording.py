"""Words on the pages: counts early in a cycle, changes with their direction, the urgent notice
for the reader it is meant for, help numbers from settings, plurals and long dates.

Today is Thursday 15 October 2026 (tests/conftest.py). Figures below are worked out by hand.
"""

import datetime as dt
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.forms import ProfileForm
from accounts.models import PatientProfile
from clinic.models import Share
from diary import presentation
from diary.cycles import Period
from tests.diary.factories import attack, headache_free, session, side_effect

ROOT = Path(__file__).resolve().parents[2]
PROGRESS = reverse("diary:progress")
WORKLIST = reverse("clinic:worklist")


@pytest.fixture
def clinician_client(client, clinician, frozen):
    client.force_login(clinician)
    return client


def cycle(days, headache_days, days_recorded=None, change=None, per_28=None):
    """A cycle's figures as diary.cycles computes them (rate = headache days / recorded x 28)."""
    recorded = days if days_recorded is None else days_recorded
    rate = per_28 if per_28 is not None else (Fraction(headache_days * 28, recorded) if recorded else None)
    return Period(
        kind="cycle",
        number=1,
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 1) + dt.timedelta(days=max(days - 1, 0)),
        session_date=dt.date(2026, 10, 1),
        days=days,
        days_recorded=recorded,
        headache_days=headache_days,
        headache_days_per_28=rate,
        change_from_baseline_pct=change,
    )


@pytest.fixture
def early_diary(patient):
    """Session on Saturday 10 October: day 6 today. 10-14 October all recorded (today not yet):
    headaches on the 11th and 13th, headache-free on the 10th, 12th and 14th. So 2 headache days
    in 5 counted days; as a rate that would be 2 / 5 x 28 = 11.2 per 28 days."""
    session(patient, "2026-10-10")
    attack(patient, "2026-10-11")
    attack(patient, "2026-10-13")
    headache_free(patient, "2026-10-10", "2026-10-12", "2026-10-14")
    return patient


# ---------------------------------------------------------------- early in a cycle


def test_two_headaches_in_the_5_days_since_a_session_read_as_counts(patient_client, early_diary):
    text = patient_client.get(PROGRESS).text
    assert (
        "Cycle 1, day 6. 2 headache days in the 5 days since your session. "
        "It is too early to compare with before treatment: that needs at least 14 days." in text
    )
    assert "11.2" not in text
    assert '<td data-label="Headache days per 28">2 in 5 days</td>' in text
    assert '<td data-label="Change from baseline">too early</td>' in text
    assert "Response: Too early to tell" in text


def test_the_json_keeps_its_rate_early_in_a_cycle(patient_client, early_diary):
    cycle_json = patient_client.get(reverse("diary:progress_json")).json()["periods"][-1]
    assert (cycle_json["days"], cycle_json["headache_days"]) == (5, 2)
    assert cycle_json["headache_days_per_28"] == pytest.approx(11.2)


def test_the_chart_has_no_bar_for_an_early_cycle(patient_client, early_diary):
    text = patient_client.get(PROGRESS).text
    assert "<title>Cycle 1: 2 headache days in 5 days, too early for a rate</title>" in text
    assert 'class="value">too early</text>' in text


def test_one_day_after_a_session_is_not_28_per_28(patient_client, patient):
    session(patient, "2026-10-14")
    attack(patient, "2026-10-14")  # the only counted day (today is not recorded yet)
    text = patient_client.get(PROGRESS).text
    assert "28 headache days per 28 days" not in text
    assert "A headache on the day of your session." in text
    assert '<td data-label="Headache days per 28">1 in 1 day</td>' in text


def test_unrecorded_days_are_said_early_in_a_cycle():
    words = presentation.change_in_words(cycle(days=5, headache_days=2, days_recorded=3), None, is_current=True)
    assert words.startswith("2 headache days in the 5 days since your session; 3 of the 5 are recorded.")


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (13, "7 headache days in the 13 days since your session. It is too early"),
        # 7 headache days in 14 recorded days: 7 / 14 x 28 = 14 per 28 days
        (14, "14 headache days per 28 days. There is no baseline to compare with yet."),
    ],
)
def test_at_14_counted_days_the_words_switch_to_a_rate(days, expected):
    assert presentation.change_in_words(cycle(days=days, headache_days=7), None, is_current=True).startswith(expected)


def test_at_14_counted_days_the_page_gives_the_rate(patient_client, patient):
    session(patient, "2026-10-01")  # 1-14 October counted: 14 days
    for day in range(1, 15):
        (attack if day % 2 else headache_free)(patient, f"2026-10-{day:02d}")
    text = patient_client.get(PROGRESS).text
    assert "Cycle 1, day 15. 14 headache days per 28 days." in text
    assert '<td data-label="Headache days per 28">14</td>' in text


# ---------------------------------------------------------------- direction of a change


@pytest.mark.parametrize(
    ("change", "expected"),
    [(Fraction(32), "32% fewer"), (Fraction(-12), "12% more"), (Fraction(0), "no change"), (None, "–")],
)
def test_a_change_says_its_direction(change, expected):
    assert presentation.change_direction(change) == expected


@pytest.mark.parametrize(
    ("per_28", "change", "expected"),
    [
        # baseline 25: (25 - 17) / 25 = 32% fewer; (25 - 28) / 25 = -12%, 12% more; 25: no change
        (17, 32, "17 headache days per 28 days, down from 25: 32% fewer."),
        (28, -12, "28 headache days per 28 days, up from 25: 12% more."),
        (25, 0, "25 headache days per 28 days, the same as before treatment (25): no change."),
    ],
)
def test_a_cycle_s_sentence_says_the_direction(per_28, change, expected):
    period = cycle(days=28, headache_days=per_28, per_28=Fraction(per_28), change=Fraction(change))
    assert presentation.change_in_words(period, Fraction(25)) == expected


# ---------------------------------------------------------------- the urgent notice


@pytest.fixture
def urgent(patient, clinician):
    """Session on 1 October; difficulty swallowing, speaking or breathing from 3 October."""
    Share.objects.create(patient=patient, clinician=clinician)
    treatment = session(patient, "2026-10-01")
    side_effect(patient, treatment, effect="swallowing_speaking_breathing", started_on="2026-10-03", severity=3)
    return patient


CLINICIAN_NOTICE = (
    "Reported difficulty swallowing, speaking or breathing on 3 October 2026, "
    "after the session of 1 October 2026: contact the patient now."
)


def test_the_clinician_s_urgent_notice_speaks_to_them_with_the_phone_number(clinician_client, urgent):
    PatientProfile.objects.create(user=urgent, phone="07700 900123")
    text = clinician_client.get(reverse("clinic:patient", args=[urgent.pk])).text
    assert "Urgent side effect reported" in text
    assert CLINICIAN_NOTICE in text
    assert 'Phone: <a class="urgent-phone" href="tel:07700900123">07700 900123</a>' in text
    assert "You reported" not in text and "Seek urgent medical care now" not in text


def test_the_clinician_s_urgent_notice_without_a_phone_number_says_where_to_look(clinician_client, urgent):
    text = clinician_client.get(reverse("clinic:patient", args=[urgent.pk])).text
    assert CLINICIAN_NOTICE in text
    assert "The patient has not given a phone number in the app" in text
    assert "tel:" not in text


def test_the_clinician_s_report_words_the_urgent_flag_for_them(clinician_client, urgent):
    text = clinician_client.get(reverse("clinic:patient_report", args=[urgent.pk])).text
    assert "contact the patient now" in text
    assert "You reported" not in text


def test_the_patient_is_still_told_to_seek_care(patient_client, urgent):
    text = patient_client.get(reverse("diary:home")).text
    assert "Seek urgent medical care now" in text
    assert "Call 999 or go to A&amp;E now" in text


# ---------------------------------------------------------------- help numbers from settings


def test_the_uk_numbers_are_the_default(patient_client, urgent):
    text = patient_client.get(reverse("diary:home")).text
    assert "contact your clinician, call NHS 111, or in an emergency call 999." in text


@override_settings(EMERGENCY_NUMBER="112", URGENT_ADVICE="116 117", EMERGENCY_DEPARTMENT="the emergency department")
def test_the_help_numbers_come_from_settings(patient_client, urgent):
    text = patient_client.get(reverse("diary:home")).text
    assert "Call 112 or go to the emergency department now" in text
    assert "contact your clinician, call 116 117, or in an emergency call 112." in text
    assert "999" not in text and "111" not in text
    report = patient_client.get(reverse("diary:report")).text
    assert "Seek urgent medical care now: call 112 or go to the emergency department." in report


@override_settings(EMERGENCY_NUMBER="911", URGENT_ADVICE="")
def test_without_an_advice_line_the_footer_leaves_it_out(patient_client):
    text = patient_client.get(reverse("diary:home")).text
    assert "contact your clinician, or in an emergency call 911." in text


def test_an_emergency_number_that_is_not_digits_stops_the_start():
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "migraine_app.settings", "DEBUG": "1", "EMERGENCY_NUMBER": "nine"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "EMERGENCY_NUMBER must be digits" in result.stderr


# ---------------------------------------------------------------- plurals and dates


@pytest.mark.parametrize(("count", "expected"), [(0, "0 headache days"), (1, "1 headache day"), (2, "2 headache days")])
def test_counts_are_pluralised(count, expected):
    assert presentation.counted(count, "headache day") == expected


def test_the_clinic_diary_table_says_1_minute_and_2_minutes(clinician_client, patient, clinician):
    Share.objects.create(patient=patient, clinician=clinician)
    attack(patient, "2026-10-12", minutes=1)
    attack(patient, "2026-10-13", minutes=2)
    text = clinician_client.get(reverse("clinic:patient", args=[patient.pk])).text
    assert '<td data-label="Length">1 minute</td>' in text
    assert '<td data-label="Length">2 minutes</td>' in text
    assert "Tue 13 October 2026, 09:00" in text  # dates in full on a clinician's page


def test_an_attack_s_hours_are_pluralised():
    period = cycle(days=28, headache_days=1)
    one = presentation._attack_words(Period(**{**period.__dict__, "attacks": 1, "mean_attack_hours": Fraction(1)}))
    two = presentation._attack_words(Period(**{**period.__dict__, "attacks": 2, "mean_attack_hours": Fraction(5, 2)}))
    assert one.startswith("1 attack, on average 1 hour;")
    assert two.startswith("2 attacks, on average 2.5 hours;")


# ---------------------------------------------------------------- the worklist


def test_the_worklist_says_when_a_search_matches_nobody(clinician_client, patient, clinician):
    Share.objects.create(patient=patient, clinician=clinician)
    for query in ({"q": "nobody-by-this-name"}, {"flag": "overdue"}):
        text = clinician_client.get(WORKLIST, query).text
        assert "No patient matches your search." in text, query
        assert "No patient shares their diary with you yet" not in text


def test_the_worklist_without_any_share_says_so(clinician_client):
    text = clinician_client.get(WORKLIST, {"q": ""}).text
    assert "No patient shares their diary with you yet" in text


def test_the_worklist_gives_counts_early_in_a_cycle(clinician_client, clinician, early_diary):
    Share.objects.create(patient=early_diary, clinician=clinician)
    text = clinician_client.get(WORKLIST).text
    assert '<td data-label="Headache days per 28">2 in 5 days</td>' in text
    assert '<td data-label="Change from baseline">too early</td>' in text
    assert "11.2" not in text


def test_the_worklist_change_says_its_direction(clinician_client, clinician, patient):
    """Reported baseline 20 a month: 20 x 28 / 30 = 18.67 per 28 days. Cycle 1 (1-14 October):
    7 headache days in 14 = 14 per 28, (18.67 - 14) / 18.67 = 25% fewer."""
    Share.objects.create(patient=patient, clinician=clinician)
    PatientProfile.objects.create(user=patient, reported_baseline=20)
    session(patient, "2026-10-01")
    for day in range(1, 15):
        (attack if day % 2 else headache_free)(patient, f"2026-10-{day:02d}")
    text = clinician_client.get(WORKLIST).text
    assert '<td data-label="Change from baseline">25% fewer</td>' in text


# ---------------------------------------------------------------- the phone number


def profile_post(patient, phone):
    profile = PatientProfile.objects.create(user=patient)
    form = ProfileForm(
        {"email": patient.email, "time_zone": "Europe/London", "phone": phone}, instance=profile, user=patient
    )
    return profile, form


def test_a_patient_gives_a_phone_number(patient_client, patient):
    PatientProfile.objects.create(user=patient)
    response = patient_client.post(
        reverse("profile"), {"email": patient.email, "time_zone": "Europe/London", "phone": "  +44 7700  900123 "}
    )
    assert response.status_code == 302
    profile = PatientProfile.objects.get(user=patient)
    assert profile.phone == "+44 7700 900123"


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("call me", "Give a phone number in digits, such as 07700 900123 or +44 7700 900123."),
        ("44+7700900123", "Give a phone number in digits"),
        ("12345", "A phone number has 7 to 15 digits"),
        ("0" * 31, "Give a phone number of at most 30 characters."),
    ],
)
def test_a_phone_number_that_is_not_one_is_refused_in_our_words(patient, phone, message):
    profile, form = profile_post(patient, phone)
    assert not form.is_valid()
    assert message in " ".join(form.errors["phone"])


def test_the_phone_number_is_optional(patient):
    profile, form = profile_post(patient, "")
    assert form.is_valid(), form.errors
    form.save()
    profile.refresh_from_db()
    assert profile.phone == ""


def test_the_clinic_patient_page_shows_the_phone_number(clinician_client, patient, clinician):
    Share.objects.create(patient=patient, clinician=clinician)
    PatientProfile.objects.create(user=patient, phone="07700 900123")
    text = clinician_client.get(reverse("clinic:patient", args=[patient.pk])).text
    assert 'phone <a class="text-nowrap" href="tel:07700900123">07700 900123</a>' in text
