import datetime as dt

import pytest
from django.urls import reverse

from tests.diary.factories import attack, headache_free, session

URL = reverse("diary:calendar")


def cells(response):
    return {cell["date"]: cell for week in response.context["weeks"] for cell in week if cell["in_month"]}


def test_it_requires_login(client, db):
    assert client.get(URL).status_code == 302


def test_it_shows_the_current_month_by_default(patient_client):
    response = patient_client.get(URL)
    assert response.status_code == 200
    assert response.context["month"] == dt.date(2026, 10, 1)
    assert response.context["next_month"] is None  # November has not begun


def test_each_day_is_headache_headache_free_or_unrecorded(patient_client, patient):
    attack(patient, "2026-10-05", severity=1)
    attack(patient, "2026-10-05", time="15:00", severity=3)
    headache_free(patient, "2026-10-06")
    session(patient, "2026-10-07")
    days = cells(patient_client.get(URL))
    assert days[dt.date(2026, 10, 5)]["info"].worst_severity == 3
    assert days[dt.date(2026, 10, 6)]["info"].status == "headache_free"
    assert days[dt.date(2026, 10, 7)]["info"].status == "unrecorded"
    assert days[dt.date(2026, 10, 7)]["session"] is True
    assert days[dt.date(2026, 10, 20)]["future"] is True


def test_each_day_is_painted_as_its_kind(patient_client, patient):
    for day, severity in ((5, 3), (6, 2), (7, 1)):
        attack(patient, f"2026-10-{day:02d}", severity=severity)
    attack(patient, "2026-10-07", time="15:00", severity=1)
    headache_free(patient, "2026-10-08")
    session(patient, "2026-10-09")
    response = patient_client.get(URL)
    days = cells(response)
    kinds = {day: days[dt.date(2026, 10, day)]["kind"] for day in (5, 6, 7, 8, 9, 15, 16)}
    assert kinds == {5: "severe", 6: "moderate", 7: "mild", 8: "free", 9: "unrecorded", 15: "unrecorded", 16: "future"}
    page = response.text
    for kind in ("severe", "moderate", "mild", "free", "unrecorded", "future"):
        assert f'class="day-cell day-{kind}' in page
    assert 'Friday </span>9<span class="visually-hidden"> October, treatment session:' in page  # in words too
    assert "> October, today:</span>" in page and 'aria-current="date"' in page
    assert '<td class="day-cell day-future" data-date="2026-10-16">' in page  # no link to a day to come
    assert 'href="/diary/days/2026-10-16/"' not in page


def test_an_attack_from_the_previous_month_colours_its_first_day(patient_client, patient):
    attack(patient, "2026-09-30", time="22:00", minutes=240)
    days = cells(patient_client.get(URL))
    assert days[dt.date(2026, 10, 1)]["info"].status == "headache"


def test_another_month(patient_client, patient):
    headache_free(patient, "2026-08-03")
    response = patient_client.get(URL, {"month": "2026-08"})
    assert cells(response)[dt.date(2026, 8, 3)]["info"].status == "headache_free"
    assert "August 2026" in response.text


def test_it_never_shows_another_patient_s_days(patient_client, other_patient):
    attack(other_patient, "2026-10-05", severity=3)
    assert cells(patient_client.get(URL))[dt.date(2026, 10, 5)]["info"].status == "unrecorded"


@pytest.mark.parametrize("month", ["nonsense", "2026-13", "0-1", "99999-01"])
def test_a_bad_month_is_404(patient_client, month):
    assert patient_client.get(URL, {"month": month}).status_code == 404


def test_the_day_page_lists_its_records(patient_client, patient):
    attack(patient, "2026-10-04", time="23:00", minutes=120, notes="Started at a party")
    response = patient_client.get(reverse("diary:day", args=["2026-10-05"]))
    assert response.status_code == 200
    assert "Started at a party" in response.text
    assert "Log a headache on this day" in response.text


def test_the_day_page_never_shows_another_patient_s_attack(patient_client, other_patient):
    attack(other_patient, "2026-10-05", notes="Private note")
    response = patient_client.get(reverse("diary:day", args=["2026-10-05"]))
    assert "Private note" not in response.text


def test_a_bad_day_is_404(patient_client):
    assert patient_client.get("/diary/days/not-a-date/").status_code == 404


def test_the_day_page_requires_login(client, db):
    assert client.get(reverse("diary:day", args=["2026-10-05"])).status_code == 302


def test_the_day_page_lists_headaches_in_the_order_they_started(patient_client, patient):
    late = attack(patient, "2026-10-05", time="10:45", minutes=60, notes="The later one")
    early = attack(patient, "2026-10-05", time="09:00", minutes=30, notes="The earlier one")
    assert late.pk < early.pk  # logged in the other order
    text = patient_client.get(reverse("diary:day", args=["2026-10-05"])).text
    assert text.index("The earlier one") < text.index("The later one")


def test_a_future_day_is_not_called_not_recorded(patient_client):
    text = patient_client.get(reverse("diary:day", args=["2026-10-20"])).text
    assert "This day has not happened yet." in text
    assert "Not recorded" not in text
