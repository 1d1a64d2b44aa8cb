"""Days, periods and the clinicians' rules, computed from plain values. PURE: no ORM, no request.

CLINICAL.md is the specification. The views load a patient's rows once, turn them into the
plain values below, and hand them over with the time zone and "now".
"""

import datetime as dt
from dataclasses import dataclass, field

from diary import timeutil

CYCLE_DAYS = 84  # 12 weeks, the PREEMPT schedule


@dataclass(frozen=True)
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

    def interval(self, tz, now):
        """[start, end) as real instants; an attack still going lasts until now."""
        start = timeutil.to_instant(self.start_date, self.start_time, tz)
        if self.duration_minutes is None:
            return start, max(start, now)
        return start, start + dt.timedelta(minutes=self.duration_minutes)


@dataclass
class DayInfo:
    """What the diary says about one local date."""

    date: dt.date
    headache_free: bool = False
    worst_severity: int | None = None
    attack_count: int = 0

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


def day_infos(attacks, headache_free_dates, tz, now, first, last):
    """DayInfo for every date from first to last, from the attacks touching them."""
    days = {date: DayInfo(date) for date in timeutil.date_range(first, last)}
    for date in headache_free_dates:
        if date in days:
            days[date].headache_free = True
    for attack in attacks:
        start, end = attack.interval(tz, now)
        for date in timeutil.days_touched(start, end, tz):
            info = days.get(date)
            if info is None:
                continue
            info.attack_count += 1
            info.worst_severity = max(info.worst_severity or 0, attack.severity)
    return [days[date] for date in sorted(days)]


@dataclass(frozen=True)
class CurrentCycle:
    number: int
    session_date: dt.date
    day: int
    next_due: dt.date


def current_cycle(session_dates, today):
    """The cycle today falls in: its number, day (day 1 is the session) and next session due."""
    past = sorted(date for date in session_dates if date <= today)
    if not past:
        return None
    last = past[-1]
    return CurrentCycle(
        number=len(past),
        session_date=last,
        day=(today - last).days + 1,
        next_due=last + dt.timedelta(days=CYCLE_DAYS),
    )
