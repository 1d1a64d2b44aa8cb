"""diary/cycles.py against CLINICAL.md, with every expected value worked out by hand here.

Most cases use UTC so that a day is 24 hours; the clock-change and far-from-UTC cases say so.
"Now" is Thursday 15 October 2026, 12:00 UTC unless a test says otherwise.
"""

import datetime as dt
from fractions import Fraction

import pytest

from core import timeutil
from diary import cycles
from diary.cycles import AttackData, MidasAnswer, Rules, SideEffectData

UTC = timeutil.zone("UTC")
LONDON = timeutil.zone("Europe/London")
AUCKLAND = timeutil.zone("Pacific/Auckland")
NOW = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 10, 15)


def d(text):
    return dt.date.fromisoformat(text)


def days(first, count):
    return [d(first) + dt.timedelta(days=i) for i in range(count)]


def attack(date, time="09:00", minutes=60, severity=2, meds=(), **features):
    return AttackData(
        start_date=d(date) if isinstance(date, str) else date,
        start_time=dt.time.fromisoformat(time),
        duration_minutes=minutes,
        severity=severity,
        medicine_classes=frozenset(meds),
        **features,
    )


def on(dates, **kwargs):
    """One plain attack (09:00, 1 hour, moderate) on each date."""
    return [attack(date, **kwargs) for date in dates]


def info(attacks, date, tz=UTC, now=NOW, free=()):
    date = d(date)
    return cycles.day_infos(attacks, free, tz, now, date, date)[0]


def compute(attacks=(), free=(), sessions=(), tz=UTC, now=NOW, **kwargs):
    return cycles.compute(attacks, set(free), [d(s) for s in sessions], tz, now, **kwargs)


def period(progress, number):
    return progress.periods[number]


# ---------------------------------------------------------------- day level


def test_an_attack_across_midnight_makes_two_headache_days_with_their_hours():
    attacks = [attack("2026-10-01", "22:00", minutes=300)]  # 22:00 to 03:00
    first, second = cycles.day_infos(attacks, (), UTC, NOW, d("2026-10-01"), d("2026-10-02"))
    assert first.is_headache_day and second.is_headache_day
    assert (first.headache_seconds, second.headache_seconds) == (2 * 3600, 3 * 3600)


def test_an_attack_ending_exactly_at_midnight_does_not_touch_the_next_day():
    attacks = [attack("2026-10-01", "21:00", minutes=180)]
    assert not info(attacks, "2026-10-02").is_headache_day


def test_overlapping_attacks_count_their_union_and_make_no_preempt_day():
    # 10:00-12:00 and 11:00-14:00: 4 hours of headache, but no single attack of 4 hours.
    attacks = [attack("2026-10-01", "10:00", minutes=120), attack("2026-10-01", "11:00", minutes=180)]
    day = info(attacks, "2026-10-01")
    assert day.headache_seconds == 4 * 3600
    assert day.preempt is False
    assert day.attack_count == 2


@pytest.mark.parametrize(
    ("start", "minutes", "date", "preempt"),
    [
        ("09:00", 240, "2026-10-01", True),  # exactly 4 hours
        ("09:00", 239, "2026-10-01", False),
        ("22:00", 360, "2026-10-01", False),  # 2 h before midnight...
        ("22:00", 360, "2026-10-02", True),  # ...4 h after: the PREEMPT day is the second
    ],
)
def test_the_preempt_4_hour_day_is_one_attack_clipped_to_the_day(start, minutes, date, preempt):
    assert info([attack("2026-10-01", start, minutes=minutes)], date).preempt is preempt


@pytest.mark.parametrize(
    ("description", "kwargs", "migraine"),
    [
        (
            "(a) one-sided + throbbing, nausea, 30 min",
            dict(minutes=30, severity=1, one_sided=True, throbbing=True, nausea=True),
            True,
        ),
        ("(a) the same at 29 min", dict(minutes=29, severity=1, one_sided=True, throbbing=True, nausea=True), False),
        ("(a) one pain feature only", dict(minutes=60, severity=1, one_sided=True, nausea=True), False),
        (
            "(a) moderate counts as a pain feature",
            dict(minutes=60, severity=2, worse_with_activity=True, vomiting=True),
            True,
        ),
        (
            "(a) light and sound together",
            dict(minutes=60, severity=3, one_sided=True, light_sensitivity=True, sound_sensitivity=True),
            True,
        ),
        ("(a) light without sound", dict(minutes=60, severity=3, one_sided=True, light_sensitivity=True), False),
        ("(a) no accompanying feature", dict(minutes=60, severity=3, one_sided=True, throbbing=True), False),
        ("(b) aura, no minimum", dict(minutes=5, severity=1, aura=True), True),
        ("(c) triptan, no minimum", dict(minutes=5, severity=1, meds={"triptan"}), True),
        ("(c) ergot", dict(minutes=5, severity=1, meds={"ergot"}), True),
        ("(c) gepant", dict(minutes=5, severity=1, meds={"gepant"}), True),
        ("(c) not a simple analgesic", dict(minutes=5, severity=1, meds={"simple_analgesic"}), False),
    ],
)
def test_each_branch_of_the_migraine_day_rule(description, kwargs, migraine):
    assert info([attack("2026-10-01", **kwargs)], "2026-10-01").migraine is migraine, description


def test_the_30_minutes_are_the_whole_attack_s_not_its_part_of_the_day():
    # 23:45 for 30 minutes: 15 minutes on each day, a migraine day on both.
    attacks = [attack("2026-10-01", "23:45", minutes=30, severity=1, one_sided=True, throbbing=True, nausea=True)]
    assert info(attacks, "2026-10-01").migraine and info(attacks, "2026-10-02").migraine


def test_a_day_s_worst_severity_is_its_worst_attack_s():
    attacks = [attack("2026-10-01", "08:00", severity=1), attack("2026-10-01", "20:00", severity=3)]
    assert info(attacks, "2026-10-01").worst_severity == 3


def test_an_attack_still_going_lasts_until_now():
    attacks = [attack("2026-10-13", "20:00", minutes=None)]
    infos = cycles.day_infos(attacks, (), UTC, NOW, d("2026-10-13"), d("2026-10-16"))
    assert [i.is_headache_day for i in infos] == [True, True, True, False]
    assert infos[2].headache_seconds == 12 * 3600  # midnight to now, 12:00


def test_a_25_hour_day_when_the_clocks_go_back():
    # London, 25 October 2026: 00:00 BST to 00:00 GMT the next day is 25 hours.
    attacks = [attack("2026-10-25", "00:00", minutes=25 * 60)]
    infos = cycles.day_infos(attacks, (), LONDON, NOW + dt.timedelta(days=30), d("2026-10-25"), d("2026-10-26"))
    assert infos[0].headache_seconds == 25 * 3600
    assert not infos[1].is_headache_day


def test_a_patient_far_from_utc_with_attacks_near_midnight():
    # Auckland is UTC+13 in October: 12:00 UTC on the 15th is 01:00 on the 16th there.
    now = NOW
    assert timeutil.today(AUCKLAND, now) == d("2026-10-16")
    # 23:30 local on the 15th for 60 min touches the 15th and 16th in Auckland (10:30-11:30 UTC on the 15th).
    attacks = [attack("2026-10-15", "23:30", minutes=60)]
    infos = cycles.day_infos(attacks, (), AUCKLAND, now, d("2026-10-14"), d("2026-10-16"))
    assert [i.is_headache_day for i in infos] == [False, True, True]
    assert [i.headache_seconds for i in infos] == [0, 1800, 1800]


def test_acute_medication_counts_on_the_attack_s_start_date():
    attacks = [attack("2026-10-01", "23:30", minutes=120, meds={"triptan"})]
    infos = cycles.day_infos(attacks, (), UTC, NOW, d("2026-10-01"), d("2026-10-02"))
    assert [bool(i.medicine_classes) for i in infos] == [True, False]


# ---------------------------------------------------------------- periods


def test_unrecorded_days_are_unknown_not_headache_free():
    # Baseline 17 Sep - 14 Oct (session 15 Oct): 10 headache days, 14 marked free, 4 unrecorded.
    baseline_days = days("2026-09-17", 28)
    attacks = on(baseline_days[:10])
    progress = compute(attacks, free=baseline_days[10:24], sessions=["2026-10-15"])
    baseline = period(progress, 0)
    assert (baseline.start, baseline.end, baseline.session_date) == (d("2026-09-17"), d("2026-10-14"), None)
    assert (baseline.days, baseline.days_recorded, baseline.headache_days) == (28, 24, 10)
    assert baseline.completeness == Fraction(24, 28)
    assert baseline.enough_data is True  # exactly 24 of 28
    assert baseline.headache_days_per_28 == Fraction(10 * 28, 24)  # 11.67, not 10


def test_enough_data_fails_at_23_of_28():
    baseline_days = days("2026-09-17", 28)
    progress = compute(on(baseline_days[:10]), free=baseline_days[10:23], sessions=["2026-10-15"])
    assert period(progress, 0).days_recorded == 23
    assert period(progress, 0).enough_data is False
    assert progress.baseline_source is None


def test_a_cycle_cut_at_today_counts_today_only_once_recorded():
    # Session 1 October; today 15 October. Days 1-14 counted; today only once recorded.
    unrecorded_today = period(compute(on(days("2026-10-01", 14)), sessions=["2026-10-01"]), 1)
    assert (unrecorded_today.start, unrecorded_today.end) == (d("2026-10-01"), TODAY)
    assert (unrecorded_today.days, unrecorded_today.days_recorded) == (14, 14)
    recorded_today = period(compute(on(days("2026-10-01", 14)), free=[TODAY], sessions=["2026-10-01"]), 1)
    assert (recorded_today.days, recorded_today.days_recorded, recorded_today.headache_days) == (15, 15, 14)


def test_a_period_of_no_counted_days():
    # The session is today and today is not recorded: 0 counted days.
    cycle = period(compute(sessions=["2026-10-15"]), 1)
    assert (cycle.days, cycle.completeness, cycle.enough_data, cycle.headache_days_per_28) == (0, None, False, None)
    assert (cycle.mean_attack_hours, cycle.mean_worst_severity, cycle.change_from_baseline_pct) == (None, None, None)


def test_a_late_next_session_lengthens_the_cycle():
    progress = compute(sessions=["2026-01-01", "2026-04-10"])  # 99 days apart
    cycle1 = period(progress, 1)
    assert (cycle1.start, cycle1.end, cycle1.days) == (d("2026-01-01"), d("2026-04-09"), 99)
    assert period(progress, 2).start == d("2026-04-10")


def test_an_early_next_session_shortens_the_cycle():
    progress = compute(sessions=["2026-01-01", "2026-03-12"])  # 70 days apart
    assert (period(progress, 1).end, period(progress, 1).days) == (d("2026-03-11"), 70)


def test_period_figures_worked_by_hand():
    # Cycle 1 from 1 October, today (15th) unrecorded: 14 counted days, all recorded.
    attacks = [
        attack("2026-10-02", "22:00", minutes=300, severity=3, one_sided=True, throbbing=True, nausea=True),  # 2nd+3rd
        attack("2026-10-05", "10:00", minutes=120, severity=1),  # 5th, mild
        attack("2026-10-05", "11:00", minutes=180, severity=2, meds={"simple_analgesic"}),  # 5th, overlaps
        attack("2026-10-09", "08:00", minutes=30, severity=1, meds={"triptan"}),  # 9th, migraine by (c)
    ]
    free = [date for date in days("2026-10-01", 14) if date.day not in (2, 3, 5, 9)]
    cycle = period(compute(attacks, free=free, sessions=["2026-10-01"]), 1)
    assert (cycle.days, cycle.days_recorded) == (14, 14)
    assert cycle.headache_days == 4  # 2, 3, 5, 9
    assert cycle.preempt_headache_days == 0  # 2nd: 2 h, 3rd: 3 h, 5th: 2 h and 3 h, 9th: 0.5 h
    assert cycle.migraine_days == 3  # 2, 3 (one attack), 9
    assert cycle.migraine_days_per_28 == 6  # 3 / 14 * 28
    assert cycle.headache_days_per_28 == 8  # 4 / 14 * 28


def test_period_figures_moderate_days_and_means():
    attacks = [
        attack("2026-10-02", "22:00", minutes=300, severity=3),  # touches 2nd and 3rd: 5 h
        attack("2026-10-05", "10:00", minutes=120, severity=1),  # 5th
        attack("2026-10-05", "11:00", minutes=180, severity=2, meds={"simple_analgesic"}),  # 5th, union 4 h
        attack("2026-10-09", "08:00", minutes=30, severity=1, meds={"triptan"}),  # 9th
    ]
    free = [date for date in days("2026-10-01", 14) if date.day not in (2, 3, 5, 9)]
    cycle = period(compute(attacks, free=free, sessions=["2026-10-01"]), 1)
    # worst severity by day: 2nd 3, 3rd 3, 5th 2, 9th 1 -> moderate/severe on 3 days
    assert cycle.moderate_severe_days == 3
    assert cycle.moderate_severe_days_per_28 == 6  # 3 / 14 * 28
    assert cycle.mean_worst_severity == Fraction(3 + 3 + 2 + 1, 4)  # 2.25
    assert cycle.headache_hours == Fraction(2 + 3 + 4 + Fraction(1, 2))  # 9.5
    assert cycle.attacks == 4
    assert cycle.mean_attack_hours == Fraction(5 + 2 + 3 + Fraction(1, 2), 4)  # 2.625
    assert cycle.acute_medication_days == 2  # 5th and 9th


def test_mean_attack_hours_counts_the_whole_attack_even_past_the_period_s_end():
    # Baseline ends 14 Oct; an attack on its last day runs 10 hours into the session day.
    attacks = [attack("2026-10-14", "20:00", minutes=14 * 60)]
    progress = compute(attacks, sessions=["2026-10-15"])
    assert period(progress, 0).mean_attack_hours == 14
    assert period(progress, 0).headache_hours == 4  # only its part before midnight
    assert period(progress, 1).attacks == 0


# ---------------------------------------------------------------- baseline and change


def _diary_with_baseline(rate_days, cycle_headache_days, cycle_days, sessions=("2026-07-01",)):
    """Baseline fully recorded with rate_days headache days; cycle 1 fully recorded from its session."""
    baseline = days("2026-06-03", 28)
    cycle = days("2026-07-01", cycle_days)
    attacks = on(baseline[:rate_days]) + on(cycle[:cycle_headache_days])
    free = baseline[rate_days:] + cycle[cycle_headache_days:]
    return attacks, free


def test_the_exact_30_percent_example_of_clinical_md():
    # Baseline 28 of 28 days; cycle 2 with 56 headache days in 80 recorded days = 19.6 per 28:
    # exactly 30% fewer, so a responder and not flagged (floats would say 29.999...).
    baseline = days("2026-03-01", 28)
    cycle1 = days("2026-03-29", 84)
    cycle2 = days("2026-06-21", 80)
    attacks = on(baseline) + on(cycle1) + on(cycle2[:56])
    progress = compute(attacks, free=cycle2[56:], sessions=["2026-03-29", "2026-06-21", "2026-09-09"])
    cycle = period(progress, 2)
    assert (cycle.days, cycle.headache_days) == (80, 56)
    assert cycle.headache_days_per_28 == Fraction(98, 5)  # 19.6
    assert cycle.change_from_baseline_pct == 30
    assert cycle.responder_30 is True and cycle.responder_50 is False
    assert "not_adequately_responding" not in progress.flags


def test_the_reported_baseline_is_used_when_the_diary_s_lacks_data():
    # Reported 20 days a month = 20 x 28 / 30 = 56/3 per 28. Cycle 1: 7 of 14 days = 14 per 28.
    cycle_days = days("2026-10-01", 14)
    progress = compute(on(cycle_days[:7]), free=cycle_days[7:], sessions=["2026-10-01"], reported_baseline="20")
    assert progress.baseline_source == "reported"
    assert progress.baseline_rate == Fraction(56, 3)
    cycle = period(progress, 1)
    assert cycle.change_from_baseline_pct == 25  # (56/3 - 14) / (56/3) x 100
    assert cycle.responder_30 is False


def test_the_diary_baseline_wins_over_the_reported_one_even_at_0():
    attacks, free = _diary_with_baseline(0, 7, 14)
    progress = compute(
        attacks,
        free=free,
        sessions=["2026-07-01"],
        reported_baseline="20",
        now=dt.datetime(2026, 7, 15, 12, tzinfo=dt.UTC),
    )
    assert progress.baseline_source == "diary"
    assert progress.baseline_rate == 0
    assert period(progress, 1).change_from_baseline_pct is None
    assert period(progress, 1).responder_30 is None


def test_a_reported_baseline_of_0_is_reported_with_no_change():
    progress = compute(on(days("2026-10-01", 7)), sessions=["2026-10-01"], reported_baseline="0")
    assert progress.baseline_source == "reported"
    assert period(progress, 1).change_from_baseline_pct is None


def test_no_baseline_rate_at_all():
    progress = compute(on(days("2026-10-01", 7)), sessions=["2026-10-01"])
    assert progress.baseline_source is None
    assert period(progress, 0).change_from_baseline_pct is None
    assert period(progress, 1).change_from_baseline_pct is None


def test_no_session_means_no_periods_no_months():
    progress = compute(on(days("2026-10-01", 7)))
    assert (progress.periods, progress.months, progress.baseline_source) == ([], [], None)


def test_a_worse_cycle_has_a_negative_change():
    # Baseline 14 of 28 = 14 per 28; cycle 1: 10 of 14 days = 20 per 28 -> -42.857%
    attacks, free = _diary_with_baseline(14, 10, 14)
    progress = compute(attacks, free=free, sessions=["2026-07-01"], now=dt.datetime(2026, 7, 15, 12, tzinfo=dt.UTC))
    assert period(progress, 1).change_from_baseline_pct == Fraction(-300, 7)


# ---------------------------------------------------------------- months


def test_months_are_the_complete_calendar_months_since_the_first_session():
    # First session 15 Jan; today 10 May: February, March, April (January began before it, May is not over).
    now = dt.datetime(2026, 5, 10, 12, tzinfo=dt.UTC)
    progress = compute(on(days("2026-02-01", 28)), sessions=["2026-01-15"], now=now)
    assert [m.month for m in progress.months] == ["2026-02", "2026-03", "2026-04"]
    february, march, _ = progress.months
    assert (february.days, february.days_recorded, february.headache_days, february.enough_data) == (28, 28, 28, True)
    assert (march.days, march.days_recorded, march.enough_data) == (31, 0, False)


def test_a_month_starting_on_the_session_day_counts():
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    progress = compute(sessions=["2026-02-01"], now=now)
    assert [m.month for m in progress.months] == ["2026-02"]


# ---------------------------------------------------------------- flags


def _two_cycles(cycle2_headache_days, cycle2_recorded=84, third_session=True, now=None):
    """Baseline 20 of 28 days (20 per 28); cycles of 84 days from 1 Mar and 24 May 2026."""
    baseline = days("2026-02-01", 28)
    cycle1 = days("2026-03-01", 84)
    cycle2 = days("2026-05-24", 84)
    attacks = on(baseline[:20]) + on(cycle1[:20]) + on(cycle2[:cycle2_headache_days])
    free = baseline[20:] + cycle1[20:] + cycle2[cycle2_headache_days:cycle2_recorded]
    sessions = ["2026-03-01", "2026-05-24"] + (["2026-08-16"] if third_session else [])
    return compute(attacks, free=free, sessions=sessions, now=now or NOW)


def test_not_adequately_responding_fires_below_30_percent():
    # 15 of 84 days = 5 per 28: 75% better -> no flag. 15 per 28 (45 days) is 25% better -> flag.
    assert "not_adequately_responding" not in _two_cycles(15).flags
    progress = _two_cycles(45)
    assert period(progress, 2).change_from_baseline_pct == 25
    assert "not_adequately_responding" in progress.flags


def test_not_adequately_responding_does_not_fire_at_exactly_30_percent():
    # 14 per 28 from 20 is exactly 30% fewer: 42 of 84 days.
    progress = _two_cycles(42)
    assert period(progress, 2).change_from_baseline_pct == 30
    assert "not_adequately_responding" not in progress.flags


def test_not_adequately_responding_waits_for_cycle_2_to_end():
    # No session 3; cycle 2 began 24 May. On day 84 (15 Aug) it has not ended; on 16 Aug (+84) it has.
    not_yet = _two_cycles(45, third_session=False, now=dt.datetime(2026, 8, 15, 12, tzinfo=dt.UTC))
    assert "not_adequately_responding" not in not_yet.flags
    ended = _two_cycles(45, third_session=False, now=dt.datetime(2026, 8, 16, 12, tzinfo=dt.UTC))
    assert period(ended, 2).days == 84  # 24 May to 15 Aug; the 16th unrecorded
    assert "not_adequately_responding" in ended.flags


def test_not_adequately_responding_needs_enough_data_in_cycle_2():
    # 45 headache days but only 71 of 84 days recorded (71/84 < 24/28 = 72/84).
    assert "not_adequately_responding" not in _two_cycles(45, cycle2_recorded=71).flags
    assert "not_adequately_responding" in _two_cycles(45, cycle2_recorded=72).flags


def test_not_adequately_responding_needs_a_baseline_rate():
    cycle1 = days("2026-03-01", 84)
    cycle2 = days("2026-05-24", 84)
    progress = compute(on(cycle1 + cycle2), sessions=["2026-03-01", "2026-05-24", "2026-08-16"])
    assert "not_adequately_responding" not in progress.flags
    with_reported = compute(
        on(cycle1 + cycle2), sessions=["2026-03-01", "2026-05-24", "2026-08-16"], reported_baseline="25"
    )
    assert "not_adequately_responding" in with_reported.flags


def _months_with(headache_days_per_month, recorded_per_month=None):
    """Session 1 June; today 15 October: months June to September, each recorded fully unless said."""
    starts = ["2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01"]
    lengths = [30, 31, 31, 30]
    attacks, free = [], []
    for index, (start, length) in enumerate(zip(starts, lengths, strict=True)):
        month = days(start, length)
        count = headache_days_per_month[index]
        recorded = length if recorded_per_month is None else recorded_per_month[index]
        attacks += on(month[:count])
        free += month[count:recorded]
    return compute(attacks, free=free, sessions=["2026-06-01"])


def test_changed_to_episodic_after_3_months_under_15_days():
    assert "changed_to_episodic" in _months_with([20, 14, 14, 14]).flags


def test_changed_to_episodic_does_not_fire_at_15_days():
    assert "changed_to_episodic" not in _months_with([20, 14, 15, 14]).flags


def test_changed_to_episodic_scales_partly_recorded_months():
    # September: 13 headache days in 26 recorded of 30 = 15.0 per month -> not under 15.
    assert "changed_to_episodic" not in _months_with([20, 10, 10, 13], recorded_per_month=[30, 31, 31, 26]).flags
    # 12 in 26 of 30 = 13.85 -> under 15.
    assert "changed_to_episodic" in _months_with([20, 10, 10, 12], recorded_per_month=[30, 31, 31, 26]).flags


def test_changed_to_episodic_needs_enough_data_in_each_month():
    assert "changed_to_episodic" not in _months_with([20, 5, 5, 5], recorded_per_month=[30, 31, 31, 25]).flags


def _window_days(count, start_offset=0):
    """count dates ending today - start_offset, one per day backwards."""
    return [TODAY - dt.timedelta(days=start_offset + i) for i in range(count)]


@pytest.mark.parametrize(
    ("meds_by_day", "fires"),
    [
        ([{"triptan"}] * 10, True),
        ([{"triptan"}] * 9, False),
        ([{"opioid"}] * 10, True),
        ([{"ergot"}] * 10, True),
        ([{"combination_analgesic"}] * 10, True),
        ([{"simple_analgesic"}] * 15, True),
        ([{"simple_analgesic"}] * 14, False),
        ([{"triptan"}] * 5 + [{"simple_analgesic"}] * 5, True),  # 10 days, two classes
        ([{"triptan"}] * 5 + [{"simple_analgesic"}] * 4, False),  # 9 days
        ([{"gepant"}] * 20, False),
        ([{"other"}] * 20, False),
        ([{"gepant", "simple_analgesic"}] * 10, False),  # gepants do not make a second class
    ],
)
def test_medication_overuse_risk_at_its_thresholds(meds_by_day, fires):
    attacks = [attack(date, meds=meds) for date, meds in zip(_window_days(len(meds_by_day)), meds_by_day, strict=True)]
    assert ("medication_overuse_risk" in compute(attacks).flags) is fires


def test_medication_overuse_window_is_today_minus_29_to_today():
    inside = [attack(date, meds={"triptan"}) for date in _window_days(10)]  # today .. today-9
    edge = [attack(date, meds={"triptan"}) for date in _window_days(10, start_offset=20)]  # today-20 .. today-29
    outside = [attack(date, meds={"triptan"}) for date in _window_days(10, start_offset=21)]  # .. today-30
    assert "medication_overuse_risk" in compute(edge).flags
    assert "medication_overuse_risk" not in compute(outside).flags
    assert "medication_overuse_risk" in compute(inside).flags


def test_medication_days_count_distinct_days():
    attacks = [
        attack(TODAY - dt.timedelta(days=i // 2), time=f"{8 + i % 2}:00".zfill(5), meds={"triptan"}) for i in range(18)
    ]
    assert "medication_overuse_risk" not in compute(attacks).flags  # 9 distinct days


@pytest.mark.parametrize(
    ("session", "recorded", "fires"),
    [
        ("2026-10-08", 6, False),  # 7 counted days (8-14), 6/7 = 24/28 exactly: not a gap
        ("2026-10-08", 5, True),  # 5/7 < 24/28
        ("2026-10-09", 0, False),  # only 6 counted days: too early to tell
        ("2026-09-01", 24, False),  # last 28 of 44 counted days, 24 recorded
        ("2026-09-01", 23, True),
    ],
)
def test_diary_gap(session, recorded, fires):
    # Today (15th) is unrecorded, so the counted days end on the 14th; mark the latest ones.
    latest_first = [d("2026-10-14") - dt.timedelta(days=i) for i in range(28)]
    counted = [date for date in latest_first if date >= d(session)]
    progress = compute(free=counted[:recorded], sessions=[session])
    assert ("diary_gap" in progress.flags) is fires


def test_urgent_side_effect_since_the_last_session_only():
    urgent_old = SideEffectData("swallowing_speaking_breathing", d("2026-07-05"))
    urgent_new = SideEffectData("swallowing_speaking_breathing", d("2026-10-01"))
    mild = SideEffectData("neck_pain", d("2026-10-02"))
    sessions = ["2026-07-01", "2026-10-01"]
    assert "urgent_side_effect" not in compute(sessions=sessions, side_effects=[urgent_old, mild]).flags
    assert "urgent_side_effect" in compute(sessions=sessions, side_effects=[urgent_new]).flags


@pytest.mark.parametrize(
    ("session", "flags"),
    [
        ("2026-07-31", []),  # 76 days before 15 October
        ("2026-07-30", ["session_due"]),  # 77 days
        ("2026-07-23", ["session_due"]),  # 84 days
        ("2026-07-22", ["session_due", "overdue"]),  # 85 days: overdue listed after session_due
    ],
)
def test_session_due_and_overdue(session, flags):
    progress = compute(sessions=[session])
    got = [f for f in progress.flags if f in ("session_due", "overdue")]
    assert got == flags


def test_the_day_counts_of_the_session_due_table():
    assert [(TODAY - d(s)).days for s in ["2026-07-31", "2026-07-30", "2026-07-23", "2026-07-22"]] == [76, 77, 84, 85]


def test_flags_come_in_the_table_s_order():
    attacks = [attack(date, meds={"triptan"}) for date in _window_days(10)]
    side_effects = [SideEffectData("swallowing_speaking_breathing", d("2026-07-22"))]
    progress = compute(attacks, sessions=["2026-07-22"], side_effects=side_effects)
    assert progress.flags == ["medication_overuse_risk", "diary_gap", "urgent_side_effect", "session_due", "overdue"]


def test_thresholds_are_settings():
    progress = compute(sessions=["2026-07-31"], rules=Rules(session_due_days=70))
    assert "session_due" in progress.flags


# ---------------------------------------------------------------- MIDAS and weeks


def test_midas_belongs_to_the_cycle_it_was_answered_in_the_latest_counting():
    answers = [
        MidasAnswer(d("2026-06-20"), 30),  # before the first session: no cycle
        MidasAnswer(d("2026-08-01"), 25, order=1),
        MidasAnswer(d("2026-09-10"), 12, order=2),  # latest in cycle 1
        MidasAnswer(d("2026-10-05"), 4, order=3),  # cycle 2
    ]
    progress = compute(sessions=["2026-07-01", "2026-09-23"], midas_answers=answers)
    assert (period(progress, 1).midas_score, period(progress, 1).midas_grade) == (12, "III")
    assert (period(progress, 2).midas_score, period(progress, 2).midas_grade) == (4, "I")
    payload = cycles.progress_json(progress, "UTC")
    assert "midas_score" not in payload["periods"][0]


@pytest.mark.parametrize(
    ("score", "grade"), [(0, "I"), (5, "I"), (6, "II"), (10, "II"), (11, "III"), (20, "III"), (21, "IV")]
)
def test_midas_grades(score, grade):
    assert cycles.midas_grade(score) == grade


def test_week_in_cycle_counts_headache_days_per_week():
    # Session 1 Sep; headache on the first 3 days of week 1 and 1 day of week 2; all recorded.
    cycle = days("2026-09-01", 44)
    attacks = on(cycle[:3]) + on([cycle[7]])
    free = cycle[3:7] + cycle[8:]
    weeks = period(compute(attacks, free=free, sessions=["2026-09-01"]), 1).weeks
    assert [(w["week"], w["headache_days"], w["days"]) for w in weeks[:3]] == [(1, 3, 7), (2, 1, 7), (3, 0, 7)]
    assert weeks[6]["days"] == 2  # week 7 starts 13 Oct: 13th and 14th counted, today unrecorded
    assert weeks[11]["days"] == 0
