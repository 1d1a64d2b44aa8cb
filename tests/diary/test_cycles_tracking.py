"""diary/cycles.py against CLINICAL.md "Menstruation", "How well acute medicines work" and "Daily
factors (possible triggers)", every expected value worked out by hand here.

UTC throughout, so that a day is 24 hours. "Now" is Thursday 15 October 2026, 12:00 UTC.
"""

import datetime as dt
import json
from fractions import Fraction

import pytest

from core import timeutil
from diary import cycles
from diary.cycles import AttackData, FactorCheckIn, Rules

UTC = timeutil.zone("UTC")
NOW = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 10, 15)


def d(text):
    return dt.date.fromisoformat(text)


def span(first, last):
    return timeutil.date_range(d(first), d(last))


def attack(date, time="09:00", severity=2, medicines=(), answers=(), aura=False):
    """One hour from `time`; with aura it is a migraine day (ICHD-3 (b)), without it only a headache day."""
    return AttackData(
        start_date=d(date),
        start_time=dt.time.fromisoformat(time),
        duration_minutes=60,
        severity=severity,
        aura=aura,
        medicine_classes=frozenset(cls for cls, _ in medicines),
        medicines=tuple(medicines),
        medicine_answers=tuple(answers),
    )


def compute(attacks=(), free=(), sessions=(), **kwargs):
    return cycles.compute(attacks, set(free), [d(s) for s in sessions], UTC, NOW, **kwargs)


# ---------------------------------------------------------------- menstruations and their windows


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        # One mark: day 1 is that date, the window day 1 - 2 .. day 1 + 2.
        (["2026-09-10"], [("2026-09-10", "2026-09-10", "2026-09-08", "2026-09-12")]),
        # 10 and 12 Sep are 2 days apart (a forgotten mark on the 11th): one menstruation.
        (["2026-09-10", "2026-09-12"], [("2026-09-10", "2026-09-12", "2026-09-08", "2026-09-12")]),
        # 10 and 13 Sep are 3 days apart: two.
        (
            ["2026-09-10", "2026-09-13"],
            [
                ("2026-09-10", "2026-09-10", "2026-09-08", "2026-09-12"),
                ("2026-09-13", "2026-09-13", "2026-09-11", "2026-09-15"),
            ],
        ),
        # Five days running, given out of order and one twice: one, day 1 the first.
        (
            ["2026-09-12", "2026-09-10", "2026-09-14", "2026-09-11", "2026-09-13", "2026-09-10"],
            [("2026-09-10", "2026-09-14", "2026-09-08", "2026-09-12")],
        ),
        # A mark dated tomorrow is not read ("Nothing is recorded in advance"); today's is.
        (["2026-10-15", "2026-10-16"], [("2026-10-15", "2026-10-15", "2026-10-13", "2026-10-17")]),
    ],
)
def test_menstruations_are_runs_of_marks_at_most_two_days_apart(marks, expected):
    progress = compute(menstruation_dates=[d(m) for m in marks])
    found = [
        (m.day1.isoformat(), m.last_marked.isoformat(), m.window_start.isoformat(), m.window_end.isoformat())
        for m in progress.menstruations
    ]
    assert found == expected


# Day 1 on 10 Sep: the window is 8 .. 12 Sep, which ICHD-3 numbers days -2, -1, 1, 2, 3 (no day 0).
# Every date 1 .. 20 Sep is recorded, headache-free except the migraine's date.
@pytest.mark.parametrize(
    ("migraine_on", "in_window"),
    [
        ("2026-09-07", False),  # day -3 (day 1 - 3)
        ("2026-09-08", True),  # day -2 (day 1 - 2), the window's first date
        ("2026-09-10", True),  # day 1
        ("2026-09-12", True),  # day +3 (day 1 + 2), the window's last date
        ("2026-09-13", False),  # day +4 (day 1 + 3), though still a bleeding day
    ],
)
def test_the_ichd3_window_at_its_edges(migraine_on, in_window):
    marks = span("2026-09-10", "2026-09-14")  # "my period started" on 10 Sep, for 5 days
    free = [date for date in span("2026-09-01", "2026-09-20") if date != d(migraine_on)]
    progress = compute([attack(migraine_on, aura=True)], free, menstruation_dates=marks)
    [menstruation] = progress.menstruations
    assert menstruation.assessable is True
    assert menstruation.migraine_in_window is in_window


def test_a_headache_day_without_migraine_features_is_no_migraine_day_in_the_window():
    free = [date for date in span("2026-09-01", "2026-09-20") if date != d("2026-09-10")]
    progress = compute([attack("2026-09-10", severity=3)], free, menstruation_dates=[d("2026-09-10")])
    assert progress.menstruations[0].migraine_in_window is False


@pytest.mark.parametrize(
    ("day1", "unrecorded", "assessable"),
    [
        ("2026-10-12", None, True),  # window 10 .. 14 Oct ends yesterday, all recorded
        ("2026-10-13", None, False),  # window 11 .. 15 Oct ends today: not before today
        ("2026-09-10", "2026-09-08", False),  # window 8 .. 12 Sep, its first date unrecorded
        ("2026-09-10", "2026-09-12", False),  # its last date unrecorded
        ("2026-09-10", "2026-09-07", True),  # the day before the window does not matter
        ("2026-09-10", "2026-09-13", True),  # nor the day after
    ],
)
def test_a_menstruation_is_assessable_when_its_window_ended_before_today_and_is_all_recorded(
    day1, unrecorded, assessable
):
    # Everything from 1 Sep to today recorded (today too), bar `unrecorded`.
    free = [date for date in span("2026-09-01", "2026-10-15") if unrecorded is None or date != d(unrecorded)]
    progress = compute(free=free, menstruation_dates=[d(day1)])
    assert progress.menstruations[0].assessable is assessable


def test_marks_and_check_ins_never_make_a_day_recorded():
    # Session 1 Oct; cycle 1 runs 1 .. 15 Oct with 14 counted days (today unrecorded), none recorded.
    progress = compute(
        sessions=["2026-10-01"],
        menstruation_dates=span("2026-10-02", "2026-10-06"),
        factor_checkins=[FactorCheckIn(d("2026-10-03"), {"stress"}, {"stress"})],
    )
    cycle = progress.periods[1]
    assert (cycle.days, cycle.days_recorded) == (14, 0)
    # Marks 2 .. 6 Oct are one menstruation, window 30 Sep .. 4 Oct, unrecorded: not assessable.
    assert [m.assessable for m in progress.menstruations] == [False]
    assert progress.factors == []


# ---------------------------------------------------------------- menstrual_pattern
#
# Three menstruations 28 days apart, each marked for 5 days: day 1 on 1 Jul, 29 Jul and 26 Aug.
# Windows: 29 Jun .. 3 Jul, 27 Jul .. 31 Jul, 24 Aug .. 28 Aug (15 dates).
# From the first window's start to the last one's end, 29 Jun .. 28 Aug: 2 (June) + 31 (July)
# + 28 (August) = 61 dates; outside the three windows 61 - 15 = 46.
# Completeness of those 46 against 24/28: 40/46 = 0.8696 >= 0.8571, 39/46 = 0.8478 < 0.8571.
THREE = ["2026-07-01", "2026-07-29", "2026-08-26"]
# Outside dates to leave unrecorded: 7 of them (1 .. 7 Aug) and 6 of them (1 .. 6 Aug).
SEVEN_GAPS = [f"2026-08-0{day}" for day in range(1, 8)]
SIX_GAPS = SEVEN_GAPS[:6]


def _pattern(day1s, migraines, unrecorded=(), first="2026-06-01", last="2026-10-15"):
    """Menstruations from day1s (5 bleeding days each); a migraine with aura on each of migraines;
    every other date first .. last headache-free, bar the unrecorded ones."""
    marks = [d(day) + dt.timedelta(days=i) for day in day1s for i in range(5)]
    skip = {d(date) for date in (*migraines, *unrecorded)}
    free = [date for date in span(first, last) if date not in skip]
    return compute([attack(date, aura=True) for date in migraines], free, menstruation_dates=marks)


@pytest.mark.parametrize(
    ("day1s", "migraines", "unrecorded", "pattern"),
    [
        # Migraine in 2 of the 3 windows (1 Jul day 1, 30 Jul day 2), none outside.
        (THREE, ["2026-07-01", "2026-07-30"], (), "pure_menstrual"),
        # In all 3 windows, at their edges: 29 Jun (day -2), 31 Jul (day +3), 24 Aug (day -2).
        (THREE, ["2026-06-29", "2026-07-31", "2026-08-24"], (), "pure_menstrual"),
        # In only 1 of the 3 windows: "none", even with migraines outside them.
        (THREE, ["2026-07-01", "2026-07-15"], (), "none"),
        # No migraine at all.
        (THREE, [], (), "none"),
        # 2 windows, and one outside date a migraine day: 4 Jul, the day after the first window.
        (THREE, ["2026-07-01", "2026-07-29", "2026-07-04"], (), "menstrually_related"),
        # ... 23 Aug, the day before the last window.
        (THREE, ["2026-07-01", "2026-07-29", "2026-08-23"], (), "menstrually_related"),
        # 28 Jun (before the first window) and 29 Aug (after the last) are not between them.
        (THREE, ["2026-07-01", "2026-07-29", "2026-06-28", "2026-08-29"], (), "pure_menstrual"),
        # 2 windows, no migraine outside, 6 outside dates unrecorded: 40/46 >= 24/28.
        (THREE, ["2026-07-01", "2026-07-29"], SIX_GAPS, "pure_menstrual"),
        # ... 7 unrecorded: 39/46 < 24/28, too little diary between them to tell.
        (THREE, ["2026-07-01", "2026-07-29"], SEVEN_GAPS, "perimenstrual"),
    ],
)
def test_menstrual_pattern(day1s, migraines, unrecorded, pattern):
    progress = _pattern(day1s, migraines, unrecorded)
    assert [m.day1.isoformat() for m in progress.menstrual_basis] == THREE
    assert progress.menstrual_pattern == pattern


def test_pure_menstrual_when_there_is_no_date_between_the_windows():
    # Day 1 marked alone on 1, 6 and 11 Jul (5 days apart: three menstruations); windows
    # 29 Jun .. 3 Jul, 4 .. 8 Jul, 9 .. 13 Jul touch, so no date lies outside them.
    marks = [d("2026-07-01"), d("2026-07-06"), d("2026-07-11")]
    free = [date for date in span("2026-06-20", "2026-07-20") if date not in {d("2026-07-01"), d("2026-07-06")}]
    attacks = [attack("2026-07-01", aura=True), attack("2026-07-06", aura=True)]
    progress = compute(attacks, free, menstruation_dates=marks)
    assert progress.menstrual_between == cycles.BetweenWindows(days=0, days_recorded=0, migraine_days=0)
    assert progress.menstrual_pattern == "pure_menstrual"


def test_the_figures_between_the_windows():
    # 46 outside dates, 7 unrecorded (39 recorded), one of them a migraine day (15 Jul).
    progress = _pattern(THREE, ["2026-07-01", "2026-07-29", "2026-07-15"], SEVEN_GAPS)
    assert progress.menstrual_between == cycles.BetweenWindows(days=46, days_recorded=39, migraine_days=1)
    assert progress.menstrual_pattern == "menstrually_related"


@pytest.mark.parametrize(
    ("day1s", "unrecorded", "pattern", "basis"),
    [
        # Only 2 assessable: 26 Aug's window has 25 Aug unrecorded. Null, resting on the 2.
        (THREE, ["2026-08-25"], None, ["2026-07-01", "2026-07-29"]),
        # 3 assessable: migraines on 1 Jul and 29 Jul (below) are in 2 windows.
        (THREE, [], "pure_menstrual", THREE),
        # A 4th, more recent, not assessable (23 Sep's window 21 .. 25 Sep has 21 Sep unrecorded):
        # the 3 most recent ASSESSABLE ones are still the three.
        ([*THREE, "2026-09-23"], ["2026-09-21"], "pure_menstrual", THREE),
        # A 4th assessable one before them (3 Jun, window 1 .. 5 Jun), the oldest: left out.
        (["2026-06-03", *THREE], [], "pure_menstrual", THREE),
        # A 4th assessable one after them (23 Sep): the three are 29 Jul, 26 Aug, 23 Sep, of which
        # only 29 Jul's window holds a migraine: "none" (the oldest three would say pure).
        ([*THREE, "2026-09-23"], [], "none", ["2026-07-29", "2026-08-26", "2026-09-23"]),
    ],
)
def test_three_most_recent_assessable_menstruations(day1s, unrecorded, pattern, basis):
    progress = _pattern(day1s, ["2026-07-01", "2026-07-29"], unrecorded)
    assert [m.day1.isoformat() for m in progress.menstrual_basis] == basis
    assert progress.menstrual_pattern == pattern


def test_the_window_of_a_menstruation_not_among_the_three_counts_as_outside():
    # A 4th menstruation on 15 Jul (window 13 .. 17 Jul) with 13 Jul unrecorded is not assessable,
    # so the three are 1 Jul, 29 Jul, 26 Aug; its migraine on 15 Jul lies outside their windows.
    progress = _pattern(
        ["2026-07-01", "2026-07-15", "2026-07-29", "2026-08-26"],
        ["2026-07-01", "2026-07-29", "2026-07-15"],
        ["2026-07-13"],
    )
    assert [m.day1.isoformat() for m in progress.menstrual_basis] == THREE
    assert progress.menstrual_pattern == "menstrually_related"


def test_menstrual_pattern_is_the_same_with_sessions():
    # A session on 1 Sep changes nothing of the pattern (it does not depend on cycles).
    marks = [d(day) + dt.timedelta(days=i) for day in THREE for i in range(5)]
    free = [date for date in span("2026-06-01", "2026-10-15") if date not in {d("2026-07-01"), d("2026-07-30")}]
    attacks = [attack("2026-07-01", aura=True), attack("2026-07-30", aura=True)]
    progress = compute(attacks, free, sessions=["2026-09-01"], menstruation_dates=marks)
    assert progress.menstrual_pattern == "pure_menstrual"


def test_no_marks_no_pattern():
    progress = compute(free=span("2026-06-01", "2026-10-15"))
    assert (progress.menstrual_pattern, progress.menstruations, progress.menstrual_basis) == (None, [], [])
    assert progress.menstrual_between is None


# ---------------------------------------------------------------- acute_medicines
#
# The window is today - 89 .. today: 15 Oct - 89 days = 18 Jul (18 .. 31 Jul is 14 dates,
# August 31, September 30, 1 .. 15 Oct 15: 14 + 31 + 30 + 15 = 90).

SUMA = "Sumatriptan 50 mg"


def _medicine_rows(progress):
    return [
        (m.name, m.drug_class, m.uses, m.answered, m.pain_free_2h, m.pain_free_2h_pct, m.relief_2h_pct)
        for m in progress.acute_medicines
    ]


def test_acute_medicines_grouped_counted_and_sorted():
    attacks = [
        attack("2026-07-17", medicines=[("triptan", SUMA)], answers=["pain_free"]),  # today - 90: out
        attack("2026-07-20", medicines=[("triptan", SUMA)], answers=["pain_free"]),
        attack("2026-07-25", medicines=[("triptan", " sumatriptan 50 MG ")], answers=["better"]),  # same one
        attack("2026-08-01", medicines=[("triptan", "Sumatriptan  50 mg")]),  # inner spaces count: another
        attack(
            "2026-08-02",
            medicines=[("simple_analgesic", ""), ("simple_analgesic", "Ibuprofen")],
            answers=["same", "worse"],
        ),
        attack(
            "2026-08-03",
            medicines=[("triptan", ""), ("other", "triptan")],  # unnamed triptan, and one NAMED "triptan"
            answers=[None, "pain_free"],
        ),
        # Ibuprofen written twice for one attack: two uses.
        attack(
            "2026-08-10",
            medicines=[("simple_analgesic", "Ibuprofen"), ("simple_analgesic", "ibuprofen")],
            answers=["better", "pain_free"],
        ),
        # Today (within the window), no answer yet, filed under "other": the class is the latest's.
        attack("2026-10-15", time="08:00", medicines=[("other", "SUMATRIPTAN 50 mg")]),
    ]
    progress = compute(attacks)
    assert _medicine_rows(progress) == [
        # Ibuprofen: 2 Aug worse, 10 Aug better and pain_free: 3 uses, 3 answers, 1 pain free;
        # 1/3 x 100 = 100/3 %, relief (1 + 1)/3 x 100 = 200/3 %.
        ("Ibuprofen", "simple_analgesic", 3, 3, 1, Fraction(100, 3), Fraction(200, 3)),
        # Sumatriptan: 20 Jul pain_free, 25 Jul better, 15 Oct unanswered: 3 uses, 2 answers;
        # 1/2 = 50 %, relief 2/2 = 100 %. Name as written on 20 Jul, class of 15 Oct's.
        (SUMA, "other", 3, 2, 1, Fraction(50), Fraction(100)),
        # One use each, by name in code points: "S" (83) < "s" (115) < "t" (116).
        ("Sumatriptan  50 mg", "triptan", 1, 0, 0, None, None),
        ("simple_analgesic", "simple_analgesic", 1, 1, 0, Fraction(0), Fraction(0)),  # "same": no relief
        ("triptan", "other", 1, 1, 1, Fraction(100), Fraction(100)),  # the one named "triptan"
        ("triptan", "triptan", 1, 0, 0, None, None),  # the unnamed triptan, by its class
    ]
    # "few answers yet" below 5 answers.
    assert [m.few_answers for m in progress.acute_medicines] == [True] * 6


@pytest.mark.parametrize(
    ("date", "counted"),
    [
        ("2026-07-17", False),  # today - 90
        ("2026-07-18", True),  # today - 89, the window's first date
        ("2026-10-15", True),  # today
        ("2026-10-16", False),  # tomorrow (a record kept through a change of time zone)
    ],
)
def test_the_90_day_window_at_its_edges(date, counted):
    progress = compute([attack(date, time="00:30", medicines=[("triptan", SUMA)])])
    assert [m.uses for m in progress.acute_medicines] == ([1] if counted else [])


def test_an_attack_counts_on_its_start_date():
    # 17 Jul 23:30 for an hour reaches into 18 Jul, but starts before the window.
    progress = compute([attack("2026-07-17", time="23:30", medicines=[("triptan", SUMA)])])
    assert progress.acute_medicines == []


def test_name_from_the_earliest_starting_item_and_class_from_the_latest():
    attacks = [
        # Given out of order: 10 Aug 08:00 before 10 Aug 07:00.
        attack("2026-08-10", time="08:00", medicines=[("triptan", "zolmitriptan")]),
        attack("2026-08-10", time="07:00", medicines=[("triptan", "Zolmitriptan")]),
        # One attack, two items of one medicine: the name is the earlier item's, the class the later's.
        attack("2026-08-12", medicines=[("other", "Rizatriptan"), ("triptan", "rizatriptan ")]),
    ]
    assert _medicine_rows(compute(attacks)) == [
        ("Rizatriptan", "triptan", 2, 0, 0, None, None),
        ("Zolmitriptan", "triptan", 2, 0, 0, None, None),
    ]


def test_a_name_with_an_at_sign_groups_like_any_other():
    # The CSV writes "@" as "@@"; the computation sees the name itself, so "@Home" and " @home"
    # are one medicine and the "@" is no answer.
    attacks = [
        attack("2026-09-01", medicines=[("other", "@Home")], answers=["better"]),
        attack("2026-09-02", medicines=[("other", " @home")], answers=["worse"]),
        attack("2026-09-03", medicines=[("other", "a@@b")]),
    ]
    # @Home: 2 uses, 2 answers, 0 pain free; relief 1/2 = 50 %. "@" (64) sorts before "a" (97).
    assert _medicine_rows(compute(attacks)) == [
        ("@Home", "other", 2, 2, 0, Fraction(0), Fraction(50)),
        ("a@@b", "other", 1, 0, 0, None, None),
    ]


def test_few_answers_below_five():
    # 5 answers (3 pain free, 1 better, 1 worse): 60 % pain free, 80 % relief, not "few".
    answers = ["pain_free", "pain_free", "pain_free", "better", "worse"]
    attacks = [
        attack(f"2026-09-0{i + 1}", medicines=[("triptan", SUMA)], answers=[answer]) for i, answer in enumerate(answers)
    ]
    [effect] = compute(attacks).acute_medicines
    assert (effect.answered, effect.pain_free_2h_pct, effect.relief_2h_pct, effect.few_answers) == (
        5,
        Fraction(60),
        Fraction(80),
        False,
    )
    [effect] = compute(attacks[:4]).acute_medicines  # 4 answers
    assert effect.few_answers is True


def test_fewer_answers_than_medicines_leave_the_rest_unanswered():
    item = attack("2026-09-01", medicines=[("triptan", SUMA), ("simple_analgesic", "")], answers=["pain_free"])
    assert item.medicine_items() == [("triptan", SUMA, "pain_free"), ("simple_analgesic", "", None)]


@pytest.mark.parametrize(
    ("medicines", "answers"),
    [
        ([("triptan", SUMA)], ["gone"]),  # not one of the four answers
        ([("triptan", SUMA)], ["Pain_free"]),  # the views and the CSV import write them in lower case
        ([("triptan", SUMA)], ["better", "better"]),  # an answer for a medicine that was not taken
    ],
)
def test_a_wrong_answer_is_refused(medicines, answers):
    with pytest.raises(ValueError):
        attack("2026-09-01", medicines=medicines, answers=answers)


# ---------------------------------------------------------------- factors
#
# Dates counted: today - 179 .. today - 1 = 19 Apr .. 14 Oct (15 Oct - 179 days: back to 1 May
# is 167 days, 12 more is 19 Apr), with a check-in, the date and the next date both recorded.


def check(date, present, listed=("poor sleep", "stress")):
    return FactorCheckIn(d(date), frozenset(listed), frozenset(present))


def _factor_rows(progress):
    return [
        (f.name, f.days_with, f.headache_after_with, f.days_without, f.headache_after_without) for f in progress.factors
    ]


def test_factors_counted_by_hand():
    # 1 .. 15 Oct recorded except 8 Oct; headache days 3, 6, 10 and 15 Oct (today, 09:00, recorded).
    headaches = ["2026-10-03", "2026-10-06", "2026-10-10", "2026-10-15"]
    free = [date for date in span("2026-10-01", "2026-10-15") if date.isoformat() not in {*headaches, "2026-10-08"}]
    checkins = [
        check("2026-10-01", {"poor sleep"}),  # 1 free, 2 free: no headache after
        check("2026-10-02", {"poor sleep"}),  # 3 Oct a headache day: after
        check("2026-10-03", set()),  # itself a headache day: after
        check("2026-10-05", {"stress"}),  # 6 Oct: after
        check("2026-10-07", {"poor sleep", "stress"}),  # 8 Oct unrecorded: not counted
        check("2026-10-08", {"poor sleep"}),  # itself unrecorded: not counted
        check("2026-10-09", {"stress"}),  # 10 Oct: after
        check("2026-10-11", {"alcohol"}, ("poor sleep", "stress", "alcohol")),  # 11, 12 free: not after
        check("2026-10-14", {"poor sleep"}),  # today a headache day: after
    ]
    progress = compute([attack(date) for date in headaches], free, factor_checkins=checkins)
    # Counted: 1, 2, 3, 5, 9, 11, 14 Oct.
    assert _factor_rows(progress) == [
        # alcohol is listed on 11 Oct only: with 1 (not after), without 0.
        ("alcohol", 1, 0, 0, 0),
        # poor sleep with: 1 (no), 2 (yes), 14 (yes) = 3, 2 after; without: 3, 5, 9 (yes), 11 (no) = 4, 3.
        ("poor sleep", 3, 2, 4, 3),
        # stress with: 5, 9 (yes) = 2, 2; without: 1 (no), 2, 3 (yes), 11 (no), 14 (yes) = 5, 3.
        ("stress", 2, 2, 5, 3),
    ]


@pytest.mark.parametrize(
    ("date", "today_recorded", "counted"),
    [
        ("2026-04-18", True, False),  # today - 180
        ("2026-04-19", True, True),  # today - 179, the first date
        ("2026-10-14", True, True),  # today - 1, its next day today recorded
        ("2026-10-14", False, False),  # ... today not recorded (yet)
        ("2026-10-15", True, False),  # today itself
    ],
)
def test_the_180_day_window_at_its_edges(date, today_recorded, counted):
    free = [day for day in span("2026-04-01", "2026-10-15") if today_recorded or day != TODAY]
    progress = compute(free=free, factor_checkins=[check(date, {"stress"})])
    # Everything headache-free: a counted date is 1 with stress, 1 without poor sleep, none after.
    assert _factor_rows(progress) == ([("poor sleep", 0, 0, 1, 0), ("stress", 1, 0, 0, 0)] if counted else [])


@pytest.mark.parametrize(
    ("date", "counted"),
    [("2026-04-18", False), ("2026-04-19", True), ("2026-10-14", True), ("2026-10-15", False)],
)
def test_factor_counts_keeps_to_its_window_whatever_days_it_is_given(date, counted):
    # Days known from 1 Apr to tomorrow (16 Oct), all headache-free: only today - 179 .. today - 1 count.
    infos = cycles.day_infos([], set(span("2026-04-01", "2026-10-16")), UTC, NOW, d("2026-04-01"), d("2026-10-16"))
    factors = cycles.factor_counts([check(date, {"stress"}, ["stress"])], TODAY, {i.date: i for i in infos})
    assert [(f.name, f.days_with) for f in factors] == ([("stress", 1)] if counted else [])


@pytest.mark.parametrize(
    ("headache_on", "after"),
    [
        ("2026-09-09", False),  # the day before the check-in's date
        ("2026-09-10", True),  # the date itself
        ("2026-09-11", True),  # the next date
        ("2026-09-12", False),  # two days later
    ],
)
def test_headache_after_is_the_date_or_the_next(headache_on, after):
    free = [day for day in span("2026-09-01", "2026-09-20") if day != d(headache_on)]
    progress = compute([attack(headache_on)], free, factor_checkins=[check("2026-09-10", {"stress"}, ["stress"])])
    assert _factor_rows(progress) == [("stress", 1, int(after), 0, 0)]


def test_factor_names_are_compared_exactly():
    # CLINICAL.md: "factor names are compared exactly", unlike medicine names: three factors.
    free = span("2026-09-01", "2026-09-20")
    checkins = [
        check("2026-09-01", {"Poor sleep"}, ["Poor sleep"]),
        check("2026-09-02", {"poor sleep"}, ["poor sleep"]),
        check("2026-09-03", set(), ["poor sleep "]),
    ]
    # Code points: "P" (80) < "p" (112); "poor sleep" < "poor sleep " (a prefix first).
    assert _factor_rows(compute(free=free, factor_checkins=checkins)) == [
        ("Poor sleep", 1, 0, 0, 0),
        ("poor sleep", 1, 0, 0, 0),
        ("poor sleep ", 0, 0, 1, 0),
    ]


def test_a_present_factor_counts_as_listed():
    checkin = FactorCheckIn(d("2026-09-01"), ["stress"], ["alcohol"])
    assert (checkin.listed, checkin.present) == (frozenset({"stress", "alcohol"}), frozenset({"alcohol"}))


@pytest.mark.parametrize(("with_", "without", "enough"), [(10, 10, True), (9, 10, False), (10, 9, False)])
def test_the_shares_are_shown_from_10_days_with_and_10_without(with_, without, enough):
    dates = span("2026-09-01", "2026-09-30")
    free = span("2026-09-01", "2026-10-01")
    checkins = [check(day.isoformat(), {"stress"}, ["stress"]) for day in dates[:with_]]
    checkins += [check(day.isoformat(), set(), ["stress"]) for day in dates[with_ : with_ + without]]
    [factor] = compute(free=free, factor_checkins=checkins).factors
    assert (factor.days_with, factor.days_without, factor.enough_days) == (with_, without, enough)


# ---------------------------------------------------------------- rules and the JSON


def test_the_new_thresholds_and_their_defaults():
    rules = cycles.DEFAULT_RULES
    assert (rules.menstruation_gap_days, rules.menstrual_window_before, rules.menstrual_window_after) == (2, 2, 2)
    assert (rules.menstruations_needed, rules.menstrual_windows_with_migraine) == (3, 2)
    assert (rules.acute_medicine_days, rules.medicine_few_answers) == (90, 5)
    assert (rules.factor_window_days, rules.factor_min_days) == (179, 10)


def test_rules_from_a_settings_dict_without_the_new_keys():
    assert cycles.rules_from({"baseline_days": 28, "ahs_midas_points": 5}) == cycles.DEFAULT_RULES
    assert cycles.rules_from({"acute_medicine_days": 30}).acute_medicine_days == 30


def test_a_clinic_rule_changes_the_window():
    # With a 30-day window (today - 29 = 16 Sep), an attack on 15 Sep is out.
    attacks = [attack("2026-09-15", medicines=[("triptan", SUMA)]), attack("2026-09-16", medicines=[("triptan", SUMA)])]
    [effect] = compute(attacks, rules=Rules(acute_medicine_days=30)).acute_medicines
    assert effect.uses == 1


MEDICINE_TYPES = {
    "name": str,
    "class": str,
    "uses": int,
    "answered": int,
    "pain_free_2h": int,
    "pain_free_2h_pct": (float, type(None)),
    "relief_2h_pct": (float, type(None)),
}
FACTOR_TYPES = {
    "name": str,
    "days_with": int,
    "headache_after_with": int,
    "days_without": int,
    "headache_after_without": int,
}


def _json(progress):
    return json.loads(json.dumps(cycles.progress_json(progress, "UTC")))


def test_the_new_json_keys_and_their_types():
    attacks = [
        attack("2026-07-01", aura=True),
        attack("2026-07-30", aura=True, medicines=[("triptan", SUMA), ("other", "")], answers=["better"]),
    ]
    marks = [d(day) + dt.timedelta(days=i) for day in THREE for i in range(5)]
    free = [day for day in span("2026-06-01", "2026-10-15") if day not in {d("2026-07-01"), d("2026-07-30")}]
    checkins = [check("2026-10-01", {"stress"})]
    for sessions in ([], ["2026-09-01"]):
        data = _json(compute(attacks, free, sessions, menstruation_dates=marks, factor_checkins=checkins))
        assert data["menstrual_pattern"] == "pure_menstrual"
        # 30 Jul is 77 days before today: in the 90-day window. triptan: better, so 0 % and 100 %.
        assert data["acute_medicines"] == [
            {
                "name": SUMA,
                "class": "triptan",
                "uses": 1,
                "answered": 1,
                "pain_free_2h": 0,
                "pain_free_2h_pct": 0.0,
                "relief_2h_pct": 100.0,
            },
            {
                "name": "other",
                "class": "other",
                "uses": 1,
                "answered": 0,
                "pain_free_2h": 0,
                "pain_free_2h_pct": None,
                "relief_2h_pct": None,
            },
        ]
        # 1 and 2 Oct headache-free: 1 Oct is a day with stress and without poor sleep, none after.
        assert data["factors"] == [
            {
                "name": "poor sleep",
                "days_with": 0,
                "headache_after_with": 0,
                "days_without": 1,
                "headache_after_without": 0,
            },
            {
                "name": "stress",
                "days_with": 1,
                "headache_after_with": 0,
                "days_without": 0,
                "headache_after_without": 0,
            },
        ]
        for entry in data["acute_medicines"]:
            assert set(entry) == set(MEDICINE_TYPES)
            assert all(isinstance(entry[key], kind) for key, kind in MEDICINE_TYPES.items())
        for entry in data["factors"]:
            assert set(entry) == set(FACTOR_TYPES)
            assert all(isinstance(entry[key], kind) for key, kind in FACTOR_TYPES.items())


@pytest.mark.parametrize("sessions", [[], ["2026-09-01"]])
def test_the_new_keys_are_always_present(sessions):
    data = _json(compute(sessions=sessions))
    assert (data["menstrual_pattern"], data["acute_medicines"], data["factors"]) == (None, [], [])


def test_the_pct_is_a_float_of_the_exact_fraction():
    # 1 pain free of 3 answers: 100/3 % as a float, unrounded.
    answers = ["pain_free", "same", "worse"]
    attacks = [attack(f"2026-09-0{i + 1}", medicines=[("triptan", SUMA)], answers=[a]) for i, a in enumerate(answers)]
    [entry] = _json(compute(attacks))["acute_medicines"]
    assert (entry["pain_free_2h_pct"], entry["relief_2h_pct"]) == (100 / 3, 100 / 3)
