"""Local days and instants in a patient's zone (CLINICAL.md "Day-level definitions")."""

import datetime as dt

import pytest

from core import timeutil

LONDON = timeutil.zone("Europe/London")
AUCKLAND = timeutil.zone("Pacific/Auckland")


def instant(text):
    return dt.datetime.fromisoformat(text)


def test_an_attack_ending_at_midnight_does_not_touch_the_next_day():
    start = timeutil.to_instant(dt.date(2026, 1, 10), dt.time(21, 0), LONDON)
    end = start + dt.timedelta(minutes=180)
    assert timeutil.days_touched(start, end, LONDON) == [dt.date(2026, 1, 10)]


def test_an_attack_from_22_00_to_03_00_touches_two_days():
    start = timeutil.to_instant(dt.date(2026, 1, 10), dt.time(22, 0), LONDON)
    end = start + dt.timedelta(hours=5)
    assert timeutil.days_touched(start, end, LONDON) == [dt.date(2026, 1, 10), dt.date(2026, 1, 11)]


def test_a_time_skipped_by_spring_forward_does_not_exist():
    # London's clocks went from 01:00 to 02:00 on 29 March 2026.
    assert not timeutil.exists(dt.date(2026, 3, 29), dt.time(1, 30), LONDON)
    with pytest.raises(timeutil.NonexistentLocalTime):
        timeutil.to_instant(dt.date(2026, 3, 29), dt.time(1, 30), LONDON, strict=True)


def test_a_skipped_time_read_leniently_uses_the_offset_before_the_change():
    assert timeutil.to_instant(dt.date(2026, 3, 29), dt.time(1, 30), LONDON) == instant("2026-03-29T01:30+00:00")


def test_a_time_that_happens_twice_means_its_first_occurrence():
    # Clocks went back from 02:00 BST to 01:00 GMT on 25 October 2026: 01:30 happened twice.
    assert timeutil.to_instant(dt.date(2026, 10, 25), dt.time(1, 30), LONDON) == instant("2026-10-25T00:30+00:00")


def test_duration_is_elapsed_time_across_a_clock_change():
    # 00:30 for 3 hours on the day the clocks go back ends at 02:30 GMT, wall clock, not 03:30.
    start = timeutil.to_instant(dt.date(2026, 10, 25), dt.time(0, 30), LONDON)
    end = start + dt.timedelta(hours=3)
    assert end.astimezone(LONDON).time() == dt.time(2, 30)


def test_today_is_the_patient_s_local_date():
    now = instant("2026-10-15T12:00+00:00")
    assert timeutil.today(AUCKLAND, now) == dt.date(2026, 10, 16)
    assert timeutil.today(LONDON, now) == dt.date(2026, 10, 15)


def test_unknown_zones_are_not_valid():
    assert timeutil.is_valid_zone("Europe/London")
    assert not timeutil.is_valid_zone("Mars/Olympus")
    assert not timeutil.is_valid_zone("../etc/passwd")
