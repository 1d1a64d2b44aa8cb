"""The second round of engine speed-ups gives exactly what the plain code gave.

Each test holds the plain way of working a figure out (the code as it was) and compares it with
the quick one over many inputs, clock changes and odd zones included: the per-date columns and
lazily made DayInfos, the instant of a local time without exists(), whole-number comparisons in
place of Fractions, and the small helpers that replaced strftime, date.replace and timedelta().
"""

import datetime as dt
import functools
import random
from fractions import Fraction

import pytest

from core import timeutil
from diary import cycles
from diary.cycles import AttackData, DayInfo, FactorCheckIn

UTC = dt.UTC
NOW = dt.datetime(2026, 10, 15, 12, 0, 0, 250_000, tzinfo=UTC)  # microseconds: attacks still going end here
# Zones whose clocks do unusual things: changes at midnight (Santiago, Havana, Gaza), a change
# that goes back at 00:01 (Goose Bay until 2011), a skipped day (Apia, 30 December 2011), half
# hours (Lord Howe, Tehran) and 45 minutes (Chatham), a negative summer time (Dublin).
ZONES = [
    "UTC",
    "Europe/London",
    "Pacific/Auckland",
    "America/Santiago",
    "America/Havana",
    "Asia/Gaza",
    "America/Goose_Bay",
    "Pacific/Apia",
    "Australia/Lord_Howe",
    "Asia/Tehran",
    "Pacific/Chatham",
    "Europe/Dublin",
]


# ---------------------------------------------------------------- the code as it was


@functools.cache  # as to_instant was remembered
def plain_to_instant(date, time, tz):
    local = dt.datetime.combine(date, time, tzinfo=tz).replace(fold=0)
    if not timeutil.exists(date, time, tz):
        return local.astimezone(UTC)
    return local.astimezone(UTC)


def plain_days_touched(start, end, tz):
    if end <= start:
        return []
    first = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    if plain_to_instant(last, dt.time(0, 0), tz) >= end:
        last -= dt.timedelta(days=1)
    return timeutil.date_range(first, last)


def plain_is_migraine(attack, total, rules):
    if attack.aura or attack.medicine_classes & cycles.MIGRAINE_MEDICINE_CLASSES:
        return True
    if total < dt.timedelta(minutes=rules.migraine_min_minutes):
        return False
    pain_features = sum([attack.one_sided, attack.throbbing, attack.severity >= 2, attack.worse_with_activity])
    accompanying = attack.nausea or attack.vomiting or (attack.light_sensitivity and attack.sound_sensitivity)
    return pain_features >= 2 and accompanying


def plain_day_infos(attacks, free, tz, now, first, last, rules=cycles.DEFAULT_RULES, intervals=None):
    """_day_infos() as it was: a DayInfo per date, filled attack by attack."""
    intervals = intervals or [
        (
            plain_to_instant(a.start_date, a.start_time, tz),
            max(plain_to_instant(a.start_date, a.start_time, tz) + dt.timedelta(minutes=1), now)
            if a.duration_minutes is None
            else plain_to_instant(a.start_date, a.start_time, tz) + dt.timedelta(minutes=a.duration_minutes),
        )
        for a in attacks
    ]
    days = {date: DayInfo(date) for date in timeutil.date_range(first, last)}
    for date in free:
        info = days.get(date)
        if info is not None:
            info.headache_free = True
    clipped = {}
    for attack, (start, end) in zip(attacks, intervals, strict=True):
        if attack.medicine_classes:
            info = days.get(attack.start_date)
            if info is not None:
                info.medicine_classes.update(attack.medicine_classes)
        touched = plain_days_touched(start, end, tz)
        if not touched or touched[-1] < first or touched[0] > last:
            continue
        migraine = plain_is_migraine(attack, end - start, rules)
        for date in touched:
            day_begin = plain_to_instant(date, dt.time(0, 0), tz)
            day_end = plain_to_instant(date + dt.timedelta(days=1), dt.time(0, 0), tz)
            info = days.get(date)
            if info is None:
                continue
            clip_start, clip_end = max(start, day_begin), min(end, day_end)
            clipped.setdefault(date, []).append((clip_start, clip_end))
            info.attack_count += 1
            info.worst_severity = max(info.worst_severity or 0, attack.severity)
            info.migraine = info.migraine or migraine
            info.preempt = info.preempt or (clip_end - clip_start).total_seconds() >= rules.preempt_day_minutes * 60
    for date, parts in clipped.items():
        days[date].headache_seconds = cycles._union_seconds(parts)
    return days


# ---------------------------------------------------------------- made-up diaries


def random_attacks(rnd, first, last, count):
    span = (last - first).days
    attacks = []
    for _ in range(count):
        date = first + dt.timedelta(days=rnd.randint(-3, span + 3))
        # Often around midnight and the small hours, where clocks change.
        hour = rnd.choice([0, 0, 1, 1, 2, 2, 3, 23, 23, 22, rnd.randint(0, 23)])
        time = dt.time(hour, rnd.choice([0, 0, 1, 30, 59, rnd.randint(0, 59)]))
        duration = rnd.choice([None, 1, 29, 30, 60, 239, 240, 241, 600, 1439, 1440, 3000, 20160, rnd.randint(1, 900)])
        classes = frozenset(rnd.sample(["triptan", "simple_analgesic", "opioid", "other"], rnd.randint(0, 2)))
        flags = {
            name: rnd.random() < 0.5
            for name in (
                "one_sided",
                "throbbing",
                "worse_with_activity",
                "nausea",
                "vomiting",
                "light_sensitivity",
                "sound_sensitivity",
            )
        }
        attacks.append(
            AttackData(
                date,
                time,
                duration,
                rnd.choice([0, 1, 2, 3]),
                aura=rnd.random() < 0.1,
                medicine_classes=classes,
                **flags,
            )
        )
    return attacks


def random_marks(rnd, first, last):
    span = (last - first).days
    marks = {first + dt.timedelta(days=rnd.randint(-5, span + 5)) for _ in range(span // 2)}
    # A datetime is not a date of the diary (a dict of dates never matched one): ignored.
    return [*marks, dt.datetime.combine(first, dt.time(0, 0))]


@functools.cache
def diaries():
    """(attacks, marks, zone, now, first, last, the plain code's {date: DayInfo}): around the clock
    changes of 2009-2012 and 2026. Made once for the tests that read them (none changes them)."""
    made = []
    for seed, name in enumerate(ZONES):
        rnd = random.Random(seed)
        tz = timeutil.zone(name)
        for first, last, now in (
            (dt.date(2011, 2, 20), dt.date(2012, 1, 15), dt.datetime(2012, 1, 15, 3, 7, 5, 1, tzinfo=UTC)),
            (dt.date(2009, 10, 1), dt.date(2010, 4, 30), dt.datetime(2010, 4, 30, 23, 59, tzinfo=UTC)),
            (dt.date(2026, 1, 1), dt.date(2026, 10, 15), NOW),
        ):
            attacks, marks = random_attacks(rnd, first, last, 300), random_marks(rnd, first, last)
            made.append((attacks, marks, tz, now, first, last, plain_day_infos(attacks, marks, tz, now, first, last)))
    return made


# ---------------------------------------------------------------- the days


def test_day_infos_are_what_the_plain_code_made_in_every_zone():
    for attacks, marks, tz, now, first, last, plain in diaries():
        assert cycles.day_infos(attacks, marks, tz, now, first, last) == list(plain.values()), tz.key


def test_intervals_given_apart_from_the_attacks_are_followed_as_they_were():
    # _day_infos() takes the intervals as given; the start's remembered local date is the
    # attack's own start's, so another start must find its own.
    attacks, marks, tz, now, first, last, _ = diaries()[-5]
    intervals = [
        (start + dt.timedelta(hours=13), end + dt.timedelta(hours=13))
        for start, end in (a.interval(tz, now) for a in attacks)
    ]
    got = cycles._day_infos(attacks, intervals, marks, tz, first, last, cycles.DEFAULT_RULES)
    assert got == plain_day_infos(attacks, marks, tz, now, first, last, intervals=intervals)


def test_a_part_of_exactly_4_hours_is_a_preempt_day_and_a_microsecond_less_is_not():
    # Compared as timedeltas now, not as total_seconds() floats; an attack still going ends at
    # now, to the microsecond.
    start = dt.datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
    for now, preempt in (
        (start + dt.timedelta(hours=4), True),
        (start + dt.timedelta(hours=4, microseconds=-1), False),
    ):
        going = [AttackData(dt.date(2026, 10, 15), dt.time(8, 0), None, 1)]
        [info] = cycles.day_infos(going, (), UTC, now, dt.date(2026, 10, 15), dt.date(2026, 10, 15))
        assert info.preempt is preempt
    for minutes, preempt in ((240, True), (239, False)):
        [info] = cycles.day_infos(
            [AttackData(dt.date(2026, 10, 15), dt.time(8, 0), minutes, 1)],
            (),
            UTC,
            NOW,
            dt.date(2026, 10, 15),
            dt.date(2026, 10, 15),
        )
        assert info.preempt is preempt


def test_the_day_table_made_from_columns_is_the_one_made_from_day_infos():
    rules = cycles.DEFAULT_RULES
    for attacks, marks, tz, now, first, last, infos in diaries():
        intervals = [a.interval(tz, now) for a in attacks]
        from_columns = cycles._DayTable(cycles._day_columns_of(attacks, intervals, marks, tz, first, last, rules))
        from_infos = cycles._DayTable(infos)
        assert from_columns.running == from_infos.running
        assert len(from_columns) == len(infos) and list(from_columns) == list(infos)
        for date in (first - dt.timedelta(days=1), first, last, last + dt.timedelta(days=1)):
            assert (date in from_columns) == (date in infos)
            assert from_columns.get(date) == infos.get(date)
        assert dt.datetime.combine(first, dt.time(0, 0)) not in from_columns
        assert dict(from_columns.items()) == infos  # every DayInfo, made when read
        today = last
        for start in (first, first + dt.timedelta(days=40), last - dt.timedelta(days=6), last):
            for end in (start, start + dt.timedelta(days=6), start + dt.timedelta(days=30), last):
                if start <= end <= last:
                    assert cycles._counted(from_columns, start, end, today) == cycles._counted(infos, start, end, today)


def test_the_day_table_refuses_dates_outside_it_as_a_dict_would():
    first, last = dt.date(2026, 10, 1), dt.date(2026, 10, 15)
    table = cycles._DayTable(cycles._day_columns_of([], [], (), UTC, first, last, cycles.DEFAULT_RULES))
    with pytest.raises(KeyError) as before:
        table.counted(first - dt.timedelta(days=1), last, last)
    assert before.value.args == (first - dt.timedelta(days=1),)
    with pytest.raises(KeyError) as after:  # today is in the run but not in the table
        table.counted(first, last + dt.timedelta(days=5), last + dt.timedelta(days=3))
    assert after.value.args == (last + dt.timedelta(days=3),)
    with pytest.raises(KeyError) as end:
        table.counted(first, last + dt.timedelta(days=5), last + dt.timedelta(days=10))
    assert end.value.args == (last + dt.timedelta(days=5),)
    with pytest.raises(KeyError) as beyond:
        table.counted(last + dt.timedelta(days=1), last + dt.timedelta(days=4), last + dt.timedelta(days=9))
    assert beyond.value.args == (last + dt.timedelta(days=1),)
    with pytest.raises(KeyError):
        table[last + dt.timedelta(days=1)]
    assert table.get(last + dt.timedelta(days=1)) is None


def test_menstruations_and_factors_read_the_lazy_table_as_they_read_day_infos():
    rules = cycles.DEFAULT_RULES
    rnd = random.Random(7)
    for attacks, marks, tz, now, first, last, infos in diaries():
        intervals = [a.interval(tz, now) for a in attacks]
        table = cycles._DayTable(cycles._day_columns_of(attacks, intervals, marks, tz, first, last, rules))
        bleeding = sorted({first + dt.timedelta(days=rnd.randint(0, (last - first).days)) for _ in range(60)})
        checkins = [
            FactorCheckIn(
                last - dt.timedelta(days=k),
                frozenset({"stress", "wine"}),
                frozenset(rnd.sample(["stress", "wine"], rnd.randint(0, 2))),
            )
            for k in range(1, 170)
        ]
        runs = cycles.menstruations(bleeding, last, table, rules)
        assert runs == cycles.menstruations(bleeding, last, infos, rules)
        assert cycles.menstrual_pattern(runs, table, rules) == cycles.menstrual_pattern(runs, infos, rules)
        assert cycles.factor_counts(checkins, last, table, rules) == cycles.factor_counts(checkins, last, infos, rules)


def test_is_migraine_counts_the_features_as_sum_did():
    rules = cycles.DEFAULT_RULES
    names = (
        "one_sided",
        "throbbing",
        "worse_with_activity",
        "nausea",
        "vomiting",
        "light_sensitivity",
        "sound_sensitivity",
        "aura",
    )
    for bits in range(2 ** len(names)):
        flags = {name: bool(bits >> k & 1) for k, name in enumerate(names)}
        for severity in (0, 1, 2, 3):
            for classes in (frozenset(), frozenset({"simple_analgesic"}), frozenset({"gepant"})):
                attack = AttackData(
                    dt.date(2026, 10, 1), dt.time(9, 0), 60, severity, medicine_classes=classes, **flags
                )
                for total in (dt.timedelta(minutes=29, seconds=59), dt.timedelta(minutes=30)):
                    assert attack.is_migraine(total, rules) == plain_is_migraine(attack, total, rules)


# ---------------------------------------------------------------- time


def test_to_instant_reads_every_local_time_as_it_did_with_exists():
    for name in ZONES:
        tz = timeutil.zone(name)
        for date in (
            dt.date(2011, 12, 30),
            dt.date(2010, 11, 7),
            dt.date(2026, 3, 29),
            dt.date(2026, 10, 25),
            dt.date(2026, 4, 5),
        ):
            for minute in range(0, 24 * 60, 15):
                time = dt.time(minute // 60, minute % 60)
                timeutil.to_instant.cache_clear()
                assert timeutil.to_instant(date, time, tz) == plain_to_instant(date, time, tz)
                if not timeutil.exists(date, time, tz):
                    with pytest.raises(timeutil.NonexistentLocalTime):
                        timeutil.to_instant(date, time, tz, strict=True)
                instant, local = timeutil.local_start(date, time, tz)
                assert (instant, local) == (
                    plain_to_instant(date, time, tz),
                    plain_to_instant(date, time, tz).astimezone(tz).date(),
                )
                assert timeutil.day_bounds(date, tz) == (
                    plain_to_instant(date, dt.time(0, 0), tz),
                    plain_to_instant(date + dt.timedelta(days=1), dt.time(0, 0), tz),
                )


def test_minutes_is_the_timedelta_of_that_many_minutes():
    for count in [*range(0, 20161), 0.5, 90.0, 1e-7, -3]:
        assert timeutil.minutes(count) == dt.timedelta(minutes=count)


# ---------------------------------------------------------------- whole numbers for Fractions


def test_a_share_is_compared_as_the_fraction_was():
    thresholds = [Fraction(24, 28), Fraction(1, 3), Fraction(0), Fraction(1), Fraction(-1, 2), 0, 1, True, 0.857, 0.5]
    for threshold in thresholds:
        for total in range(1, 40):
            for count in range(0, total + 1):
                assert cycles._share_at_least(count, total, threshold) == (Fraction(count, total) >= threshold)


def test_a_rate_change_is_the_fraction_the_three_operations_made():
    rnd = random.Random(3)
    rates = [Fraction(rnd.randint(0, 40) * 28, rnd.randint(1, 90)) for _ in range(300)]
    rates += [Fraction(str(value)) * 28 / 30 for value in ("0.1", "14.5", "31", "7")]
    for baseline in rates:
        for rate in rates[:40]:
            expected = None if baseline == 0 else (baseline - rate) / baseline * 100
            got = cycles._rate_change(baseline, rate)
            assert got == expected and type(got) is type(expected)
            if got is not None:
                assert (got.numerator, got.denominator) == (expected.numerator, expected.denominator)
    assert cycles._rate_change(Fraction(20), None) is None
    assert cycles._rate_change(10, 5) == 50 and cycles._rate_change(10.0, Fraction(5)) == 50.0


# ---------------------------------------------------------------- months


def test_months_are_labelled_and_followed_as_strftime_and_replace_did():
    date = dt.date(1999, 1, 1)
    while date < dt.date(2032, 1, 1):
        assert cycles._next_month(date) == (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        assert cycles._month_label(date) == date.strftime("%Y-%m")
        date += dt.timedelta(days=1)
    for year in (1, 5, 999, 1000, 9999):
        assert cycles._month_label(dt.date(year, 12, 31)) == dt.date(year, 12, 31).strftime("%Y-%m")


@pytest.mark.parametrize("zone", ZONES)
def test_an_attack_ending_by_the_next_midnight_touches_its_own_date_only_as_before(zone):
    """days_touched_from's short cut (an end at or before the next local midnight) against the code as
    it was, for starts on both sides of each midnight of the zone's clock changes and ends around the
    next midnight to the microsecond."""
    tz = timeutil.zone(zone)
    checked = 0
    for year in (2011, 2019, 2026):
        for month in range(1, 13):
            for day in (1, 2, 10, 20, 26, 27, 28, 29, 30, 31):
                try:
                    date = dt.date(year, month, day)
                except ValueError:
                    continue
                for time in (dt.time(0, 0), dt.time(0, 30), dt.time(12, 0), dt.time(23, 30), dt.time(23, 59)):
                    start = timeutil.to_instant(date, time, tz)
                    midnight = timeutil.day_start(timeutil.local_date(start, tz) + dt.timedelta(days=1), tz)
                    for end in (
                        start + dt.timedelta(microseconds=1),
                        midnight - dt.timedelta(microseconds=1),
                        midnight,
                        midnight + dt.timedelta(microseconds=1),
                        midnight + dt.timedelta(hours=1),
                    ):
                        if end <= start:
                            continue
                        first = timeutil.local_date(start, tz)
                        assert timeutil.days_touched_from(first, end, tz) == plain_days_touched(start, end, tz), (
                            zone,
                            start,
                            end,
                        )
                        checked += 1
    assert checked > 1000
