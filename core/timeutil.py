"""Local dates and times in a patient's time zone, as CLINICAL.md defines them. Pure.

Attacks are stored as a local date and time (the patient's wall clock) plus an elapsed
duration. These helpers turn them into real instants and back, so that a day is 23 or 25 hours
long when the clocks change and an attack's duration is elapsed time, not clock time.
"""

import datetime as dt
import zoneinfo
from functools import lru_cache

UTC = dt.UTC
ONE_DAY = dt.timedelta(days=1)

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
    if strict and not exists(date, time, tz):
        raise NonexistentLocalTime(f"{time:%H:%M} does not exist on {date:%d %B %Y} in {tz.key}")
    # fold=0 is a repeated time's first occurrence and, in a gap, the offset before the
    # transition, as CLINICAL.md asks. The instant is the same whether the time exists or not,
    # so only strict asks exists() (two more conversions, once per attack of a diary not yet
    # remembered).
    return local.astimezone(UTC)


def local_date(instant, tz):
    return instant.astimezone(tz).date()


@lru_cache(maxsize=65536)
def day_start(date, tz):
    """The instant the local day begins (local midnight, or the first moment after a gap)."""
    return to_instant(date, dt.time(0, 0), tz)


@lru_cache(maxsize=65536)
def day_bounds(date, tz):
    """The local day as real instants: (day_start(date), day_start(next date)), so [begin, end).

    Remembered per process like day_start: the progress computation asks it for every date an
    attack touches, and one look-up is cheaper than two and a date addition.
    """
    return day_start(date, tz), day_start(date + ONE_DAY, tz)


def today(tz, now):
    return now.astimezone(tz).date()


@lru_cache(maxsize=65536)
def local_start(date, time, tz):
    """(to_instant(date, time, tz), local_date of that instant): the instant an attack starts and
    the date days_touched counts from. Pure, remembered per process as to_instant is (the local
    date is the attack's own date unless the clocks skipped its time, but it is not assumed)."""
    instant = to_instant(date, time, tz)
    return instant, local_date(instant, tz)


def days_touched(start, end, tz):
    """Local dates that the half-open interval [start, end) overlaps for a positive time."""
    if end <= start:
        return []
    return days_touched_from(local_date(start, tz), end, tz)


def days_touched_from(first, end, tz):
    """days_touched(start, end, tz) given first, start's local date, and end > start."""
    # Most attacks end on the day they start: an end before the next local day begins is on first,
    # so first is the only date touched, told by the remembered bounds without converting end to
    # local time. (An end exactly at that instant takes the long way: where a date was skipped,
    # Apia's 30 December 2011, the long way counts the skipped date, and so did this code before.)
    if end < day_bounds(first, tz)[1]:
        return [first]
    last = end.astimezone(tz).date()  # local_date(end, tz), without a call per attack
    if day_start(last, tz) >= end:
        last -= ONE_DAY
    return [first] if last == first else date_range(first, last)  # most attacks: one day


ONE_MINUTE = dt.timedelta(minutes=1)


# Pure, and asked once per attack (and per progress computation for each threshold in minutes):
# making a timedelta from keyword arguments costs several times a look-up. Durations are at
# most 14 days, so every whole number of minutes an attack can last fits.
@lru_cache(maxsize=32768)
def minutes(count):
    """dt.timedelta(minutes=count)."""
    return dt.timedelta(minutes=count)


def attack_interval(date, time, duration_minutes, tz, now):
    """An attack's [start, end) as real instants. Duration is elapsed time; an attack still
    going (no duration) lasts until now, and at least 1 minute."""
    start = to_instant(date, time, tz)
    if duration_minutes is None:
        return start, max(start + ONE_MINUTE, now)
    return start, start + minutes(duration_minutes)


def date_range(first, last):
    """Every date from first to last inclusive (a new list: callers may add to it)."""
    # By day number: several times faster than adding a timedelta per date, and a progress
    # computation makes tens of thousands of dates.
    return list(map(dt.date.fromordinal, range(first.toordinal(), last.toordinal() + 1)))
