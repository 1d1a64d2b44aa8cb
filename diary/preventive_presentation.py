"""How other preventive treatments are shown: the list, each period's changes and the timeline
under the progress chart. Pure: plain values and rows already loaded in, words and geometry out.
"""

import bisect
import datetime as dt

from django.utils.html import escape
from django.utils.safestring import mark_safe

from diary import presentation
from diary.models import PreventiveClass, StopReason

ONE_DAY = dt.timedelta(days=1)

# Short names of the types, for sentences ("Topiramate, an anti-epileptic").
TYPE_WORDS = {
    PreventiveClass.CGRP_ANTIBODY: "CGRP antibody",
    PreventiveClass.GEPANT_PREVENTIVE: "gepant for prevention",
    PreventiveClass.BETA_BLOCKER: "beta blocker",
    PreventiveClass.ANTIEPILEPTIC: "anti-epileptic",
    PreventiveClass.ANTIDEPRESSANT: "antidepressant",
    PreventiveClass.CANDESARTAN: "candesartan",
    PreventiveClass.FLUNARIZINE: "flunarizine",
    PreventiveClass.OTHER: "other",
}
REASON_WORDS = {
    StopReason.NOT_EFFECTIVE: "it did not help enough",
    StopReason.SIDE_EFFECTS: "side effects",
    StopReason.OTHER: "another reason",
}
CHANGES_NOTE = "Another preventive was started or stopped in this cycle: compare it with care."
BASELINE_CHANGES_NOTE = "Another preventive was started or stopped before treatment (the baseline): compare with care."


def type_words(drug_class):
    return TYPE_WORDS.get(drug_class, drug_class)


def course_dates(course):
    if course.stop is None:
        return f"since {presentation.long_date(course.start)}"
    return presentation.date_range(course.start, course.stop)


def course_rows(courses):
    """The courses for a list: those still taken first (latest started first), then the stopped
    ones (latest stopped first). Each with its dates and status in words."""
    taking = sorted((c for c in courses if c.stop is None), key=lambda c: (c.start, c.pk or 0), reverse=True)
    stopped = sorted((c for c in courses if c.stop is not None), key=lambda c: (c.stop, c.pk or 0), reverse=True)
    return [
        {
            "course": course,
            # "Candesartan (candesartan)" says it twice: the type only when the name does not say it.
            "type": ""
            if type_words(course.drug_class).casefold() in course.name.casefold()
            else type_words(course.drug_class),
            "dates": course_dates(course),
            "taking": course.stop is None,
            "status": "Still taking it"
            if course.stop is None
            else f"Stopped: {REASON_WORDS.get(course.stop_reason, '')}",
        }
        for course in taking + stopped
    ]


def change_words(period):
    """'Topiramate started 1 October 2026' for each start and stop in the period, in the JSON's order."""
    return [f"{c.name} {c.change} {presentation.long_date(c.date)}" for c in period.preventive_changes]


def changes_note(period):
    if not period.preventive_changes:
        return ""
    return CHANGES_NOTE if period.kind == "cycle" else BASELINE_CHANGES_NOTE


# ---------------------------------------------------------------- the timeline under the chart

# A lane is a line of words and a bar below it; the top holds the heading and the periods' names.
WIDE_TOP, WIDE_LANE = 34, 30
PHONE_TOP, PHONE_LANE = 30, 40
PHONE_NAME_LENGTH = 22


def _shown(courses, first, last):
    """The courses active on any date of the chart's periods, oldest start first."""
    return sorted(
        (c for c in courses if c.start <= last and (c.stop is None or c.stop >= first)),
        key=lambda c: (c.start, c.name, c.pk or 0),
    )


def _short_dates(start, end):
    """'26 Sep 2026', '1 – 28 Nov 2026', '21 Feb – 27 May 2026', '17 Aug 2025 – 17 Jan 2026'."""
    if end is None:
        return f"{start.day} {start:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} – {end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


def _short_name(name):
    return name if len(name) <= PHONE_NAME_LENGTH else name[: PHONE_NAME_LENGTH - 1] + "…"


def _bar_title(course):
    """A bar's tooltip: the course in full."""
    if course.stop is None:
        return f"{course.name}: since {presentation.long_date(course.start)}, still taken"
    reason = REASON_WORDS.get(course.stop_reason, "")
    return f"{course.name}: {presentation.date_range(course.start, course.stop)}, stopped ({reason})"


def _lanes(shown):
    """Courses in lanes: one lane per medicine (its name, trimmed and case folded), its courses in
    order of start; a course that overlaps the lane's last one (the same medicine twice at once)
    gets a lane of its own."""
    lanes, open_lane = [], {}
    for course in shown:
        key = course.name.strip().casefold()
        lane = open_lane.get(key)
        if lane is None or lane[-1].stop is None or lane[-1].stop >= course.start:
            lane = []
            lanes.append(lane)
            open_lane[key] = lane
        lane.append(course)
    return lanes


def _lane_words(courses):
    """The words above a lane's bars, short enough for a phone."""
    name = _short_name(courses[0].name)
    if len(courses) > 1:
        return f"{name}: {len(courses)} courses"
    course = courses[0]
    if course.stop is None:
        return f"{name}: since {_short_dates(course.start, None)}"
    return f"{name}: {_short_dates(course.start, course.stop)}"


def _phone_label(period, count):
    """A period's name over its column on a phone: in words while they fit, else B, 1, 2, ..."""
    if count <= 3:
        return "Before" if period.kind == "baseline" else f"Cycle {period.number}"
    return "B" if period.kind == "baseline" else str(period.number)


def timeline(progress, courses, chart):
    """Geometry of the timeline drawn under the progress chart's periods, wide and phone, or None.

    Each period takes the same width as its group of bars in the chart above (presentation.chart),
    and a date falls in it in proportion to its place in the period's days, so a course's bar runs
    under the cycles it was taken in. Courses before the baseline are left out (the list has them).
    """
    periods = progress.periods
    if not periods or chart is None:
        return None
    first, last = periods[0].start, periods[-1].end
    shown = _shown(courses, first, last)
    if not shown:
        return None
    left, right = chart["left"], chart["right"]
    count = len(periods)
    group = (right - left) / count
    starts = [p.start for p in periods]

    def fraction(date):
        """Where the start of `date` falls, in periods from the left edge (0 .. count)."""
        if date <= first:
            return 0.0
        if date > last:
            return float(count)
        index = bisect.bisect_right(starts, date) - 1
        period = periods[index]
        return index + (date - period.start).days / ((period.end - period.start).days + 1)

    lanes = []
    for number, lane_courses in enumerate(_lanes(shown)):
        bars = []
        for course in lane_courses:
            begin, end = fraction(course.start), fraction((course.stop or last) + ONE_DAY)
            x1, x2 = left + group * begin, left + group * end
            bars.append(
                {
                    "course": course,
                    "title": _bar_title(course),
                    "begin": begin,
                    "end": end,
                    "started_here": course.start >= first,
                    "stopped_here": course.stop is not None and course.stop <= last,
                    "wide": {"x1": x1, "x2": x2, "width": max(x2 - x1, 2.0)},
                    "phone": {
                        "x1": round(100 * begin / count, 2),
                        "width": max(round(100 * (end - begin) / count, 2), 0.5),
                    },
                }
            )
        x1, x2 = bars[0]["wide"]["x1"], bars[-1]["wide"]["x2"]
        # Words start above the first bar; past the middle they end above the last one instead.
        anchor = "end" if x1 > (left + right) / 2 else "start"
        lanes.append(
            {
                "words": _lane_words(lane_courses),
                "bars": bars,
                "wide_y": WIDE_TOP + WIDE_LANE * number,
                "phone_y": PHONE_TOP + PHONE_LANE * number,
                "wide": {"anchor": anchor, "text_x": min(x2, right) if anchor == "end" else x1},
            }
        )
    boundaries = [
        {"wide_x": left + group * index, "phone_x": round(100 * index / len(periods), 2)}
        for index in range(len(periods) + 1)
    ]
    labels = [
        {
            "wide_x": left + group * (index + 0.5),
            "phone_x": round(100 * (index + 0.5) / len(periods), 2),
            "wide": presentation.short_label(period),
            "phone": _phone_label(period, len(periods)),
        }
        for index, period in enumerate(periods)
    ]
    return {
        "lanes": lanes,
        "boundaries": boundaries,
        "labels": labels,
        "crowded": chart["crowded"],
        "short_labels": len(periods) > 3,
        "width": chart["width"],
        "wide_height": WIDE_TOP + WIDE_LANE * len(lanes) + 4,
        "phone_height": PHONE_TOP + PHONE_LANE * len(lanes) + 4,
        "left_out": len(courses) - len(shown),
        "bars": sum(len(lane["bars"]) for lane in lanes),
    }


# The progress page's cards, a cycle each (templates/diary/includes/_progress_body.html prints them with
# {% cycle_cards %}), built here as each card cost about 15 variables, filters and conditions. The markup is
# byte for byte what the template's loop drew, its whitespace included; every text is escaped.
_CARD_END = "\n          </ul>\n        </div>\n      </section>\n    </div>\n    "


def cycle_cards_markup(cycle_rows):
    """The cards of period_rows' cycle rows, the latest first: each cycle's figures in words, with a note when
    another preventive was started or stopped in it."""
    parts = []
    for row in reversed(cycle_rows):
        period = row["period"]
        label, days_recorded = presentation.escape_text(row["label"]), presentation.escape_text(row["days_recorded"])
        not_enough = (
            ""
            if period.enough_data
            else f'<p class="badge text-bg-light border">Not enough data: {days_recorded} recorded</p>'
        )
        note = changes_note(period)
        if note:
            changes = "; ".join(escape(words) for words in change_words(period))
            note = (
                f'<p class="mb-1 fw-semibold preventive-note">{escape(note)} '
                f'<span class="fw-normal">{changes}.</span></p>'
            )
        parts.append(
            f'\n    <div class="col-md-6">\n      <section class="card h-100" aria-label="{label}">'
            f'\n        <div class="card-body">'
            f'\n          <h3 class="h5">{label} <span class="small text-body-secondary">'
            f"from {presentation.escape_text(row['start_date'])}</span></h3>"
            f"\n          {not_enough}"
            f'\n          <p class="mb-1">{escape(row["change_words"])}</p>'
            f"\n          {note}"
            '\n          <ul class="small mb-0">'
            f"\n            <li>Response: {presentation.escape_text(row['responder'])}</li>"
            f"\n            <li>{escape(row['day_kinds'])}</li>"
            f"\n            <li>Diary complete: {presentation.escape_text(row['completeness'])} ({days_recorded})</li>"
            f"\n            <li>{escape(row['attack_words'])}</li>"
            f"\n            <li>MIDAS: {presentation.escape_text(row['midas'])}</li>" + _CARD_END
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
