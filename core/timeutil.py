"""Local dates and times in a patient's time zone, as CLINICAL.md defines them. Pure.

Attacks are stored as a local date and time (the patient's wall clock) plus an elapsed
duration. These helpers turn them into real instants and back, so that a day is 23 or 25 hours
long when the clocks change and an attack's duration is elapsed time, not clock time.
"""

import datetime as dt
import zoneinfo
from functools import lru_cache

UTC = dt.UTC

# The earliest date the diary accepts. Botox was licensed for chronic migraine in 2010; an
# earlier date is a typing slip, and far-past dates would overflow the time zone arithmetic.
MIN_DATE = dt.date(2000, 1, 1)
MIN_DATE_MESSAGE = "Dates before 1 January 2000 are not accepted: check the year."


class NonexistentLocalTime(ValueError):
    """A local time that the clocks skip (spring forward): it never happened."""


@lru_cache(maxsize=256)
def zone(name):
    return zoneinfo.ZoneInfo(name)


def is_valid_zone(name):
    try:
        zone(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True


def exists(date, time, tz):
    """Whether this wall-clock time happens on this date in this zone."""
    local = dt.datetime.combine(date, time, tzinfo=tz)
    back = local.astimezone(UTC).astimezone(tz)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


# Pure and asked again and again for the same dates (a 3-year diary asks ~8,000 times per
# progress computation): remembered per process.
@lru_cache(maxsize=65536)
def to_instant(date, time, tz, strict=False):
    """The real instant (in UTC) of a local date and time.

    A time that happens twice (clocks going back) means its first occurrence. A time that
    never happens (clocks going forward) is refused when strict; otherwise, as for records
    kept after a change of time zone, it is read with the offset before the change.
    """
    local = dt.datetime.combine(date, time, tzinfo=tz).replace(fold=0)
    if not exists(date, time, tz):
        if strict:
            raise NonexistentLocalTime(f"{time:%H:%M} does not exist on {date:%d %B %Y} in {tz.key}")
        # fold=0 in a gap uses the offset before the transition, as CLINICAL.md asks.
        return local.astimezone(UTC)
    return local.astimezone(UTC)


def local_date(instant, tz):
    return instant.astimezone(tz).date()


@lru_cache(maxsize=65536)
def day_start(date, tz):
    """The instant the local day begins (local midnight, or the first moment after a gap)."""
    return to_instant(date, dt.time(0, 0), tz)


def today(tz, now):
    return now.astimezone(tz).date()


def days_touched(start, end, tz):
    """Local dates that the half-open interval [start, end) overlaps for a positive time."""
    if end <= start:
        return []
    first = local_date(start, tz)
    last = local_date(end, tz)
    if day_start(last, tz) >= end:
        last -= dt.timedelta(days=1)
    return [first] if last == first else date_range(first, last)  # most attacks: one day


def attack_interval(date, time, duration_minutes, tz, now):
    """An attack's [start, end) as real instants. Duration is elapsed time; an attack still
    going (no duration) lasts until now, and at least 1 minute."""
    start = to_instant(date, time, tz)
    if duration_minutes is None:
        return start, max(start + dt.timedelta(minutes=1), now)
    return start, start + dt.timedelta(minutes=duration_minutes)


def date_range(first, last):
    """Every date from first to last inclusive (a new list: callers may add to it)."""
    # By day number: several times faster than adding a timedelta per date, and a progress
    # computation makes tens of thousands of dates.
    return list(map(dt.date.fromordinal, range(first.toordinal(), last.toordinal() + 1)))
