import datetime as dt

from django.urls import reverse

from diary.models import HeadacheFreeDay
from tests.diary.factories import attack, headache_free

MARK = reverse("diary:headache_free_mark")
UNMARK = reverse("diary:headache_free_unmark")


def marked(patient):
    return sorted(d.isoformat() for d in HeadacheFreeDay.objects.filter(patient=patient).values_list("date", flat=True))


def test_it_requires_login(client, db):
    assert client.post(MARK, {"dates": "2026-10-15"}).status_code == 302
    assert not HeadacheFreeDay.objects.exists()


def test_several_past_days_in_one_step(patient_client, patient):
    patient_client.post(MARK, {"dates": ["2026-10-12", "2026-10-13", "2026-10-14"]})
    assert marked(patient) == ["2026-10-12", "2026-10-13", "2026-10-14"]


def test_a_day_an_attack_touches_is_refused_and_nothing_is_saved(patient_client, patient):
    attack(patient, "2026-10-12", time="23:00", minutes=120)  # touches the 12th and 13th
    response = patient_client.post(MARK, {"dates": ["2026-10-11", "2026-10-13"]}, follow=True)
    assert "You recorded a headache on Tuesday 13 October, so it cannot be marked headache-free." in response.text
    assert "Nothing was saved." in response.text
    assert marked(patient) == []


def test_an_attack_ending_at_midnight_leaves_the_next_day_free(patient_client, patient):
    attack(patient, "2026-10-12", time="21:00", minutes=180)
    patient_client.post(MARK, {"dates": ["2026-10-13"]})
    assert marked(patient) == ["2026-10-13"]


def test_a_headache_still_going_blocks_every_day_until_now(patient_client, patient):
    attack(patient, "2026-10-13", time="20:00", minutes=None)
    patient_client.post(MARK, {"dates": ["2026-10-15"]})
    assert marked(patient) == []


def test_a_future_day_is_refused(patient_client, patient):
    response = patient_client.post(MARK, {"dates": ["2026-10-16"]}, follow=True)
    assert "is in the future" in response.text
    assert marked(patient) == []


def test_a_bad_date_is_refused_with_a_message(patient_client, patient):
    response = patient_client.post(MARK, {"dates": ["yesterday"]}, follow=True)
    assert "That is not a date we understand." in response.text
    assert marked(patient) == []


def test_marking_twice_leaves_one_mark(patient_client, patient):
    patient_client.post(MARK, {"dates": ["2026-10-15"]})
    patient_client.post(MARK, {"dates": ["2026-10-15"]})
    assert marked(patient) == ["2026-10-15"]


def test_unmarking(patient_client, patient):
    headache_free(patient, "2026-10-14")
    patient_client.post(UNMARK, {"dates": ["2026-10-14"]})
    assert marked(patient) == []


def test_unmarking_never_touches_another_patient(patient_client, other_patient):
    headache_free(other_patient, "2026-10-14")
    patient_client.post(UNMARK, {"dates": ["2026-10-14"]})
    assert HeadacheFreeDay.objects.filter(patient=other_patient, date=dt.date(2026, 10, 14)).exists()


def test_next_only_goes_to_diary_pages(patient_client):
    response = patient_client.post(MARK, {"dates": ["2026-10-14"], "next": "https://evil.example/"})
    assert response["Location"] == reverse("diary:home")
    response = patient_client.post(MARK, {"dates": ["2026-10-13"], "next": "/diary/days/2026-10-13/"})
    assert response["Location"] == "/diary/days/2026-10-13/"


def test_get_is_not_allowed(patient_client):
    assert patient_client.get(MARK).status_code == 405
