import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from diary.models import HeadacheFreeDay
from tests.diary.conftest import TODAY
from tests.diary.factories import attack, headache_free, session, side_effect

URL = reverse("diary:home")


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_is_refused_to_a_clinician(client, clinician):
    client.force_login(clinician)
    assert client.get(URL).status_code == 403


def test_it_is_refused_to_an_editor(client, editor):
    client.force_login(editor)
    assert client.get(URL).status_code == 403


def test_it_works_for_a_new_patient_and_makes_their_profile(patient_client, patient):
    response = patient_client.get(URL)
    assert response.status_code == 200
    assert "No headache today" in response.text
    assert "Log a headache" in response.text
    assert patient.patient_profile.time_zone == "Europe/London"


def test_the_last_7_days_tell_unrecorded_from_headache_free(patient_client, patient):
    attack(patient, "2026-10-14", severity=3)
    headache_free(patient, "2026-10-13")
    response = patient_client.get(URL)
    statuses = {day.date: day.status for day in response.context["days"]}
    assert statuses[dt.date(2026, 10, 14)] == "headache"
    assert statuses[dt.date(2026, 10, 13)] == "headache_free"
    assert statuses[dt.date(2026, 10, 12)] == "unrecorded"
    assert len(statuses) == 7
    # Four past days unrecorded: 9, 10, 11, 12 October (today is not "past").
    assert [d.date.day for d in response.context["unrecorded_past"]] == [9, 10, 11, 12]
    assert "4 days not recorded" in response.text


def test_it_shows_the_current_cycle(patient_client, patient):
    session(patient, "2026-09-23")  # today 15 Oct is day 23
    response = patient_client.get(URL)
    assert "Cycle 1: <strong>day 23 of about 84</strong>" in response.text
    assert "next session due around <strong>16 December</strong>" in response.text


def test_it_shows_a_headache_still_going(patient_client, patient):
    attack(patient, "2026-10-15", time="08:00", minutes=None)
    response = patient_client.get(URL)
    assert "Headache still going" in response.text
    assert "It has stopped" in response.text


def test_no_headache_today_is_one_tap(patient_client, patient):
    response = patient_client.post(reverse("diary:headache_free_mark"), {"dates": TODAY.isoformat()})
    assert response.status_code == 302
    assert HeadacheFreeDay.objects.filter(patient=patient, date=TODAY).exists()
    page = patient_client.get(URL)
    assert "Today is marked: no headache." in page.text


def test_an_urgent_side_effect_comes_before_anything_else(patient_client, patient):
    treatment = session(patient, "2026-10-01")
    side_effect(patient, treatment, effect="swallowing_speaking_breathing", started_on="2026-10-03")
    text = patient_client.get(URL).text
    assert "Seek urgent medical care now" in text
    assert text.index("Seek urgent medical care now") < text.index("Skip to main content")
    assert 'href="/learn/side-effects/"' in text


def test_an_urgent_side_effect_before_the_last_session_is_not_shown(patient_client, patient):
    first = session(patient, "2026-07-01")
    side_effect(patient, first, effect="swallowing_speaking_breathing", started_on="2026-07-02")
    session(patient, "2026-09-23")
    assert "Seek urgent medical care now" not in patient_client.get(URL).text


@pytest.mark.parametrize("days_of_diary", [7, 400])
def test_home_uses_a_fixed_number_of_queries(patient_client, patient, django_assert_num_queries, days_of_diary):
    for offset in range(1, days_of_diary, 2):
        attack(patient, TODAY - dt.timedelta(days=offset))
    session(patient, "2026-09-23")
    patient_client.get(URL)  # the profile is made on first use
    cache.clear()
    # 1 the session (cleared from the cache with the pages), 2 the user with role and profile
    # (accounts.backends), 3 attacks near the week (and any still going), 4 their medicines,
    # 5 headache-free marks, 6 session dates, 7 urgent side effects, 8 the factor list (issue #16:
    # empty here, so no check-in is read; period days only once the patient tracks periods)
    with django_assert_num_queries(8):
        assert patient_client.get(URL).status_code == 200
    # From the page cache, the session from the cache: the user with role and profile (its
    # diary_version is in the key)
    with django_assert_num_queries(1):
        assert patient_client.get(URL).status_code == 200


def test_logging_a_headache_from_home_takes_two_screens(patient_client, patient):
    from diary.models import Attack

    home = patient_client.get(URL)  # screen 1
    assert f'href="{reverse("diary:headache_new")}"' in home.text
    form = patient_client.get(reverse("diary:headache_new"))  # screen 2
    assert form.status_code == 200
    done = patient_client.post(
        reverse("diary:headache_new"), {"when": "now", "duration_choice": "ongoing", "severity": "2"}, follow=True
    )
    assert done.redirect_chain == [(URL, 302)]  # back on screen 1, with the confirmation
    assert "Headache saved: Thursday 15 October, 13:00, still going, moderate." in done.text
    assert Attack.objects.filter(patient=patient).count() == 1
