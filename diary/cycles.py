"""Days, periods and the clinicians' rules, computed from plain values. PURE: no ORM, no request.

CLINICAL.md is the specification ("Day-level definitions", "Periods", "What each period
reports", "Rules a clinician sees flagged", "Other preventive treatments", "Eligibility for
Botox", "Response by guideline", "Menstruation", "How well acute medicines work", "Daily factors").
The views load a patient's rows once, turn them
into the plain values below, and hand them over with the time zone and "now".

Every rate and comparison is exact (fractions.Fraction): 56 headache days in 80 recorded days
is exactly 19.6 per 28, a 30% reduction from 28, which floats get wrong.
"""

import datetime as dt
import numbers
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import accumulate
from typing import NamedTuple

from core import timeutil

ONE_DAY = dt.timedelta(days=1)
# Made once: a timedelta costs more to make than most of what the loops that need one do.
SIX_DAYS = dt.timedelta(days=6)
ONE_WEEK = dt.timedelta(days=7)

MIGRAINE_MEDICINE_CLASSES = frozenset({"triptan", "ergot", "gepant"})
# Medication overuse (ICHD-3 8.2): classes counted on their own at the "specific" threshold,
# the simple analgesics at theirs, and all five together for the combined rule.
OVERUSE_SPECIFIC_CLASSES = ("triptan", "ergot", "opioid", "combination_analgesic")
OVERUSE_SIMPLE_CLASS = "simple_analgesic"
OVERUSE_CLASSES = (*OVERUSE_SPECIFIC_CLASSES, OVERUSE_SIMPLE_CLASS)

FLAG_ORDER = (
    "not_adequately_responding",
    "changed_to_episodic",
    "medication_overuse_risk",
    "diary_gap",
    "urgent_side_effect",
    "session_due",
    "overdue",
)

URGENT_EFFECTS = frozenset({"swallowing_speaking_breathing"})

PREVENTIVE_CLASSES = (
    "cgrp_antibody",
    "gepant_preventive",
    "beta_blocker",
    "antiepileptic",
    "antidepressant",
    "candesartan",
    "flunarizine",
    "other",
)
STOP_REASONS = ("not_effective", "side_effects", "other")
# NICE TA260 counts a preventive as failed when it did not work or could not be tolerated.
FAILED_STOP_REASONS = frozenset({"not_effective", "side_effects"})
CHANGE_ORDER = {"started": 0, "stopped": 1}

# "2 hours after taking it, was the pain: gone / better / the same / worse" (IHS endpoints).
EFFECT_ANSWERS = ("pain_free", "better", "same", "worse")
RELIEF_ANSWERS = frozenset({"pain_free", "better"})
MENSTRUAL_PATTERNS = ("pure_menstrual", "menstrually_related", "perimenstrual", "none")


@dataclass(frozen=True)
class Rules:
    """Every threshold of CLINICAL.md, with its default. A clinic may set its own (settings.DIARY_RULES)."""

    baseline_days: int = 28
    enough_data: Fraction = Fraction(24, 28)
    preempt_day_minutes: int = 240
    migraine_min_minutes: int = 30
    cycle_days: int = 84
    adequate_response_pct: int = 30
    episodic_threshold: int = 15
    episodic_months: int = 3
    overuse_window_days: int = 30
    overuse_specific_days: int = 10
    overuse_simple_days: int = 15
    overuse_combined_days: int = 10
    gap_min_days: int = 7
    gap_window_days: int = 28
    session_due_days: int = 77
    overdue_days: int = 85
    midas_offer_day: int = 70
    weeks_in_cycle: int = 12
    # Eligibility (NICE TA260): chronic migraine by the diary, per 30 days; failed preventives.
    chronic_headache_days: int = 15
    chronic_migraine_days: int = 8
    preventives_failed_needed: int = 3
    # Response by guideline: the baseline MIDAS's look-back, AHS 2021 and EHF 2018.
    baseline_midas_days: int = 92
    ahs_reduction_pct: int = 50
    ahs_midas_points: int = 5
    ahs_midas_pct: int = 30
    around_session_days: int = 28
    # Menstruation (ICHD-3 A1.1): marks at most this many days apart make one menstruation; its
    # window is day 1 - before .. day 1 + after; the pattern needs this many assessable ones, of
    # which this many windows hold a migraine day.
    menstruation_gap_days: int = 2
    menstrual_window_before: int = 2
    menstrual_window_after: int = 2
    menstruations_needed: int = 3
    menstrual_windows_with_migraine: int = 2
    # Acute medicines: attacks that start in today - (days - 1) .. today; pages say "few answers
    # yet" below this many answers.
    acute_medicine_days: int = 90
    medicine_few_answers: int = 5
    # Daily factors: the dates today - days .. today - 1; pages show the shares from this many
    # days with and this many without.
    factor_window_days: int = 179
    factor_min_days: int = 10


DEFAULT_RULES = Rules()


def rules_from(settings_dict):
    """Rules from the DIARY_RULES setting (whole numbers; enough data as days per 28).

    Any key left out keeps its default, so a settings dict from before a threshold was added works.
    """
    values = dict(settings_dict)
    if "enough_data_per_28" in values:
        values["enough_data"] = Fraction(values.pop("enough_data_per_28"), 28)
    return Rules(**values)


# slots=True: its fields in fixed places, not in a per-instance dict, so each is smaller and
# quicker to make and to read (a 3-year diary loads ~500 of them per progress page).
@dataclass(frozen=True, slots=True)
class AttackData:
    """One attack as plain values: local start, elapsed duration (None while still going)."""

    start_date: dt.date
    start_time: dt.time
    duration_minutes: int | None
    severity: int
    one_sided: bool = False
    throbbing: bool = False
    worse_with_activity: bool = False
    nausea: bool = False
    vomiting: bool = False
    light_sensitivity: bool = False
    sound_sensitivity: bool = False
    aura: bool = False
    medicine_classes: frozenset = field(default_factory=frozenset)
    # For showing the raw diary; of the computation only acute_medicines reads medicines.
    id: int | None = field(default=None, compare=False)
    notes: str = field(default="", compare=False)
    medicines: tuple = field(default=(), compare=False)  # (class, name) pairs, in the order taken
    # The 2-hour answer of each item of medicines, in the same order: one of EFFECT_ANSWERS or
    # None. A separate tuple, so that every (class, name) pair, and whoever unpacks it, stays as
    # it was; items past its end have no answer.
    medicine_answers: tuple = field(default=(), compare=False)

    def __post_init__(self):
        if len(self.medicine_answers) > len(self.medicines):
            raise ValueError("an answer for a medicine that was not taken")
        for answer in self.medicine_answers:
            if answer is not None and answer not in EFFECT_ANSWERS:
                raise ValueError(f"unknown 2-hour answer {answer!r}")

    def medicine_items(self):
        """(class, name, 2-hour answer or None) for each medicine taken, in order."""
        answers = tuple(self.medicine_answers) + (None,) * (len(self.medicines) - len(self.medicine_answers))
        return [(cls, name or "", answer) for (cls, name), answer in zip(self.medicines, answers, strict=True)]

    def interval(self, tz, now):
        return timeutil.attack_interval(self.start_date, self.start_time, self.duration_minutes, tz, now)

    def is_migraine(self, total, rules=DEFAULT_RULES):
        """ICHD-3 1.1 C/D as CLINICAL.md words it; total is the whole attack's length."""
        if self.aura or self.medicine_classes & MIGRAINE_MEDICINE_CLASSES:
            return True
        if total < timeutil.minutes(rules.migraine_min_minutes):
            return False
        # Added as numbers (True is 1): the same count as sum(), without making a list per attack.
        pain_features = self.one_sided + self.throbbing + (self.severity >= 2) + self.worse_with_activity
        accompanying = self.nausea or self.vomiting or (self.light_sensitivity and self.sound_sensitivity)
        return pain_features >= 2 and accompanying


# slots=True, as AttackData: day_infos() makes one per date it is asked for (compute() makes them
# only for the dates it reads one by one: see _DayColumns).
@dataclass(slots=True)
class DayInfo:
    """What the diary says about one local date."""

    date: dt.date
    headache_free: bool = False
    worst_severity: int | None = None
    attack_count: int = 0
    headache_seconds: int = 0
    preempt: bool = False
    migraine: bool = False
    medicine_classes: set = field(default_factory=set)  # of attacks that START this day

    @property
    def is_headache_day(self):
        return self.worst_severity is not None

    @property
    def is_recorded(self):
        return self.is_headache_day or self.headache_free

    @property
    def status(self):
        if self.is_headache_day:
            return "headache"
        if self.headache_free:
            return "headache_free"
        return "unrecorded"


def _union_seconds(intervals):
    if len(intervals) == 1:  # most days: one attack
        [(start, end)] = intervals
        return int((end - start).total_seconds())
    total, current_start, current_end = 0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).total_seconds()
    return int(total)


def day_infos(attacks, headache_free_dates, tz, now, first, last, rules=DEFAULT_RULES):
    """DayInfo for every date from first to last, from the attacks touching them."""
    attacks = list(attacks)
    intervals = [attack.interval(tz, now) for attack in attacks]
    return list(_day_infos(attacks, intervals, headache_free_dates, tz, first, last, rules).values())


def _day_infos(attacks, intervals, headache_free_dates, tz, first, last, rules):
    """day_infos() as {date: DayInfo}, in date order, given each attack's interval."""
    columns = _day_columns_of(attacks, intervals, headache_free_dates, tz, first, last, rules)
    return {info.date: info for info in map(columns.info, range(len(columns)))}


class _DayColumns:
    """What the diary says about each date from first to last: one list per DayInfo field, by the
    date's position (days after first).

    compute() adds up ~1,100 dates' figures for its running totals (see _DayTable) but reads only
    a few hundred dates one by one (menstruation windows, factor check-ins); making a DayInfo for
    every date, and reading each back, was a fifth of its time. info() makes one when asked.
    """

    __slots__ = (
        "first",
        "base",
        "headache_free",
        "worst_severity",
        "attack_count",
        "headache_seconds",
        "preempt",
        "migraine",
        "medicine_classes",
        "headache_positions",
    )

    def __init__(self, first, last):
        self.first = first
        self.base = first.toordinal()
        size = max(last.toordinal() - self.base + 1, 0)
        # DayInfo's defaults, but a worst severity of 0 where DayInfo has None: a date is a
        # headache day when an attack touches it (attack_count > 0), and info() says None then.
        self.headache_free = [False] * size
        self.worst_severity = [0] * size
        self.attack_count = [0] * size
        self.headache_seconds = [0] * size
        self.preempt = [False] * size
        self.migraine = [False] * size
        self.medicine_classes = {}  # {position: set}, only for the dates with a medicine
        self.headache_positions = []  # of the dates attacks touch, each once

    def __len__(self):
        return len(self.attack_count)

    def position(self, date):
        """The date's position, or None when it is not one of these dates."""
        # By day number, as a dict of dates would find it: only a date (not a datetime) is one.
        if type(date) is not dt.date:
            return None
        i = date.toordinal() - self.base
        return i if 0 <= i < len(self.attack_count) else None

    def info(self, i):
        """A new DayInfo for the date at position i."""
        count = self.attack_count[i]
        return DayInfo(
            dt.date.fromordinal(self.base + i),
            self.headache_free[i],
            self.worst_severity[i] if count else None,
            count,
            self.headache_seconds[i],
            self.preempt[i],
            self.migraine[i],
            set(self.medicine_classes.get(i, ())),
        )

    def count_columns(self):
        """_day_columns() of the DayInfos, without making them.

        Only the headache days have anything but 0 in most columns, so those are filled in from
        the few hundred headache positions rather than made date by date; preempt, migraine and
        the worst severity are already 0 (False) on every other date.
        """
        size = len(self)
        recorded, headache, moderate_severe = list(self.headache_free), [False] * size, [False] * size
        for i in self.headache_positions:
            recorded[i] = headache[i] = True
            moderate_severe[i] = self.worst_severity[i] >= 2
        medicated = [False] * size
        for i in self.medicine_classes:  # each set holds at least one class
            medicated[i] = True
        return (
            [1] * size,
            recorded,
            headache,
            self.preempt,
            self.migraine,
            moderate_severe,
            self.worst_severity,
            self.headache_seconds,
            medicated,
        )


def _day_columns_of(attacks, intervals, headache_free_dates, tz, first, last, rules):
    """The _DayColumns of the dates first..last, from the attacks touching them and the marks."""
    days = _DayColumns(first, last)
    # _DayColumns.position() written out in the loops below (~1,200 dates): base and size.
    base, size = days.base, len(days)
    free = days.headache_free
    for date in headache_free_dates:
        if type(date) is dt.date and 0 <= (i := date.toordinal() - base) < size:
            free[i] = True
    worst, count, preempt, migraine_days = days.worst_severity, days.attack_count, days.preempt, days.migraine
    clipped = {}  # {position: [(start, end), ...]}: the parts of attacks on each touched date
    # Compared as timedeltas: for a whole number of minutes exactly what comparing total_seconds()
    # with minutes * 60 gives, without a float per date.
    preempt_length = timeutil.minutes(rules.preempt_day_minutes)
    medicines = days.medicine_classes
    for attack, (start, end) in zip(attacks, intervals, strict=True):
        classes = attack.medicine_classes
        if classes:  # nothing to add for the many attacks without a medicine
            i = days.position(attack.start_date)
            if i is not None:
                if i in medicines:
                    medicines[i].update(classes)
                else:
                    medicines[i] = set(classes)
        if end <= start:
            continue  # touches no date (days_touched)
        # days_touched(start, end, tz), with start's local date remembered per process.
        instant, start_date = timeutil.local_start(attack.start_date, attack.start_time, tz)
        if instant != start:  # not the attack's own start: its date, as days_touched finds it
            start_date = timeutil.local_date(start, tz)
        touched = timeutil.days_touched_from(start_date, end, tz)
        if not touched or touched[-1] < first or touched[0] > last:
            continue
        migraine = attack.is_migraine(end - start, rules)
        severity = attack.severity
        for date in touched:  # dates, from days_touched
            i = date.toordinal() - base
            if not 0 <= i < size:
                continue
            # The date's part of the attack runs from its midnight (or the start) to the next
            # midnight (or the end). As max() and min() would, ties keep the attack's own instant.
            day_begin, day_end = timeutil.day_bounds(date, tz)
            clip_start = start if start >= day_begin else day_begin
            clip_end = end if end <= day_end else day_end
            parts = clipped.get(i)
            if parts is None:
                clipped[i] = [(clip_start, clip_end)]
            else:
                parts.append((clip_start, clip_end))
            count[i] += 1
            if severity > worst[i]:  # max(DayInfo's worst severity or 0, severity)
                worst[i] = severity
            migraine_days[i] = migraine_days[i] or migraine
            preempt[i] = preempt[i] or clip_end - clip_start >= preempt_length
    seconds = days.headache_seconds
    for i, parts in clipped.items():
        seconds[i] = _union_seconds(parts)
    days.headache_positions = list(clipped)
    return days


# ---------------------------------------------------------------- periods


@dataclass
class Period:
    """The baseline (number 0) or a cycle, with every figure of "What each period reports"."""

    kind: str
    number: int
    start: dt.date
    end: dt.date
    session_date: dt.date | None
    days: int = 0
    days_recorded: int = 0
    completeness: Fraction | None = None
    enough_data: bool = False
    headache_days: int = 0
    preempt_headache_days: int = 0
    migraine_days: int = 0
    moderate_severe_days: int = 0
    headache_days_per_28: Fraction | None = None
    migraine_days_per_28: Fraction | None = None
    moderate_severe_days_per_28: Fraction | None = None
    headache_hours: Fraction = Fraction(0)
    attacks: int = 0
    mean_attack_hours: Fraction | None = None
    mean_worst_severity: Fraction | None = None
    acute_medication_days: int = 0
    change_from_baseline_pct: Fraction | None = None
    responder_30: bool | None = None
    responder_50: bool | None = None
    midas_score: int | None = None
    midas_grade: str | None = None
    weeks: list = field(default_factory=list)  # cycles: (week number, headache days, counted days)
    preventive_changes: list = field(default_factory=list)  # of PreventiveChange, in the JSON's order
    preventives_during: list = field(default_factory=list)  # names as written, sorted
    # Cycles only ("Response by guideline").
    migraine_change_pct: Fraction | None = None
    moderate_severe_change_pct: Fraction | None = None
    midas_change: int | None = None
    ahs_benefit: bool | None = None
    around_session: dict | None = None  # {"before": Window, "after": Window}


@dataclass(frozen=True)
class Month:
    month: str
    first: dt.date
    days: int
    days_recorded: int
    headache_days: int
    enough_data: bool


@dataclass(frozen=True)
class MidasAnswer:
    answered_on: dt.date
    score: int
    order: int = 0  # ties on a date: the later-made answer counts


@dataclass(frozen=True)
class SideEffectData:
    effect: str
    started_on: dt.date


@dataclass(frozen=True)
class PreventiveCourse:
    """A course of another preventive (not Botox), as plain values."""

    name: str
    drug_class: str
    start: dt.date
    stop: dt.date | None = None
    stop_reason: str = ""  # one of STOP_REASONS when there is a stop date

    def active_on(self, date):
        return self.start <= date and (self.stop is None or self.stop >= date)

    def active_between(self, first, last):
        """Active on any date from first to last."""
        # Through the overlap, so that a course whose stop is before its start is never active.
        return max(first, self.start) <= (last if self.stop is None else min(last, self.stop))

    @property
    def failed(self):
        return self.stop is not None and self.stop_reason in FAILED_STOP_REASONS


@dataclass(frozen=True)
class PreventiveChange:
    name: str
    drug_class: str
    change: str  # "started" or "stopped"
    date: dt.date


@dataclass(frozen=True)
class Window:
    """A run of dates around a session (EHF 2018), with the figures of "What each period reports"."""

    start: dt.date
    end: dt.date
    days: int
    days_recorded: int
    headache_days: int
    headache_days_per_28: Fraction | None
    enough_data: bool


@dataclass(frozen=True)
class Eligibility:
    """The NICE TA260 checklist for Botox."""

    chronic_migraine_by_diary: bool | None
    prior_preventives_failed: int
    three_preventives_failed: bool
    medication_overuse_at_baseline: bool


@dataclass(frozen=True)
class FactorCheckIn:
    """One date's check-in: the patient's factor list as it was that day, and those present."""

    date: dt.date
    listed: frozenset = frozenset()
    present: frozenset = frozenset()

    def __post_init__(self):
        # A factor marked present was on that day's list, whatever the list says.
        object.__setattr__(self, "present", frozenset(self.present))
        object.__setattr__(self, "listed", frozenset(self.listed) | self.present)


@dataclass(frozen=True)
class Menstruation:
    """A run of bleeding days at most menstruation_gap_days apart, with its ICHD-3 window."""

    day1: dt.date
    last_marked: dt.date
    window_start: dt.date
    window_end: dt.date
    assessable: bool = False  # the window ended before today and every date of it is recorded
    migraine_in_window: bool = False


@dataclass(frozen=True)
class BetweenWindows:
    """The dates from the first to the last window of a pattern's menstruations, outside them."""

    days: int
    days_recorded: int
    migraine_days: int


@dataclass(frozen=True)
class MedicineEffect:
    """One acute medicine's uses and 2-hour answers ("How well acute medicines work")."""

    name: str
    drug_class: str
    uses: int
    answered: int
    pain_free_2h: int
    better_2h: int
    pain_free_2h_pct: Fraction | None
    relief_2h_pct: Fraction | None
    few_answers: bool  # pages say "few answers yet"


@dataclass(frozen=True)
class FactorCount:
    """One daily factor: days with and without it, and how many of each a headache followed."""

    name: str
    days_with: int
    headache_after_with: int
    days_without: int
    headache_after_without: int
    enough_days: bool  # pages show the two shares side by side only then


@dataclass
class Progress:
    today: dt.date
    baseline_source: str | None
    baseline_rate: Fraction | None
    periods: list
    months: list
    flags: list
    current_cycle: "CurrentCycle | None"
    eligibility: Eligibility | None = None
    baseline_midas_score: int | None = None
    # "Menstruation", "How well acute medicines work", "Daily factors": with or without a session.
    menstrual_pattern: str | None = None
    menstruations: list = field(default_factory=list)  # every Menstruation, oldest first
    menstrual_basis: list = field(default_factory=list)  # the (up to 3) most recent assessable, oldest first
    menstrual_between: BetweenWindows | None = None  # once there are 3 assessable
    acute_medicines: list = field(default_factory=list)  # of MedicineEffect, in the JSON's order
    factors: list = field(default_factory=list)  # of FactorCount, by name


def counted_days(start, end, today, recorded):
    """The period's counted days: up to yesterday, and today too once it is recorded."""
    last = min(end, today - ONE_DAY)
    dates = timeutil.date_range(start, last) if start <= last else []
    if start <= today <= end and recorded(today):
        dates.append(today)
    return dates


class _DayCounts(NamedTuple):
    """What some days add up to: a period's, week's, month's or window's counted days."""

    days: int
    recorded: int
    headache: int
    preempt: int  # of the headache days
    migraine: int  # of the headache days
    moderate_severe: int  # headache days with a worst severity of 2 or more
    worst_severity: int  # summed over the headache days
    headache_seconds: int
    acute_medication: int  # days with a medicine taken for an attack starting that day


_NO_DAYS = _DayCounts(*[0] * len(_DayCounts._fields))


def _day_columns(infos):
    """One list per _DayCounts field: each date's part of the count, in the infos' order."""
    headache = [info.is_headache_day for info in infos]
    return (
        [1] * len(infos),
        [info.is_recorded for info in infos],
        headache,
        [h and info.preempt for h, info in zip(headache, infos, strict=True)],
        [h and info.migraine for h, info in zip(headache, infos, strict=True)],
        [h and info.worst_severity >= 2 for h, info in zip(headache, infos, strict=True)],
        [info.worst_severity if h else 0 for h, info in zip(headache, infos, strict=True)],
        [info.headache_seconds for info in infos],
        [bool(info.medicine_classes) for info in infos],
    )


def _day_counts(infos):
    """The _DayCounts of these DayInfos."""
    return _DayCounts._make(map(sum, _day_columns(infos)))


class _DayTable(Mapping):
    """{date: DayInfo} for consecutive dates, that also counts any run of them in a few subtractions.

    compute() counts ~230 runs of dates (periods, their weeks, months, windows) over a 3-year
    diary's ~1,100 days; walking each run's dates was most of its time. Running totals, made once,
    give each run's _DayCounts from two positions. Whatever reads a plain {date: DayInfo} reads it
    too (a read-only mapping).
    """

    def __init__(self, days):
        """days: {date: DayInfo} for consecutive dates, in date order (as _day_infos makes it), or
        the _DayColumns of such dates (then a date's DayInfo is made when it is first read)."""
        if isinstance(days, _DayColumns):
            self._columns, self._infos = days, {}
            self.first = days.first if len(days) else None
            columns = days.count_columns()
        else:
            self._columns, self._infos = None, dict(days)
            infos = list(days.values())
            self.first = infos[0].date if infos else None
            columns = _day_columns(infos)
        self._base = self.first.toordinal() if self.first is not None else 0
        self._recorded = columns[1]
        # running[k][i]: _DayCounts field k summed over the first i dates. One list of numbers per
        # field, not one tuple per date: ~1,100 fewer objects for the garbage collector to follow.
        self.running = [list(accumulate(column, initial=0)) for column in columns]

    def _position(self, date):
        if type(date) is not dt.date:  # as a dict of dates: a datetime is not one of its keys
            return None
        i = date.toordinal() - self._base
        return i if 0 <= i < len(self._recorded) else None

    def __getitem__(self, date):
        info = self._infos.get(date)
        if info is None:
            i = self._position(date)
            if i is None or self._columns is None:
                raise KeyError(date)
            info = self._infos[date] = self._columns.info(i)
        return info

    def __contains__(self, date):
        return self._position(date) is not None

    def __iter__(self):
        return map(dt.date.fromordinal, range(self._base, self._base + len(self._recorded)))

    def __len__(self):
        return len(self._recorded)

    def is_recorded(self, date):
        """self[date].is_recorded, without making the DayInfo."""
        i = self._position(date)
        if i is None:
            raise KeyError(date)
        return self._recorded[i]

    def counted(self, start, end, today):
        """The _DayCounts of the counted days of start..end (see counted_days), which must be in the table."""
        last = min(end, today - ONE_DAY)
        if start <= today <= end and self.is_recorded(today):
            last = today  # counted days are consecutive: up to yesterday, then today
        if last < start:
            return _NO_DAYS
        # _position() written out: ~230 runs per computation. Both are dates (they compared with
        # today), and start <= last, so last is in the table too when start is and last is not
        # after its end.
        size = len(self._recorded)
        i, j = start.toordinal() - self._base, last.toordinal() - self._base + 1
        if not 0 <= i < size or j > size:
            raise KeyError(last if 0 <= i < size else start)
        return _DayCounts._make([column[j] - column[i] for column in self.running])


def _counted(info_by_date, start, end, today):
    """The _DayCounts of the counted days of start..end: from a _DayTable's running totals, or date by date."""
    if type(info_by_date) is _DayTable:
        return info_by_date.counted(start, end, today)
    counted = counted_days(start, end, today, lambda date: info_by_date[date].is_recorded)
    return _day_counts([info_by_date[date] for date in counted])


def _share_at_least(count, total, threshold):
    """Fraction(count, total) >= threshold, for whole numbers and total > 0.

    Months and windows ask it ~60 times per computation, and a Fraction costs microseconds to make
    and compare. For a rational threshold n/d (d > 0), count/total >= n/d exactly when
    count * d >= n * total: the cross-multiplication Fraction's own comparison does.
    """
    if isinstance(threshold, numbers.Rational):
        return count * threshold.denominator >= threshold.numerator * total
    return Fraction(count, total) >= threshold


def _per_28(count, recorded):
    return Fraction(count * 28, recorded) if recorded else None


def _fill(period, counts, starting, rules):
    """counts: the _DayCounts of the period's counted days; starting: the attacks that start in it,
    as (how many, their elapsed seconds added up)."""
    period.days = counts.days
    period.days_recorded = counts.recorded
    period.completeness = Fraction(period.days_recorded, period.days) if period.days else None
    period.enough_data = period.completeness is not None and period.completeness >= rules.enough_data
    period.headache_days = counts.headache
    period.preempt_headache_days = counts.preempt
    period.migraine_days = counts.migraine
    period.moderate_severe_days = counts.moderate_severe
    period.headache_days_per_28 = _per_28(period.headache_days, period.days_recorded)
    period.migraine_days_per_28 = _per_28(period.migraine_days, period.days_recorded)
    period.moderate_severe_days_per_28 = _per_28(period.moderate_severe_days, period.days_recorded)
    period.headache_hours = Fraction(counts.headache_seconds, 3600)
    period.acute_medication_days = counts.acute_medication
    if counts.headache:
        period.mean_worst_severity = Fraction(counts.worst_severity, counts.headache)
    period.attacks, seconds = starting
    if period.attacks:
        period.mean_attack_hours = Fraction(int(seconds), 3600 * period.attacks)


def _starting(periods, attacks, intervals):
    """[how many, elapsed seconds] of the attacks that start in each period, in one pass.

    The cycles follow one another (each ends the day before the next session), so a bisect finds
    an attack's cycle; the seconds are added in the attacks' order, as floats add.
    """
    baseline, *cycles = periods
    baseline_start, baseline_end = baseline.start, baseline.end
    starts, ends = [cycle.start for cycle in cycles], [cycle.end for cycle in cycles]
    totals = [[0, 0] for _ in periods]
    for attack, (start, end) in zip(attacks, intervals, strict=True):
        date = attack.start_date
        if baseline_start <= date <= baseline_end:
            totals[0][0] += 1
            totals[0][1] += (end - start).total_seconds()
        number = bisect_right(starts, date)  # of the last cycle starting on or before the date
        if number and date <= ends[number - 1]:
            totals[number][0] += 1
            totals[number][1] += (end - start).total_seconds()
    return totals


def _rate_change(baseline_rate, rate):
    """Percent fewer than the baseline rate (positive is better); None without both rates or from 0."""
    if baseline_rate is None or baseline_rate == 0 or rate is None:
        return None
    if type(baseline_rate) is Fraction and type(rate) is Fraction:
        # The same Fraction made at once (Fractions are kept in lowest terms, so equal values are
        # equal objects' contents): with baseline p/q and rate s/t, (p/q - s/t) / (p/q) * 100 is
        # 100 (pt - sq) / (pt). Three Fraction operations per figure, each reducing by a gcd,
        # were most of the guideline figures' time.
        p, q, s, t = baseline_rate.numerator, baseline_rate.denominator, rate.numerator, rate.denominator
        return Fraction(100 * (p * t - s * q), p * t)
    return (baseline_rate - rate) / baseline_rate * 100


def _change(period, baseline_rate):
    period.change_from_baseline_pct = _rate_change(baseline_rate, period.headache_days_per_28)
    if period.change_from_baseline_pct is None:
        return
    period.responder_30 = period.change_from_baseline_pct >= 30
    period.responder_50 = period.change_from_baseline_pct >= 50


def midas_grade(score):
    if score is None:
        return None
    if score <= 5:
        return "I"
    if score <= 10:
        return "II"
    if score <= 20:
        return "III"
    return "IV"


MIDAS_GRADE_WORDS = {
    "I": "little or no disability",
    "II": "mild disability",
    "III": "moderate disability",
    "IV": "severe disability",
}


@dataclass(frozen=True)
class CurrentCycle:
    number: int
    session_date: dt.date
    day: int
    next_due: dt.date


def current_cycle(session_dates, today, rules=DEFAULT_RULES):
    """The cycle today falls in: its number, day (day 1 is the session) and next session due."""
    past = sorted(date for date in session_dates if date <= today)
    if not past:
        return None
    last = past[-1]
    return CurrentCycle(
        number=len(past),
        session_date=last,
        day=(today - last).days + 1,
        next_due=last + dt.timedelta(days=rules.cycle_days),
    )


def _months(first_session, today, info_by_date, rules):
    months = []
    first = first_session.replace(day=1)
    if first < first_session:
        first = _next_month(first)
    while True:
        following = _next_month(first)
        last = following - ONE_DAY
        if last >= today:
            break
        counts = _counted(info_by_date, first, last, today)
        months.append(
            Month(
                month=_month_label(first),
                first=first,
                days=counts.days,
                days_recorded=counts.recorded,
                headache_days=counts.headache,
                enough_data=bool(counts.days) and _share_at_least(counts.recorded, counts.days, rules.enough_data),
            )
        )
        first = following
    return months


def _month_label(first):
    """first.strftime("%Y-%m")."""
    # Written out: strftime costs several times as much (~35 months per computation). Every
    # platform writes a year from 1000 to 9999 as its four digits; any other goes to strftime.
    if 1000 <= first.year <= 9999:
        return f"{first.year}-{first.month:02d}"
    return first.strftime("%Y-%m")


def _next_month(date):
    """The first day of the month after date's."""
    # Made directly: date.replace() through keyword arguments costs several times as much.
    if date.month == 12:
        return dt.date(date.year + 1, 1, 1)
    return dt.date(date.year, date.month + 1, 1)


def _days_in_month(date):
    return (_next_month(date) - date.replace(day=1)).days


def medication_overuse(attacks, today, rules=DEFAULT_RULES):
    """ICHD-3 8.2 in the 30 days today-29 .. today, each attack's medicines on its start date."""
    window_start = today - dt.timedelta(days=rules.overuse_window_days - 1)
    days_by_class = {cls: set() for cls in OVERUSE_CLASSES}
    for attack in attacks:
        if window_start <= attack.start_date <= today:
            for cls in attack.medicine_classes:
                if cls in days_by_class:
                    days_by_class[cls].add(attack.start_date)
    if any(len(days_by_class[cls]) >= rules.overuse_specific_days for cls in OVERUSE_SPECIFIC_CLASSES):
        return True
    if len(days_by_class[OVERUSE_SIMPLE_CLASS]) >= rules.overuse_simple_days:
        return True
    used = [cls for cls in OVERUSE_CLASSES if days_by_class[cls]]
    any_days = set().union(*days_by_class.values())
    return len(used) >= 2 and len(any_days) >= rules.overuse_combined_days


def medicine_days_by_class(attacks, today, window_days=30):
    """Days each class was taken in the last window_days (on each attack's start date)."""
    window_start = today - dt.timedelta(days=window_days - 1)
    days = {}
    for attack in attacks:
        if window_start <= attack.start_date <= today:
            for cls in attack.medicine_classes:
                days.setdefault(cls, set()).add(attack.start_date)
    return {cls: len(dates) for cls, dates in days.items()}


def preventive_changes(courses, first, last):
    """Each start and each stop date from first to last, by date, then started first, then name."""
    changes = []
    for course in courses:
        if first <= course.start <= last:
            changes.append(PreventiveChange(course.name, course.drug_class, "started", course.start))
        if course.stop is not None and first <= course.stop <= last:
            changes.append(PreventiveChange(course.name, course.drug_class, "stopped", course.stop))
    # The class last only so that the order is the same every time.
    return sorted(changes, key=lambda c: (c.date, CHANGE_ORDER[c.change], c.name, c.drug_class))


def preventives_during(courses, first, last):
    """The names, each once as written, of the courses active on any date from first to last."""
    return sorted({course.name for course in courses if course.active_between(first, last)})


def prior_failed_courses(courses, first_session):
    """The courses that count as failed before Botox (NICE TA260): started before the first
    session and stopped on or before it as not effective or not tolerated; one per distinct name
    (trimmed, case folded), the earliest started, for pages to name them as written."""
    counted = [c for c in courses if c.failed and c.start < first_session and c.stop <= first_session]
    failed = {}
    for course in sorted(counted, key=lambda c: (c.start, c.stop, c.name)):
        failed.setdefault(course.name.strip().casefold(), course)
    return list(failed.values())


def prior_preventives_failed(courses, first_session):
    """How many distinct names (trimmed, case folded) prior_failed_courses finds."""
    return len(prior_failed_courses(courses, first_session))


def eligibility(baseline, first_session, courses, attacks, rules=DEFAULT_RULES):
    """NICE TA260's checklist from the diary baseline, the courses and the attacks."""
    chronic = None
    if baseline.enough_data:
        # The diary's rates are per 28 days; NICE counts days per month, taken as 30 days.
        chronic = (
            baseline.headache_days_per_28 * 30 / 28 >= rules.chronic_headache_days
            and baseline.migraine_days_per_28 * 30 / 28 >= rules.chronic_migraine_days
        )
    failed = prior_preventives_failed(courses, first_session)
    return Eligibility(
        chronic_migraine_by_diary=chronic,
        prior_preventives_failed=failed,
        three_preventives_failed=failed >= rules.preventives_failed_needed,
        medication_overuse_at_baseline=medication_overuse(attacks, first_session - ONE_DAY, rules),
    )


def baseline_midas(answers, first_session, rules=DEFAULT_RULES):
    """The latest MIDAS score answered in the 92 days before the first session, or None."""
    first = first_session - dt.timedelta(days=rules.baseline_midas_days)
    inside = [a for a in answers if first <= a.answered_on < first_session]
    if not inside:
        return None
    return max(inside, key=lambda a: (a.answered_on, a.order)).score


def window(first, last, today, info_by_date, rules=DEFAULT_RULES):
    """The dates first..last cut at today, counted as a period's are (today only once recorded)."""
    end = min(last, today)
    counts = _counted(info_by_date, first, end, today)
    return Window(
        start=first,
        end=end,
        days=counts.days,
        days_recorded=counts.recorded,
        headache_days=counts.headache,
        headache_days_per_28=_per_28(counts.headache, counts.recorded),
        enough_data=bool(counts.days) and _share_at_least(counts.recorded, counts.days, rules.enough_data),
    )


def around_session(session, today, info_by_date, rules=DEFAULT_RULES):
    """EHF 2018: the 28 days before a session and the 28 from it (not cut at the next session)."""
    length = dt.timedelta(days=rules.around_session_days)
    return {
        "before": window(session - length, session - ONE_DAY, today, info_by_date, rules),
        "after": window(session, session + length - ONE_DAY, today, info_by_date, rules),
    }


def _guideline_response(cycle, baseline, midas_at_baseline, rules):
    # A reported baseline holds headache days only, so these two need the diary's own baseline.
    if baseline.enough_data:
        cycle.migraine_change_pct = _rate_change(baseline.migraine_days_per_28, cycle.migraine_days_per_28)
        cycle.moderate_severe_change_pct = _rate_change(
            baseline.moderate_severe_days_per_28, cycle.moderate_severe_days_per_28
        )
    if midas_at_baseline is not None and cycle.midas_score is not None:
        cycle.midas_change = midas_at_baseline - cycle.midas_score
    cycle.ahs_benefit = ahs_benefit(cycle, midas_at_baseline, rules)


# The American Headache Society's criteria, in CLINICAL.md's order (pages say which were met).
AHS_CRITERIA = ("headache_days", "moderate_severe_days", "midas_points", "midas_pct")


def ahs_criteria_met(cycle, midas_at_baseline, rules=DEFAULT_RULES):
    """Which AHS 2021 criteria a cycle's figures meet, in AHS_CRITERIA's order (enough data or not)."""

    def at_least(value, threshold):
        return value is not None and value >= threshold

    # The MIDAS bands are the grades': III is 11 to 20, IV is over 20.
    grade = midas_grade(midas_at_baseline)
    met = {
        "headache_days": at_least(cycle.change_from_baseline_pct, rules.ahs_reduction_pct),
        "moderate_severe_days": at_least(cycle.moderate_severe_change_pct, rules.ahs_reduction_pct),
        "midas_points": grade == "III" and at_least(cycle.midas_change, rules.ahs_midas_points),
        "midas_pct": grade == "IV"
        and cycle.midas_change is not None
        and Fraction(cycle.midas_change * 100, midas_at_baseline) >= rules.ahs_midas_pct,
    }
    return [name for name in AHS_CRITERIA if met[name]]


def ahs_benefit(cycle, midas_at_baseline, rules=DEFAULT_RULES):
    """American Headache Society 2021: a cycle's benefit, None when it cannot be judged."""
    if not cycle.enough_data:
        return None
    if ahs_criteria_met(cycle, midas_at_baseline, rules):
        return True
    return False if cycle.change_from_baseline_pct is not None else None


def cycle_ended(session_dates, number, today, rules=DEFAULT_RULES):
    """Cycle `number` has ended: the next session exists, or today is cycle_days or more after its
    session (the rule not_adequately_responding and the AHS judgement of cycle 2 use)."""
    sessions = sorted(date for date in session_dates if date <= today)
    if len(sessions) < number:
        return False
    return len(sessions) > number or today >= sessions[number - 1] + dt.timedelta(days=rules.cycle_days)


# ---------------------------------------------------------------- periods, medicines, factors


def menstruations(bleeding_dates, today, info_by_date, rules=DEFAULT_RULES):
    """Every menstruation, oldest first: runs of bleeding days at most menstruation_gap_days
    apart (one forgotten mark inside a period does not start another), day 1 the run's first.

    ICHD-3 numbers the days -2, -1, 1, 2, 3 (there is no day 0), so its "day 1 +/- 2" and
    "day -2 to +3" are the same five dates: day 1 - 2 .. day 1 + 2. Dates after today are
    ignored ("Nothing is recorded in advance"); info_by_date must hold every window's dates up
    to today, and a date missing from it is unrecorded.
    """
    runs = []
    for date in sorted({date for date in bleeding_dates if date <= today}):
        if runs and (date - runs[-1][1]).days <= rules.menstruation_gap_days:
            runs[-1][1] = date
        else:
            runs.append([date, date])
    result = []
    for day1, last in runs:
        first = day1 - dt.timedelta(days=rules.menstrual_window_before)
        end = day1 + dt.timedelta(days=rules.menstrual_window_after)
        infos = [info_by_date.get(date) for date in timeutil.date_range(first, end)]
        result.append(
            Menstruation(
                day1=day1,
                last_marked=last,
                window_start=first,
                window_end=end,
                assessable=end < today and all(info is not None and info.is_recorded for info in infos),
                migraine_in_window=any(info is not None and info.migraine for info in infos),
            )
        )
    return result


def menstrual_pattern(all_menstruations, info_by_date, rules=DEFAULT_RULES):
    """CLINICAL.md "Menstruation": (pattern or None, the assessable menstruations it rests on,
    BetweenWindows or None), from the most recent assessable menstruations."""
    assessable = [m for m in all_menstruations if m.assessable]
    needed = max(rules.menstruations_needed, 1)
    basis = assessable[-needed:]
    if len(basis) < needed:
        return None, basis, None
    in_windows = set()
    for m in basis:
        in_windows.update(timeutil.date_range(m.window_start, m.window_end))
    # Dates in the windows of menstruations other than these count as "outside" (the spec's
    # words); every date here is before today, so all of them count, recorded or not.
    outside = [
        info_by_date.get(date)
        for date in timeutil.date_range(basis[0].window_start, basis[-1].window_end)
        if date not in in_windows
    ]
    recorded = sum(info is not None and info.is_recorded for info in outside)
    migraine_days = sum(info is not None and info.migraine for info in outside)
    between = BetweenWindows(days=len(outside), days_recorded=recorded, migraine_days=migraine_days)
    if sum(m.migraine_in_window for m in basis) < rules.menstrual_windows_with_migraine:
        return "none", basis, between
    if migraine_days:
        return "menstrually_related", basis, between
    if not outside or Fraction(recorded, len(outside)) >= rules.enough_data:
        return "pure_menstrual", basis, between
    return "perimenstrual", basis, between


def acute_medicines(attacks, today, tz, now, rules=DEFAULT_RULES):
    """CLINICAL.md "How well acute medicines work": one MedicineEffect per medicine taken for
    the attacks that start in today - 89 .. today, most used first, then by name."""
    first = today - dt.timedelta(days=rules.acute_medicine_days - 1)
    groups = {}
    for order, attack in enumerate(attacks):
        if not first <= attack.start_date <= today:
            continue
        start = attack.interval(tz, now)[0]
        for index, (drug_class, name, answer) in enumerate(attack.medicine_items()):
            trimmed = name.strip()
            # An unnamed medicine goes with others of its class, never with one named "triptan".
            key = ("name", trimmed.casefold()) if trimmed else ("class", drug_class)
            # Ties on the start instant: the attack given first, then the earlier item on it.
            groups.setdefault(key, []).append(
                ((start, order, index), drug_class, name if trimmed else drug_class, answer)
            )
    effects = []
    for key, items in groups.items():
        items.sort(key=lambda item: item[0])
        answers = [item[3] for item in items if item[3] is not None]
        pain_free = answers.count("pain_free")
        better = answers.count("better")
        effects.append(
            (
                key,
                MedicineEffect(
                    name=items[0][2],  # as written on the earliest-starting attack
                    drug_class=items[-1][1],  # of the latest-starting one (the later item on one attack)
                    uses=len(items),
                    answered=len(answers),
                    pain_free_2h=pain_free,
                    better_2h=better,
                    pain_free_2h_pct=Fraction(pain_free * 100, len(answers)) if answers else None,
                    relief_2h_pct=Fraction((pain_free + better) * 100, len(answers)) if answers else None,
                    few_answers=len(answers) < rules.medicine_few_answers,
                ),
            )
        )
    # The class and the group last only so that equal names (an unnamed triptan and one named
    # "triptan") come in the same order every time.
    effects.sort(key=lambda pair: (-pair[1].uses, pair[1].name, pair[1].drug_class, pair[0]))
    return [effect for _, effect in effects]


def factor_counts(checkins, today, info_by_date, rules=DEFAULT_RULES):
    """CLINICAL.md "Daily factors": one FactorCount per factor listed on a counted date, by name.

    A counted date is in today - 179 .. today - 1, has a check-in, and it and the next date are
    both recorded; "a headache followed" when it or the next date is a headache day. Names are
    compared exactly ("Poor sleep" and "poor sleep" are two factors). With several check-ins
    for one date (the app keeps one), the last given counts.
    """
    first = today - dt.timedelta(days=rules.factor_window_days)
    by_date = {c.date: c for c in checkins if first <= c.date < today}
    counts = {}
    for date, checkin in by_date.items():
        info, next_info = info_by_date.get(date), info_by_date.get(date + ONE_DAY)
        if info is None or next_info is None or not (info.is_recorded and next_info.is_recorded):
            continue
        followed = info.is_headache_day or next_info.is_headache_day
        for name in checkin.listed:
            count = counts.setdefault(name, [0, 0, 0, 0])
            column = 0 if name in checkin.present else 2
            count[column] += 1
            count[column + 1] += followed
    return [
        FactorCount(
            name=name,
            days_with=with_,
            headache_after_with=after_with,
            days_without=without,
            headache_after_without=after_without,
            enough_days=with_ >= rules.factor_min_days and without >= rules.factor_min_days,
        )
        for name, (with_, after_with, without, after_without) in sorted(counts.items())
    ]


def _tracking(attacks, bleeding_dates, checkins, today, tz, now, info_by_date, rules):
    """The Progress fields of "Menstruation", "How well acute medicines work" and "Daily factors"."""
    every = menstruations(bleeding_dates, today, info_by_date, rules)
    pattern, basis, between = menstrual_pattern(every, info_by_date, rules)
    return {
        "menstrual_pattern": pattern,
        "menstruations": every,
        "menstrual_basis": basis,
        "menstrual_between": between,
        "acute_medicines": acute_medicines(attacks, today, tz, now, rules),
        "factors": factor_counts(checkins, today, info_by_date, rules),
    }


def compute(
    attacks,
    headache_free_dates,
    session_dates,
    tz,
    now,
    reported_baseline=None,
    midas_answers=(),
    side_effects=(),
    rules=DEFAULT_RULES,
    preventives=(),
    menstruation_dates=(),
    factor_checkins=(),
):
    """Every period, month and flag of a patient's diary, as CLINICAL.md defines them.

    preventives: PreventiveCourse values, for each period's changes and for the eligibility.
    menstruation_dates: the marked bleeding days; factor_checkins: FactorCheckIn values. Neither
    makes a day recorded. The 2-hour answers come with the attacks (AttackData.medicine_answers).
    """
    today = timeutil.today(tz, now)
    sessions = sorted({date for date in session_dates if date <= today})
    attacks = list(attacks)
    preventives = list(preventives)
    midas_answers = list(midas_answers)
    bleeding_dates = sorted(set(menstruation_dates))  # menstruations() leaves out those after today
    factor_checkins = list(factor_checkins)
    flags = set()
    if medication_overuse(attacks, today, rules):
        flags.add("medication_overuse_risk")

    # One pass over the days from the first that any figure needs to today.
    firsts = []
    if sessions:
        first_session = sessions[0]
        baseline_start = first_session - dt.timedelta(days=rules.baseline_days)
        # The days before the first session's EHF window too, should a clinic make it the longer.
        firsts.append(min(baseline_start, first_session - dt.timedelta(days=rules.around_session_days)))
    if bleeding_dates:
        firsts.append(bleeding_dates[0] - dt.timedelta(days=rules.menstrual_window_before))
    if factor_checkins:
        firsts.append(today - dt.timedelta(days=rules.factor_window_days))
    intervals, days = [], {}
    if firsts:
        # attack.interval() without its call: the periods need them again.
        interval = timeutil.attack_interval
        intervals = [interval(a.start_date, a.start_time, a.duration_minutes, tz, now) for a in attacks]
        days = _day_columns_of(attacks, intervals, headache_free_dates, tz, min(firsts), today, rules)
    info_by_date = _DayTable(days)
    tracking = _tracking(attacks, bleeding_dates, factor_checkins, today, tz, now, info_by_date, rules)
    if not sessions:
        return Progress(today, None, None, [], [], [f for f in FLAG_ORDER if f in flags], None, **tracking)

    recorded = info_by_date.is_recorded

    baseline = Period("baseline", 0, baseline_start, first_session - ONE_DAY, None)
    cycles = []
    for index, session in enumerate(sessions):
        end = sessions[index + 1] - ONE_DAY if index + 1 < len(sessions) else today
        cycles.append(Period("cycle", index + 1, session, end, session))
    periods = [baseline, *cycles]
    for period, starting in zip(periods, _starting(periods, attacks, intervals), strict=True):
        _fill(period, _counted(info_by_date, period.start, period.end, today), starting, rules)
    for cycle in cycles:
        cycle.weeks = _weeks(cycle, today, info_by_date, rules)

    if baseline.enough_data:
        baseline_source, baseline_rate = "diary", baseline.headache_days_per_28
    elif reported_baseline is not None:
        baseline_source, baseline_rate = "reported", Fraction(str(reported_baseline)) * 28 / 30
    else:
        baseline_source, baseline_rate = None, None
    for cycle in cycles:
        _change(cycle, baseline_rate)

    _assign_midas(cycles, midas_answers)
    midas_at_baseline = baseline_midas(midas_answers, first_session, rules)
    for cycle in cycles:
        _guideline_response(cycle, baseline, midas_at_baseline, rules)
        cycle.around_session = around_session(cycle.session_date, today, info_by_date, rules)
    for each in (baseline, *cycles):
        # The period's dates start..end, today included whether recorded or not.
        each.preventive_changes = preventive_changes(preventives, each.start, each.end)
        each.preventives_during = preventives_during(preventives, each.start, each.end)
    months = _months(first_session, today, info_by_date, rules)

    # not_adequately_responding: judged on cycle 2 once it has ended.
    if len(cycles) >= 2:
        cycle2 = cycles[1]
        ended = cycle_ended(sessions, 2, today, rules)
        change = cycle2.change_from_baseline_pct
        if ended and cycle2.enough_data and change is not None and change < rules.adequate_response_pct:
            flags.add("not_adequately_responding")

    recent = months[-rules.episodic_months :]
    if len(recent) == rules.episodic_months and all(
        m.enough_data
        and Fraction(m.headache_days * _days_in_month(m.first), m.days_recorded) < rules.episodic_threshold
        for m in recent
    ):
        flags.add("changed_to_episodic")

    current = cycles[-1]
    counted = counted_days(current.start, current.end, today, recorded)
    if len(counted) >= rules.gap_min_days:
        window = counted[-rules.gap_window_days :]
        if Fraction(sum(recorded(d) for d in window), len(window)) < rules.enough_data:
            flags.add("diary_gap")

    last_session = sessions[-1]
    if any(e.effect in URGENT_EFFECTS and e.started_on >= last_session for e in side_effects):
        flags.add("urgent_side_effect")
    since = (today - last_session).days
    if since >= rules.session_due_days:
        flags.add("session_due")
    if since >= rules.overdue_days:
        flags.add("overdue")

    return Progress(
        today=today,
        baseline_source=baseline_source,
        baseline_rate=baseline_rate,
        periods=[baseline, *cycles],
        months=months,
        flags=[f for f in FLAG_ORDER if f in flags],
        current_cycle=current_cycle(sessions, today, rules),
        eligibility=eligibility(baseline, first_session, preventives, attacks, rules),
        baseline_midas_score=midas_at_baseline,
        **tracking,
    )


def _weeks(cycle, today, info_by_date, rules):
    """Headache days in weeks 1-12 after the session, and how many of each week's days count."""
    weeks = []
    first = cycle.start
    for week in range(1, rules.weeks_in_cycle + 1):
        # The cycle's counted days in this week are the counted days of the week cut at the
        # cycle's end (none once the week starts after it).
        counts = _counted(info_by_date, first, min(first + SIX_DAYS, cycle.end), today)
        weeks.append(
            {
                "week": week,
                "headache_days": counts.headache,
                "days_recorded": counts.recorded,
                "days": counts.days,
            }
        )
        first += ONE_WEEK
    return weeks


def _assign_midas(cycles, answers):
    for cycle in cycles:
        inside = [a for a in answers if cycle.start <= a.answered_on <= cycle.end]
        if inside:
            latest = max(inside, key=lambda a: (a.answered_on, a.order))
            cycle.midas_score = latest.score
            cycle.midas_grade = midas_grade(latest.score)


def _number(value):
    return None if value is None else float(value)


def _window_json(w):
    return {
        "start": w.start.isoformat(),
        "end": w.end.isoformat(),
        "days": w.days,
        "days_recorded": w.days_recorded,
        "headache_days": w.headache_days,
        "headache_days_per_28": _number(w.headache_days_per_28),
        "enough_data": w.enough_data,
    }


def _eligibility_json(e):
    if e is None:
        return None
    return {
        "chronic_migraine_by_diary": e.chronic_migraine_by_diary,
        "prior_preventives_failed": e.prior_preventives_failed,
        "three_preventives_failed": e.three_preventives_failed,
        "medication_overuse_at_baseline": e.medication_overuse_at_baseline,
    }


def period_json(period):
    data = {
        "kind": period.kind,
        "number": period.number,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "session_date": period.session_date.isoformat() if period.session_date else None,
        "days": period.days,
        "days_recorded": period.days_recorded,
        "completeness": _number(period.completeness),
        "enough_data": period.enough_data,
        "headache_days": period.headache_days,
        "preempt_headache_days": period.preempt_headache_days,
        "migraine_days": period.migraine_days,
        "moderate_severe_days": period.moderate_severe_days,
        "headache_days_per_28": _number(period.headache_days_per_28),
        "migraine_days_per_28": _number(period.migraine_days_per_28),
        "moderate_severe_days_per_28": _number(period.moderate_severe_days_per_28),
        "headache_hours": _number(period.headache_hours),
        "attacks": period.attacks,
        "mean_attack_hours": _number(period.mean_attack_hours),
        "mean_worst_severity": _number(period.mean_worst_severity),
        "acute_medication_days": period.acute_medication_days,
        "change_from_baseline_pct": _number(period.change_from_baseline_pct),
        "responder_30": period.responder_30,
        "responder_50": period.responder_50,
        "preventive_changes": [
            {"name": c.name, "class": c.drug_class, "change": c.change, "date": c.date.isoformat()}
            for c in period.preventive_changes
        ],
        "preventives_during": list(period.preventives_during),
    }
    if period.kind == "cycle":
        data["midas_score"] = period.midas_score
        data["midas_grade"] = period.midas_grade
        data["migraine_change_pct"] = _number(period.migraine_change_pct)
        data["moderate_severe_change_pct"] = _number(period.moderate_severe_change_pct)
        data["midas_change"] = period.midas_change
        data["ahs_benefit"] = period.ahs_benefit
        around = period.around_session
        data["around_session"] = None if around is None else {key: _window_json(w) for key, w in around.items()}
    return data


def progress_json(progress, time_zone):
    """The progress JSON of FORMATS.md."""
    return {
        "generated_on": progress.today.isoformat(),
        "time_zone": time_zone,
        "baseline_source": progress.baseline_source,
        "periods": [period_json(p) for p in progress.periods],
        "months": [
            {
                "month": m.month,
                "days": m.days,
                "days_recorded": m.days_recorded,
                "headache_days": m.headache_days,
                "enough_data": m.enough_data,
            }
            for m in progress.months
        ],
        "flags": list(progress.flags),
        "eligibility": _eligibility_json(progress.eligibility),
        "baseline_midas_score": progress.baseline_midas_score,
        "menstrual_pattern": progress.menstrual_pattern,
        "acute_medicines": [
            {
                "name": m.name,
                "class": m.drug_class,
                "uses": m.uses,
                "answered": m.answered,
                "pain_free_2h": m.pain_free_2h,
                "pain_free_2h_pct": _number(m.pain_free_2h_pct),
                "relief_2h_pct": _number(m.relief_2h_pct),
            }
            for m in progress.acute_medicines
        ],
        "factors": [
            {
                "name": f.name,
                "days_with": f.days_with,
                "headache_after_with": f.headache_after_with,
                "days_without": f.days_without,
                "headache_after_without": f.headache_after_without,
            }
            for f in progress.factors
        ],
    }
