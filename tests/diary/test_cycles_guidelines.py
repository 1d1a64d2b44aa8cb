"""diary/cycles.py against CLINICAL.md "Other preventive treatments", "Eligibility for Botox
(NICE TA260)" and "Response by guideline", every expected value worked out by hand here.

UTC throughout, so that a day is 24 hours. "Now" is Thursday 15 October 2026, 12:00 UTC unless a
test says otherwise.
"""

import datetime as dt
import json
from fractions import Fraction

import pytest

from core import timeutil
from diary import cycles
from diary.cycles import AttackData, MidasAnswer, PreventiveCourse, Rules

UTC = timeutil.zone("UTC")
NOW = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 10, 15)


def d(text):
    return dt.date.fromisoformat(text)


def days(first, count):
    return [d(first) + dt.timedelta(days=i) for i in range(count)]


def attack(date, severity=2, meds=(), **features):
    """09:00 for an hour; without features it is a headache day but no migraine day."""
    return AttackData(
        start_date=d(date) if isinstance(date, str) else date,
        start_time=dt.time(9, 0),
        duration_minutes=60,
        severity=severity,
        medicine_classes=frozenset(meds),
        **features,
    )


def compute(attacks=(), free=(), sessions=(), now=NOW, **kwargs):
    return cycles.compute(attacks, set(free), [d(s) for s in sessions], UTC, now, **kwargs)


def course(name, drug_class, start, stop=None, reason=""):
    return PreventiveCourse(name, drug_class, d(start), d(stop) if stop else None, reason)


# ---------------------------------------------------------------- preventive courses

# Sessions 1 July and 23 September 2026, today 15 October (unrecorded):
#   baseline 3 Jun .. 30 Jun, cycle 1 1 Jul .. 22 Sep, cycle 2 23 Sep .. 15 Oct.
PERIOD_EDGE_COURSES = [
    course("Propranolol", "beta_blocker", "2026-05-01", "2026-06-02", "not_effective"),  # stops the day before baseline
    course("Metoprolol", "beta_blocker", "2026-06-03", "2026-07-01", "side_effects"),  # baseline's 1st day .. session 1
    course("Topiramate", "antiepileptic", "2026-07-01"),  # starts on session 1's day, never stops
    course("Venlafaxine", "antidepressant", "2026-08-01", "2026-09-22", "not_effective"),  # stops on cycle 1's last day
    course("Flunarizine", "flunarizine", "2026-09-23", "2026-09-23", "other"),  # started and stopped on session 2's day
    course("Topiramate", "antiepileptic", "2026-10-01"),  # the same name again, overlapping the first
    course("Candesartan", "candesartan", "2026-10-15"),  # today, which is not recorded
    course("atogepant", "gepant_preventive", "2026-10-15"),  # today; lower case sorts after upper case
]


def _edge_progress():
    return compute(sessions=["2026-07-01", "2026-09-23"], preventives=PERIOD_EDGE_COURSES)


def _changes(period):
    return [(c.date.isoformat(), c.change, c.name, c.drug_class) for c in period.preventive_changes]


@pytest.mark.parametrize(
    ("number", "changes", "during"),
    [
        (
            0,  # baseline 3 Jun .. 30 Jun: Propranolol stopped on 2 Jun, outside it and not active in it
            [("2026-06-03", "started", "Metoprolol", "beta_blocker")],
            ["Metoprolol"],
        ),
        (
            1,  # cycle 1 1 Jul .. 22 Sep: on 1 Jul "started" comes first although "Metoprolol" < "Topiramate"
            [
                ("2026-07-01", "started", "Topiramate", "antiepileptic"),
                ("2026-07-01", "stopped", "Metoprolol", "beta_blocker"),
                ("2026-08-01", "started", "Venlafaxine", "antidepressant"),
                ("2026-09-22", "stopped", "Venlafaxine", "antidepressant"),
            ],
            ["Metoprolol", "Topiramate", "Venlafaxine"],  # Metoprolol was still taken on 1 Jul
        ),
        (
            2,  # cycle 2 23 Sep .. 15 Oct (today, unrecorded, still counts for changes)
            [
                ("2026-09-23", "started", "Flunarizine", "flunarizine"),
                ("2026-09-23", "stopped", "Flunarizine", "flunarizine"),
                ("2026-10-01", "started", "Topiramate", "antiepileptic"),
                ("2026-10-15", "started", "Candesartan", "candesartan"),  # "C" (67) before "a" (97)
                ("2026-10-15", "started", "atogepant", "gepant_preventive"),
            ],
            # Venlafaxine stopped on 22 Sep: not active here. Topiramate (two courses) once.
            ["Candesartan", "Flunarizine", "Topiramate", "atogepant"],
        ),
    ],
)
def test_preventive_changes_and_preventives_during_at_period_edges(number, changes, during):
    period = _edge_progress().periods[number]
    assert _changes(period) == changes
    assert period.preventives_during == during


def test_preventive_changes_in_the_json():
    payload = cycles.progress_json(_edge_progress(), "UTC")
    assert payload["periods"][0]["preventive_changes"] == [
        {"name": "Metoprolol", "class": "beta_blocker", "change": "started", "date": "2026-06-03"}
    ]
    assert payload["periods"][2]["preventive_changes"][0] == {
        "name": "Flunarizine",
        "class": "flunarizine",
        "change": "started",
        "date": "2026-09-23",
    }
    assert payload["periods"][2]["preventives_during"] == ["Candesartan", "Flunarizine", "Topiramate", "atogepant"]


def test_names_are_kept_exactly_as_written():
    # One period (cycle 1 from 1 Oct): three spellings are three names; two identical ones are one.
    courses = [
        course("Topiramate", "antiepileptic", "2026-10-02"),
        course("topiramate ", "antiepileptic", "2026-10-03"),
        course("TOPIRAMATE", "antiepileptic", "2026-10-04"),
        course("Topiramate", "antiepileptic", "2026-10-05"),
    ]
    cycle = compute(sessions=["2026-10-01"], preventives=courses).periods[1]
    assert cycle.preventives_during == ["TOPIRAMATE", "Topiramate", "topiramate "]  # code points: "O" < "o"
    assert [c.name for c in cycle.preventive_changes] == ["Topiramate", "topiramate ", "TOPIRAMATE", "Topiramate"]


def test_no_courses_means_empty_lists():
    progress = compute(sessions=["2026-10-01"])
    assert [(p.preventive_changes, p.preventives_during) for p in progress.periods] == [([], []), ([], [])]


@pytest.mark.parametrize(
    ("start", "stop", "date", "active"),
    [
        ("2026-10-05", None, "2026-10-04", False),
        ("2026-10-05", None, "2026-10-05", True),  # start <= date
        ("2026-10-05", "2026-10-08", "2026-10-08", True),  # stop >= date
        ("2026-10-05", "2026-10-08", "2026-10-09", False),
    ],
)
def test_a_course_is_active_from_its_start_to_its_stop_inclusive(start, stop, date, active):
    assert course("X", "other", start, stop, "other" if stop else "").active_on(d(date)) is active


def test_a_course_stopped_before_it_started_is_never_active():
    # Forms refuse it; should one get through, it is two changes but never taken.
    courses = [course("X", "other", "2026-10-08", "2026-10-04", "other")]
    cycle = compute(sessions=["2026-10-01"], preventives=courses).periods[1]
    assert (len(cycle.preventive_changes), cycle.preventives_during) == (2, [])


# ---------------------------------------------------------------- eligibility

FIRST = "2026-07-01"  # the first session of the eligibility tests


@pytest.mark.parametrize(
    ("courses", "failed", "three"),
    [
        (
            [
                course("Propranolol", "beta_blocker", "2026-01-01", "2026-02-01", "not_effective"),
                course("Topiramate", "antiepileptic", "2026-02-01", "2026-04-01", "side_effects"),
                course("Amitriptyline", "antidepressant", "2026-04-01", "2026-06-01", "not_effective"),
            ],
            3,  # exactly the 3 NICE asks for
            True,
        ),
        (
            [
                course("Propranolol", "beta_blocker", "2026-01-01", "2026-02-01", "not_effective"),
                course("Topiramate", "antiepileptic", "2026-02-01", "2026-04-01", "side_effects"),
            ],
            2,
            False,
        ),
        (
            [
                course(" Propranolol", "beta_blocker", "2026-01-01", "2026-02-01", "not_effective"),
                course("propranolol", "beta_blocker", "2026-03-01", "2026-04-01", "side_effects"),
                course("PROPRANOLOL\t", "beta_blocker", "2026-05-01", "2026-06-01", "not_effective"),
            ],
            1,  # the same name after strip() and casefold()
            False,
        ),
        (
            [
                course("Sodium valproate", "antiepileptic", "2026-01-01", "2026-02-01", "not_effective"),
                course("Sodium  valproate", "antiepileptic", "2026-03-01", "2026-04-01", "not_effective"),
            ],
            2,  # inner spaces count
            False,
        ),
        ([course("Propranolol", "beta_blocker", "2026-01-01", "2026-02-01", "other")], 0, False),  # reason other
        ([course("Propranolol", "beta_blocker", "2026-01-01")], 0, False),  # still taken
        (
            [course("Propranolol", "beta_blocker", "2026-06-30", "2026-07-01", "not_effective")],
            1,
            False,
        ),  # stop = session
        (
            [course("Propranolol", "beta_blocker", "2026-06-30", "2026-07-02", "not_effective")],
            0,
            False,
        ),  # stop after it
        (
            [course("Propranolol", "beta_blocker", "2026-07-01", "2026-07-01", "not_effective")],
            0,
            False,
        ),  # start = session
    ],
)
def test_prior_preventives_failed(courses, failed, three):
    eligibility = compute(sessions=[FIRST], preventives=courses).eligibility
    assert (eligibility.prior_preventives_failed, eligibility.three_preventives_failed) == (failed, three)


def test_the_period_edge_courses_count_two_failed():
    # Propranolol (not effective, stopped 2 Jun) and Metoprolol (side effects, stopped on session 1's day).
    eligibility = _edge_progress().eligibility
    assert (eligibility.prior_preventives_failed, eligibility.three_preventives_failed) == (2, False)


def test_three_failed_is_a_setting():
    courses = [course("Propranolol", "beta_blocker", "2026-01-01", "2026-02-01", "not_effective")]
    eligibility = compute(sessions=[FIRST], preventives=courses, rules=Rules(preventives_failed_needed=1)).eligibility
    assert eligibility.three_preventives_failed is True


def _baseline(first, headache, migraine, recorded):
    """From `first`: `migraine` days with aura (migraine days), then headache days without migraine
    features up to `headache`, then headache-free marks up to `recorded` days."""
    dates = days(first, recorded)
    attacks = [attack(date, aura=True) for date in dates[:migraine]]
    attacks += [attack(date) for date in dates[migraine:headache]]
    return attacks, dates[headache:]


@pytest.mark.parametrize(
    ("rules", "headache", "migraine", "recorded", "chronic"),
    [
        # Default baseline 3 Jun .. 30 Jun (28 days). Per month = days / recorded x 28 x 30 / 28 = 30 x days / recorded.
        (Rules(), 12, 8, 24, True),  # 30 x 12 / 24 = 15 exactly; 30 x 8 / 24 = 10
        (Rules(), 11, 8, 24, False),  # 30 x 11 / 24 = 13.75
        (Rules(), 20, 8, 28, True),  # 21.4; 30 x 8 / 28 = 8.57
        (Rules(), 20, 7, 28, False),  # 30 x 7 / 28 = 7.5
        (Rules(), 20, 20, 23, None),  # 23 of 28 recorded: not enough data
        # A 30-day baseline (1 Jun .. 30 Jun), all recorded: the month figure is the count itself.
        (Rules(baseline_days=30), 15, 8, 30, True),  # both exactly at 15 and 8
        (Rules(baseline_days=30), 14, 8, 30, False),
        (Rules(baseline_days=30), 15, 7, 30, False),
    ],
)
def test_chronic_migraine_by_diary(rules, headache, migraine, recorded, chronic):
    first = d(FIRST) - dt.timedelta(days=rules.baseline_days)
    attacks, free = _baseline(first.isoformat(), headache, migraine, recorded)
    progress = compute(attacks, free=free, sessions=[FIRST], rules=rules)
    assert progress.periods[0].migraine_days == migraine
    assert progress.eligibility.chronic_migraine_by_diary is chronic


def test_chronic_migraine_by_diary_ignores_a_reported_baseline():
    progress = compute(sessions=[FIRST], reported_baseline="25")
    assert progress.baseline_source == "reported"
    assert progress.eligibility.chronic_migraine_by_diary is None


def _meds(first, count, cls):
    return [attack(date, meds={cls}) for date in days(first, count)]


@pytest.mark.parametrize(
    ("attacks", "overuse"),
    [
        # As if today were 30 Jun: the window is 1 Jun (30 Jun - 29) .. 30 Jun.
        (_meds("2026-06-21", 10, "triptan"), True),  # 21 .. 30 Jun
        (_meds("2026-06-22", 9, "triptan"), False),
        (_meds("2026-06-01", 10, "triptan"), True),  # 1 .. 10 Jun: the window's first day
        (_meds("2026-05-31", 10, "triptan"), False),  # 31 May is outside: 9 days
        (_meds("2026-06-22", 10, "triptan"), False),  # the 10th is 1 Jul, the session day: 9 days
        (_meds("2026-06-16", 15, "simple_analgesic"), True),
        (_meds("2026-06-17", 14, "simple_analgesic"), False),
        (_meds("2026-06-21", 5, "triptan") + _meds("2026-06-26", 5, "simple_analgesic"), True),  # 10 days, 2 classes
    ],
)
def test_medication_overuse_at_baseline(attacks, overuse):
    progress = compute(attacks, sessions=[FIRST])
    assert progress.eligibility.medication_overuse_at_baseline is overuse
    assert "medication_overuse_risk" not in progress.flags  # today's window (16 Sep .. 15 Oct) is empty


def test_medication_overuse_now_is_not_at_baseline():
    progress = compute(_meds("2026-10-06", 10, "triptan"), sessions=[FIRST])  # 6 .. 15 Oct
    assert "medication_overuse_risk" in progress.flags
    assert progress.eligibility.medication_overuse_at_baseline is False


def test_no_session_no_eligibility_and_no_baseline_midas():
    progress = compute(midas_answers=[MidasAnswer(d("2026-10-01"), 30)])
    assert (progress.eligibility, progress.baseline_midas_score) == (None, None)
    payload = cycles.progress_json(progress, "UTC")
    assert (payload["eligibility"], payload["baseline_midas_score"]) == (None, None)


# ---------------------------------------------------------------- baseline MIDAS


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        # Session 1 Jul: 1 Jul - 30 = 1 Jun, - 31 = 1 May, - 30 = 1 Apr (91 days), so 31 Mar is day -92.
        ([MidasAnswer(d("2026-03-31"), 14)], 14),  # session - 92: inside
        ([MidasAnswer(d("2026-03-30"), 14)], None),  # session - 93: outside
        ([MidasAnswer(d("2026-06-30"), 14)], 14),  # the day before the session
        ([MidasAnswer(d("2026-07-01"), 14)], None),  # the session's day belongs to cycle 1
        # The latest date, whatever the order it was saved in (a date corrected later):
        ([MidasAnswer(d("2026-03-31"), 10, order=2), MidasAnswer(d("2026-06-30"), 25, order=1)], 25),
        ([MidasAnswer(d("2026-06-30"), 25, order=1), MidasAnswer(d("2026-03-31"), 10, order=2)], 25),
        # On one date, the later saved, wherever it stands in the list:
        ([MidasAnswer(d("2026-06-15"), 8, order=1), MidasAnswer(d("2026-06-15"), 12, order=2)], 12),
        ([MidasAnswer(d("2026-06-15"), 12, order=2), MidasAnswer(d("2026-06-15"), 8, order=1)], 12),
    ],
)
def test_the_baseline_midas(answers, score):
    progress = compute(sessions=["2026-07-01"], midas_answers=answers)
    assert progress.baseline_midas_score == score
    assert cycles.progress_json(progress, "UTC")["baseline_midas_score"] == score


def test_the_baseline_midas_window_is_a_setting():
    answers = [MidasAnswer(d("2026-03-31"), 14)]  # day -92
    assert (
        compute(
            sessions=["2026-07-01"], midas_answers=answers, rules=Rules(baseline_midas_days=91)
        ).baseline_midas_score
        is None
    )


# ---------------------------------------------------------------- response by guideline

# One session on 1 July; today 29 July (unrecorded), so cycle 1 counts 1 .. 28 July (28 days) and
# the baseline is 3 .. 30 June (28 days).
JULY_29 = dt.datetime(2026, 7, 29, 12, tzinfo=dt.UTC)


def _diary(first, migraine=0, moderate=0, mild=0, free=0):
    """From `first`, one date after another: migraine days (aura, severe), moderate headache days
    without migraine features, mild ones, headache-free marks; the rest unrecorded."""
    dates = days(first, migraine + moderate + mild + free)
    attacks = [attack(date, severity=3, aura=True) for date in dates[:migraine]]
    attacks += [attack(date, severity=2) for date in dates[migraine : migraine + moderate]]
    attacks += [attack(date, severity=1) for date in dates[migraine + moderate : migraine + moderate + mild]]
    return attacks, dates[migraine + moderate + mild :]


def _one_cycle(baseline, cycle, midas=(None, None), reported=None, rules=cycles.DEFAULT_RULES):
    baseline_attacks, baseline_free = _diary("2026-06-03", **baseline)
    cycle_attacks, cycle_free = _diary("2026-07-01", **cycle)
    answers = []
    if midas[0] is not None:
        answers.append(MidasAnswer(d("2026-06-15"), midas[0]))
    if midas[1] is not None:
        answers.append(MidasAnswer(d("2026-07-20"), midas[1]))
    progress = compute(
        baseline_attacks + cycle_attacks,
        free=baseline_free + cycle_free,
        sessions=["2026-07-01"],
        now=JULY_29,
        midas_answers=answers,
        reported_baseline=reported,
        rules=rules,
    )
    return progress.periods[1]


# Baselines of 24 recorded days (24/28: just enough data).
#   MODERATE: 10 moderate + 2 mild = 12 headache days -> 12 x 28 / 24 = 14; moderate/severe 10 x 28 / 24 = 35/3.
#   MILD:      2 moderate + 8 mild = 10 headache days -> 35/3;              moderate/severe 2 x 28 / 24 = 7/3.
# Neither has a migraine day, so migraine_change_pct is null (a baseline rate of 0).
MODERATE = dict(moderate=10, mild=2, free=12)
MILD = dict(moderate=2, mild=8, free=14)
# A cycle of 24 recorded days with 6 moderate + 3 mild: 9 x 28 / 24 = 21/2, moderate/severe 6 x 28 / 24 = 7.
# Against MODERATE: (14 - 21/2) / 14 = 25%; (35/3 - 7) / (35/3) = 14/35 = 40%: neither reaches 50.
MODEST = dict(moderate=6, mild=3, free=15)


@pytest.mark.parametrize(
    ("label", "baseline", "cycle", "midas", "reported", "expected"),
    [
        # expected: change_from_baseline_pct, migraine_change_pct, moderate_severe_change_pct, midas_change, ahs_benefit
        (
            "headache days exactly 50% fewer (floats say 49.99...)",
            MILD,
            dict(moderate=2, mild=3, free=19),  # 5 x 28 / 24 = 35/6; (35/3 - 35/6) / (35/3) = 1/2
            (None, None),
            None,
            (50, None, 0, None, True),  # moderate/severe 7/3 -> 7/3: 0%
        ),
        (
            "headache days 40% fewer",
            MILD,
            dict(moderate=2, mild=4, free=18),  # 6 x 28 / 24 = 7; (35/3 - 7) / (35/3) = 14/35
            (None, None),
            None,
            (40, None, 0, None, False),
        ),
        (
            "moderate/severe days exactly 50% fewer",
            MODERATE,
            dict(moderate=5, mild=4, free=15),  # 9 days: 25%; moderate 5 x 28 / 24 = 35/6: 50%
            (None, None),
            None,
            (25, None, 50, None, True),
        ),
        ("moderate/severe days 40% fewer", MODERATE, MODEST, (None, None), None, (25, None, 40, None, False)),
        (
            "migraine days",
            dict(migraine=7, moderate=7, free=14),  # 28 recorded: headache 14, migraine 7, moderate/severe 14
            dict(migraine=2, moderate=5, free=21),  # 28 recorded: headache 7, migraine 2, moderate/severe 7
            (None, None),
            None,
            (50, Fraction(500, 7), 50, None, True),  # migraine (7 - 2) / 7 = 71.4%
        ),
        (
            "more migraine days",
            dict(migraine=2, moderate=10, free=16),  # headache 12, migraine 2, moderate/severe 12 (28 recorded)
            dict(migraine=3, moderate=9, free=16),  # headache 12, migraine 3, moderate/severe 12
            (None, None),
            None,
            (0, -50, 0, None, False),  # migraine (2 - 3) / 2
        ),
        # AHS by MIDAS, the diary's changes below 50 (MODEST): grade III (11 to 20) by points...
        ("MIDAS 11, 5 points better", MODERATE, MODEST, (11, 6), None, (25, None, 40, 5, True)),
        ("MIDAS 11, 4 points better", MODERATE, MODEST, (11, 7), None, (25, None, 40, 4, False)),
        ("MIDAS 20, 5 points better", MODERATE, MODEST, (20, 15), None, (25, None, 40, 5, True)),
        ("MIDAS 10 is grade II: no MIDAS rule", MODERATE, MODEST, (10, 0), None, (25, None, 40, 10, False)),
        # ...grade IV (over 20) by percent.
        ("MIDAS 21, 5 points = 23.8%", MODERATE, MODEST, (21, 16), None, (25, None, 40, 5, False)),
        ("MIDAS 30, 9 points = 30%", MODERATE, MODEST, (30, 21), None, (25, None, 40, 9, True)),
        ("MIDAS 100, 30 points = 30%", MODERATE, MODEST, (100, 70), None, (25, None, 40, 30, True)),
        ("MIDAS 100, 29 points = 29%", MODERATE, MODEST, (100, 71), None, (25, None, 40, 29, False)),
        ("MIDAS 30 and none in the cycle", MODERATE, MODEST, (30, None), None, (25, None, 40, None, False)),
        ("no baseline MIDAS", MODERATE, MODEST, (None, 5), None, (25, None, 40, None, False)),
        (
            "a cycle without enough data is not judged",
            MODERATE,
            dict(moderate=5, free=18),  # 23 of 28: 5 x 28 / 23 = 140/23
            (None, None),
            None,
            # (14 - 140/23) / 14 = 1 - 10/23 = 13/23; (35/3 - 140/23) / (35/3) = 1 - 12/23 = 11/23
            (Fraction(1300, 23), None, Fraction(1100, 23), None, None),
        ),
        (
            "a reported baseline holds headache days only",
            dict(moderate=10, free=13),  # 23 of 28: not enough data
            dict(moderate=7, free=17),  # 7 x 28 / 24 = 49/6
            (None, None),
            "20",  # 20 x 28 / 30 = 56/3; (56/3 - 49/6) / (56/3) = 63/112 = 56.25%
            (Fraction(225, 4), None, None, None, True),
        ),
        ("no baseline rate, MIDAS decides", {}, MODEST, (30, 21), None, (None, None, None, 9, True)),
        ("no baseline rate, MIDAS short of it", {}, MODEST, (30, 22), None, (None, None, None, 8, None)),
        ("no baseline rate, no MIDAS", {}, MODEST, (None, None), None, (None, None, None, None, None)),
        (
            "a baseline rate of 0",
            dict(free=28),
            MODEST,
            (None, None),
            None,
            (None, None, None, None, None),
        ),
        ("a cycle of no recorded day", MODERATE, {}, (11, None), None, (None, None, None, None, None)),
    ],
)
def test_response_by_guideline(label, baseline, cycle, midas, reported, expected):
    period = _one_cycle(baseline, cycle, midas, reported)
    got = (
        period.change_from_baseline_pct,
        period.migraine_change_pct,
        period.moderate_severe_change_pct,
        period.midas_change,
        period.ahs_benefit,
    )
    assert got == expected, label
    for value in got[:3]:
        assert value is None or isinstance(value, Fraction), label


def test_the_50_percent_is_exact_in_the_json_too():
    # 35/3 -> 35/6 is 50 exactly; the JSON carries it as the float 50.0.
    period = cycles.period_json(_one_cycle(MODERATE, dict(moderate=5, mild=4, free=15)))
    assert period["moderate_severe_change_pct"] == 50.0
    assert period["ahs_benefit"] is True


@pytest.mark.parametrize(
    ("rules", "baseline", "cycle", "midas"),
    [
        # Each one false with the defaults in test_response_by_guideline.
        (Rules(ahs_reduction_pct=40), MILD, dict(moderate=2, mild=4, free=18), (None, None)),  # 40% fewer
        (Rules(ahs_midas_points=4), MODERATE, MODEST, (11, 7)),  # 4 points
        (Rules(ahs_midas_pct=29), MODERATE, MODEST, (100, 71)),  # 29%
    ],
)
def test_ahs_thresholds_are_settings(rules, baseline, cycle, midas):
    assert _one_cycle(baseline, cycle, midas, rules=rules).ahs_benefit is True


def test_midas_change_uses_each_cycle_s_own_score():
    # Baseline MIDAS 30 (1 Jun); cycle 1 (1 Jul ..) 21, cycle 2 (23 Sep ..) 12.
    answers = [MidasAnswer(d("2026-06-01"), 30), MidasAnswer(d("2026-09-01"), 21), MidasAnswer(d("2026-10-10"), 12)]
    progress = compute(sessions=["2026-07-01", "2026-09-23"], midas_answers=answers)
    assert [p.midas_change for p in progress.periods[1:]] == [9, 18]  # 30 - 21, 30 - 12


# ---------------------------------------------------------------- around each session (EHF)


def _around_diary(today_recorded=False):
    """Sessions 1 and 20 September. Every date 4 Aug .. 14 Oct recorded except 20-23 Aug and
    10-14 Oct; headaches 4-13 Aug (10 days) and 15-24 Sep (10 days)."""
    recorded = [date for date in days("2026-08-04", 72) if not (d("2026-08-20") <= date <= d("2026-08-23"))]
    recorded = [date for date in recorded if date < d("2026-10-10")]
    headache = set(days("2026-08-04", 10) + days("2026-09-15", 10))
    attacks = [attack(date) for date in sorted(headache)]
    free = [date for date in recorded if date not in headache] + ([TODAY] if today_recorded else [])
    return compute(attacks, free=free, sessions=["2026-09-01", "2026-09-20"])


def _window(w):
    return (
        w.start.isoformat(),
        w.end.isoformat(),
        w.days,
        w.days_recorded,
        w.headache_days,
        w.headache_days_per_28,
        w.enough_data,
    )


def test_the_days_around_each_session():
    assert (d("2026-10-14") - d("2026-08-04")).days + 1 == 72  # the span _around_diary walks
    progress = _around_diary()
    cycle1, cycle2 = progress.periods[1], progress.periods[2]
    # Session 1 Sep: before 4 Aug .. 31 Aug (28 days, 20-23 Aug unrecorded: 24 recorded, exactly enough),
    # 10 headache days -> 10 x 28 / 24 = 35/3.
    assert _window(cycle1.around_session["before"]) == ("2026-08-04", "2026-08-31", 28, 24, 10, Fraction(35, 3), True)
    # After 1 .. 28 Sep, not cut at session 2 (20 Sep): all 28 recorded, 10 headache days (15-24 Sep).
    assert _window(cycle1.around_session["after"]) == ("2026-09-01", "2026-09-28", 28, 28, 10, 10, True)
    # Session 20 Sep: before 23 Aug .. 19 Sep; 23 Aug unrecorded; headaches 15-19 Sep: 5 x 28 / 27 = 140/27.
    assert _window(cycle2.around_session["before"]) == ("2026-08-23", "2026-09-19", 28, 27, 5, Fraction(140, 27), True)
    # After 20 Sep .. 17 Oct, cut at today (15 Oct, unrecorded): 20 Sep .. 14 Oct = 11 + 14 = 25 counted days,
    # 10-14 Oct unrecorded: 20 recorded, 20/25 < 24/28; headaches 20-24 Sep: 5 x 28 / 20 = 7.
    assert _window(cycle2.around_session["after"]) == ("2026-09-20", "2026-10-15", 25, 20, 5, 7, False)


def test_the_window_after_counts_today_once_recorded():
    after = _around_diary(today_recorded=True).periods[2].around_session["after"]
    # 26 counted days, 21 recorded (21 x 28 = 588 < 24 x 26 = 624); 5 x 28 / 21 = 20/3.
    assert _window(after) == ("2026-09-20", "2026-10-15", 26, 21, 5, Fraction(20, 3), False)


@pytest.mark.parametrize(
    ("session", "today_recorded", "end", "counted"),
    [
        ("2026-09-17", False, "2026-10-14", 28),  # 17 Sep + 27 = 14 Oct, before today
        ("2026-09-17", True, "2026-10-14", 28),
        ("2026-09-18", False, "2026-10-15", 27),  # 18 Sep + 27 = 15 Oct, today, not yet recorded
        ("2026-09-18", True, "2026-10-15", 28),
        ("2026-10-01", False, "2026-10-15", 14),  # cut at today: 1 .. 14 Oct
        ("2026-10-15", False, "2026-10-15", 0),  # the session is today
        ("2026-10-15", True, "2026-10-15", 1),
    ],
)
def test_the_window_after_is_cut_at_today(session, today_recorded, end, counted):
    after = compute(free=[TODAY] if today_recorded else [], sessions=[session]).periods[1].around_session["after"]
    assert (after.start, after.end, after.days) == (d(session), d(end), counted)


def test_a_window_of_no_recorded_day():
    after = compute(sessions=["2026-10-15"]).periods[1].around_session["after"]
    assert (after.days, after.days_recorded, after.headache_days_per_28, after.enough_data) == (0, 0, None, False)
    before = compute(sessions=["2026-10-01"]).periods[1].around_session["before"]
    assert (before.days, before.days_recorded, before.headache_days_per_28, before.enough_data) == (28, 0, None, False)


@pytest.mark.parametrize(("marked", "enough"), [(24, True), (23, False)])
def test_a_window_s_enough_data_is_24_of_28(marked, enough):
    # Session 1 Oct: before 3 Sep .. 30 Sep.
    before = compute(free=days("2026-09-03", marked), sessions=["2026-10-01"]).periods[1].around_session["before"]
    assert (before.start, before.end, before.days_recorded, before.enough_data) == (
        d("2026-09-03"),
        d("2026-09-30"),
        marked,
        enough,
    )


def test_the_window_length_is_a_setting():
    # 14 days: session 1 Oct, before 17 .. 30 Sep, after 1 .. 14 Oct; the 14 days before marked free.
    progress = compute(free=days("2026-09-17", 14), sessions=["2026-10-01"], rules=Rules(around_session_days=14))
    around = progress.periods[1].around_session
    assert _window(around["before"]) == ("2026-09-17", "2026-09-30", 14, 14, 0, 0, True)
    assert _window(around["after"]) == ("2026-10-01", "2026-10-14", 14, 0, 0, None, False)


def test_the_window_before_may_reach_past_a_short_baseline():
    # A 14-day baseline (17-30 Sep); the EHF window is still 3 .. 30 Sep. Headaches 3-9 Sep, free 10-30 Sep.
    attacks = [attack(date) for date in days("2026-09-03", 7)]
    progress = compute(attacks, free=days("2026-09-10", 21), sessions=["2026-10-01"], rules=Rules(baseline_days=14))
    assert progress.periods[0].headache_days == 0
    assert _window(progress.periods[1].around_session["before"]) == ("2026-09-03", "2026-09-30", 28, 28, 7, 7, True)


# ---------------------------------------------------------------- settings and the JSON


def test_the_new_thresholds_and_their_defaults():
    rules = cycles.DEFAULT_RULES
    assert (rules.chronic_headache_days, rules.chronic_migraine_days, rules.preventives_failed_needed) == (15, 8, 3)
    assert (rules.baseline_midas_days, rules.around_session_days) == (92, 28)
    assert (rules.ahs_reduction_pct, rules.ahs_midas_points, rules.ahs_midas_pct) == (50, 5, 30)


def test_rules_from_a_settings_dict_without_the_new_keys():
    # The keys DIARY_RULES had before this issue.
    old = {
        "baseline_days": 28,
        "enough_data_per_28": 24,
        "preempt_day_minutes": 240,
        "migraine_min_minutes": 30,
        "cycle_days": 84,
        "adequate_response_pct": 30,
        "episodic_threshold": 15,
        "episodic_months": 3,
        "overuse_window_days": 30,
        "overuse_specific_days": 10,
        "overuse_simple_days": 15,
        "overuse_combined_days": 10,
        "gap_min_days": 7,
        "gap_window_days": 28,
        "session_due_days": 77,
        "overdue_days": 85,
        "midas_offer_day": 70,
    }
    assert cycles.rules_from(old) == cycles.DEFAULT_RULES
    assert cycles.rules_from({**old, "ahs_midas_points": 4}).ahs_midas_points == 4


WINDOW_TYPES = {
    "start": str,
    "end": str,
    "days": int,
    "days_recorded": int,
    "headache_days": int,
    "headache_days_per_28": (float, type(None)),
    "enough_data": bool,
}


def _json_diary():
    # Sessions 1 Jul and 23 Sep; the edge courses; baseline MIDAS 30 (1 Jun), cycle 1's 21 (1 Sep).
    baseline_attacks, baseline_free = _diary("2026-06-03", migraine=7, moderate=7, free=14)
    answers = [MidasAnswer(d("2026-06-01"), 30), MidasAnswer(d("2026-09-01"), 21)]
    progress = compute(
        baseline_attacks,
        free=baseline_free + days("2026-07-01", 20),
        sessions=["2026-07-01", "2026-09-23"],
        midas_answers=answers,
        preventives=PERIOD_EDGE_COURSES,
    )
    # Through JSON text, so that every value is one JSON can carry.
    return json.loads(json.dumps(cycles.progress_json(progress, "UTC")))


def test_the_json_keys_and_types():
    payload = _json_diary()
    assert isinstance(payload["baseline_midas_score"], int)
    eligibility = payload["eligibility"]
    assert set(eligibility) == {
        "chronic_migraine_by_diary",
        "prior_preventives_failed",
        "three_preventives_failed",
        "medication_overuse_at_baseline",
    }
    assert isinstance(eligibility["chronic_migraine_by_diary"], bool | None)
    assert type(eligibility["prior_preventives_failed"]) is int
    assert isinstance(eligibility["three_preventives_failed"], bool)
    assert isinstance(eligibility["medication_overuse_at_baseline"], bool)
    for period in payload["periods"]:
        assert all(set(c) == {"name", "class", "change", "date"} for c in period["preventive_changes"])
        assert all(isinstance(name, str) for name in period["preventives_during"])
    baseline, *cycle_list = payload["periods"]
    for key in ("migraine_change_pct", "moderate_severe_change_pct", "midas_change", "ahs_benefit", "around_session"):
        assert key not in baseline  # cycles only, as the MIDAS keys
    for cycle in cycle_list:
        assert isinstance(cycle["migraine_change_pct"], float | None)
        assert isinstance(cycle["moderate_severe_change_pct"], float | None)
        assert isinstance(cycle["midas_change"], int | None)
        assert isinstance(cycle["ahs_benefit"], bool | None)
        assert set(cycle["around_session"]) == {"before", "after"}
        for w in cycle["around_session"].values():
            assert set(w) == set(WINDOW_TYPES)
            assert all(isinstance(w[key], kind) for key, kind in WINDOW_TYPES.items())


def test_the_json_values_by_hand():
    payload = _json_diary()
    # Baseline 3-30 Jun all recorded: 14 headache days, 7 of them migraine days, all moderate or severe.
    # 30 x 14 / 28 = 15 >= 15; 30 x 7 / 28 = 7.5 < 8: not chronic migraine by the diary.
    assert payload["eligibility"] == {
        "chronic_migraine_by_diary": False,
        "prior_preventives_failed": 2,
        "three_preventives_failed": False,
        "medication_overuse_at_baseline": False,
    }
    cycle1, cycle2 = payload["periods"][1], payload["periods"][2]
    # Cycle 1 (1 Jul .. 22 Sep, 84 days): 20 marked headache-free, 64 unrecorded: rate 0, so every
    # change is (14 - 0) / 14 = 100% (migraine 7 -> 0, moderate/severe 14 -> 0) but too little data.
    assert cycle1["change_from_baseline_pct"] == 100.0
    assert (cycle1["migraine_change_pct"], cycle1["moderate_severe_change_pct"]) == (100.0, 100.0)
    assert (cycle1["midas_change"], cycle1["ahs_benefit"]) == (9, None)  # 30 - 21; 20/84 recorded
    # Cycle 2 (23 Sep .. 15 Oct): nothing recorded: rates null; no MIDAS in it.
    assert (cycle2["migraine_change_pct"], cycle2["midas_change"], cycle2["ahs_benefit"]) == (None, None, None)
    assert cycle1["around_session"]["before"] == {
        "start": "2026-06-03",
        "end": "2026-06-30",
        "days": 28,
        "days_recorded": 28,
        "headache_days": 14,
        "headache_days_per_28": 14.0,
        "enough_data": True,
    }
    assert cycle2["around_session"]["after"] == {
        "start": "2026-09-23",
        "end": "2026-10-15",  # 23 Sep + 27 = 20 Oct, past today
        "days": 22,  # 23 Sep .. 14 Oct: 8 + 14
        "days_recorded": 0,
        "headache_days": 0,
        "headache_days_per_28": None,
        "enough_data": False,
    }
