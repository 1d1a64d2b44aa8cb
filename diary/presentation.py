"""How progress figures are shown: rounding, words and the server-rendered chart. Pure."""

import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

from diary.cycles import MIDAS_GRADE_WORDS
from diary.models import MedicineClass

# Where a patient is sent for urgent help (settings.EMERGENCY_NUMBER and friends, read by
# diary.templatetags.wording.help_numbers); these are the UK defaults, for callers without settings.
UK_HELP = {"emergency": "999", "advice": "NHS 111", "department": "A&E"}

FLAG_TEXT = {
    "not_adequately_responding": (
        "After 2 treatment cycles",
        "Your headache days have gone down by less than 30% compared with before treatment. "
        "Discuss with your clinician whether to carry on with this treatment.",
    ),
    "changed_to_episodic": (
        "Fewer than 15 headache days a month",
        "For each of the last 3 complete months you had fewer than 15 headache days. "
        "Discuss with your clinician what this means for your treatment.",
    ),
    "medication_overuse_risk": (
        "Acute medicines on many days",
        "In the last 30 days you took headache medicines on many days. Taking them this often can "
        "make headaches more frequent. Discuss with your clinician.",
    ),
    "diary_gap": (
        "Gaps in your diary",
        "Some days in this cycle are not recorded, so its numbers are less reliable. "
        "Fill in the days you remember, and discuss anything that worries you with your clinician.",
    ),
    "urgent_side_effect": (
        "Urgent side effect reported",
        "You reported difficulty swallowing, speaking or breathing since your last session. "
        "Seek urgent medical care now: call {emergency} or go to {department}.",
    ),
    "session_due": (
        "Next session due",
        "It is 11 weeks or more since your last treatment session. Discuss the date of your next one with your clinic.",
    ),
    "overdue": (
        "Session overdue",
        "It is more than 12 weeks since your last treatment session. Discuss with your clinician or clinic.",
    ),
}

# The same flags for a clinician reading the patient's report: about the patient, not to them.
CLINICIAN_FLAG_TEXT = {
    "not_adequately_responding": (
        "After 2 treatment cycles",
        "Headache days are down by less than 30% from baseline in cycle 2 (NICE TA260 stopping rule).",
    ),
    "changed_to_episodic": (
        "Fewer than 15 headache days a month",
        "Fewer than 15 headache days in each of the last 3 complete months (NICE TA260 stopping rule).",
    ),
    "medication_overuse_risk": (
        "Acute medicines on many days",
        "In the last 30 days, acute medicines were taken on enough days to risk medication-overuse headache "
        "(ICHD-3 8.2).",
    ),
    "diary_gap": (
        "Gaps in the diary",
        "Fewer than 24 of the last 28 days of this cycle are recorded: its figures are less reliable.",
    ),
    "urgent_side_effect": (
        "Urgent side effect reported",
        "The patient reported difficulty swallowing, speaking or breathing since the last session: "
        "contact the patient now.",
    ),
    "session_due": ("Next session due", "11 weeks or more since the last treatment session."),
    "overdue": ("Session overdue", "More than 12 weeks since the last treatment session."),
}

# Short labels for clinicians' badges.
FLAG_LABELS = {
    "not_adequately_responding": "Not responding (<30%)",
    "changed_to_episodic": "Now episodic",
    "medication_overuse_risk": "Medication overuse risk",
    "diary_gap": "Diary gap",
    "urgent_side_effect": "URGENT side effect",
    "session_due": "Session due",
    "overdue": "Overdue",
}


def number(value, places=1):
    """A figure for reading: at most `places` decimals, no trailing zeros."""
    if value is None:
        return "–"
    if type(value) is Fraction:  # most figures: float(value) is this division, without the numbers ABC's dispatch
        value = value.numerator / value.denominator
    elif type(value) is not float:
        value = float(value)
    text = f"{value:.1f}" if places == 1 else f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(value):
    return "–" if value is None else f"{round(float(value))}%"


def counted(count, singular, plural=None):
    """'1 headache day', '2 headache days', '0 headache days'."""
    return f"{count} {ngettext(singular, plural or singular + 's', count)}"


@functools.lru_cache(maxsize=16)
def _month_names(language):
    """MONTHS' names as they print in `language`: formatting a lazy name costs more than the rest of a date."""
    return ("",) + tuple(str(MONTHS[month]) for month in range(1, 13))


def _day_month(date):
    """'1 December': dateformat's "j F", without parsing the format on each call (a progress page says 40 dates)."""
    return f"{date.day} {_month_names(get_language())[date.month]}"


def long_date(date):
    """Dates on clinicians' pages and reports: '1 December 2026' (dateformat's "j F Y", the `date:"j F Y"` filter)."""
    return f"{_day_month(date)} {date.year:04d}"


def date_range(start, end):
    """A period's dates in full, the year and month said once: '2–29 December 2023',
    '17 June – 8 September 2024', '30 December 2023 – 22 March 2024'."""
    if start == end:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{long_date(end)}"
    if start.year == end.year:
        return f"{_day_month(start)} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"


def duration_words(minutes):
    """An attack's length as people say it: '1 minute', '2 hours 5 minutes', '24 hours', and in
    days from 48 hours: '3 days 2 hours'; None is 'still going'."""
    if minutes is None:
        return "still going"
    minutes = int(minutes)
    days, rest = divmod(minutes, 1440) if minutes >= 2880 else (0, minutes)
    hours, minutes = divmod(rest, 60)
    parts = [counted(n, unit) for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute")) if n]
    return " ".join(parts) or "0 minutes"


def day_words(date, today=None):
    """Patients' dates: 'Tuesday 24 November', with the year when it is not `today`'s."""
    words = f"{date:%A} {date.day} {date:%B}"
    return words if today is None or date.year == today.year else f"{words} {date.year}"


# ---------------------------------------------------------------- early in a cycle

# Below this many counted days a rate per 28 days swings wildly (1 headache on day 1 reads as
# 28 per 28), so pages give plain counts and no comparison. The JSON keeps its rates.
EARLY_DAYS = 14


def is_early(period):
    return period.days < EARLY_DAYS


def change_direction(change):
    """A change from baseline with its direction: '32% fewer', '12% more', 'no change'."""
    if change is None:
        return "–"
    rounded = round(float(change))
    if rounded > 0:
        return f"{rounded}% fewer"
    if rounded < 0:
        return f"{-rounded}% more"
    return "no change"


def count_in_days(count, days):
    """A short early-cycle figure for a table cell: '2 in 5 days'."""
    return f"{count} in {counted(days, 'day')}"


def _early_words(period, is_current):
    session = "your session" if is_current else "the session"
    if period.days_recorded == 0:
        return "No days recorded yet since your session." if is_current else "No days recorded in this cycle."
    if period.days == 1:  # the one counted day is the session's own
        text = ("A headache" if period.headache_days else "No headache") + f" on the day of {session}"
    else:
        where = f"the {counted(period.days, 'day')} " + ("since your session" if is_current else "of this cycle")
        headaches = counted(period.headache_days, "headache day") if period.headache_days else "No headache days"
        text = f"{headaches} in {where}"
        if period.days_recorded < period.days:
            text += f"; {period.days_recorded} of the {period.days} are recorded"
    if is_current:
        return text + f". It is too early to compare with before treatment: that needs at least {EARLY_DAYS} days."
    return text + f". The cycle was too short to compare with before treatment (fewer than {EARLY_DAYS} days)."


def change_in_words(period, baseline_rate, is_current=False):
    """The sentence a cycle leads with: counts early in a cycle, then the rate and its change."""
    if is_early(period):
        return _early_words(period, is_current)
    if period.headache_days_per_28 is None:
        return "No recorded days yet."
    rate = number(period.headache_days_per_28)
    text = f"{rate} headache days per 28 days"
    change = period.change_from_baseline_pct
    if change is None:
        if baseline_rate is None:
            return text + ". There is no baseline to compare with yet."
        return text + f", compared with {number(baseline_rate)} before treatment."
    before = number(baseline_rate)
    rounded = round(float(change))
    if rounded > 0:
        return f"{text}, down from {before}: {rounded}% fewer."
    if rounded < 0:
        return f"{text}, up from {before}: {-rounded}% more."
    return f"{text}, the same as before treatment ({before}): no change."


def responder_words(period):
    if period.kind == "cycle" and is_early(period):
        return "Too early to tell"
    if period.responder_50:
        return "50% or more fewer headache days"
    if period.responder_30:
        return "30% to 49% fewer headache days"
    if period.responder_30 is False:
        return "Less than 30% fewer headache days"
    return "Not known yet"


def midas_words(period):
    if period.midas_score is None:
        return "Not answered"
    return f"{period.midas_score} (grade {period.midas_grade}: {MIDAS_GRADE_WORDS[period.midas_grade]})"


def period_label(period):
    return "Before treatment (baseline)" if period.kind == "baseline" else f"Cycle {period.number}"


def short_label(period):
    return "Baseline" if period.kind == "baseline" else f"Cycle {period.number}"


def _rate_or_count(period, rate, count):
    return count_in_days(count, period.days) if is_early(period) else number(rate)


def _day_kinds_words(period):
    if is_early(period):
        return (
            f"Migraine days: {period.migraine_days}; moderate or severe days: {period.moderate_severe_days} "
            f"(in {counted(period.days, 'day')})"
        )
    return (
        f"Migraine days per 28 days: {number(period.migraine_days_per_28)}; "
        f"moderate or severe: {number(period.moderate_severe_days_per_28)}"
    )


def _attack_words(period):
    if not period.attacks:
        text = "No attacks"
    else:
        text = counted(period.attacks, "attack")
        if period.mean_attack_hours is not None:
            hours = number(period.mean_attack_hours)
            text += f", on average {hours} {'hour' if hours == '1' else 'hours'}"
    return text + f"; days with acute medicine: {period.acute_medication_days}"


def _midas_cell(period):
    """The table's MIDAS cell: the score ('–' if none) and its grade, '20 (III)'; '' for the baseline."""
    if period.kind != "cycle":
        return ""
    score = "–" if period.midas_score is None else str(period.midas_score)
    return f"{score} ({period.midas_grade})" if period.midas_grade else score


def period_rows(progress):
    """Each period with its figures formatted for the table and the page: every figure a template
    prints is a string here (a template localizing an int costs more than the rest of its cell)."""
    current = progress.current_cycle
    rows = []
    for period in progress.periods:
        is_cycle = period.kind == "cycle"
        early = is_early(period)
        is_current = bool(is_cycle and current and period.number == current.number)
        rows.append(
            {
                "period": period,
                "label": period_label(period),
                "dates": date_range(period.start, period.end),
                "early": early,
                "per_28": _rate_or_count(period, period.headache_days_per_28, period.headache_days),
                "migraine_per_28": _rate_or_count(period, period.migraine_days_per_28, period.migraine_days),
                "moderate_severe_per_28": _rate_or_count(
                    period, period.moderate_severe_days_per_28, period.moderate_severe_days
                ),
                "completeness": percent(period.completeness * 100) if period.completeness is not None else "–",
                "start_date": long_date(period.start),
                "days_recorded": f"{period.days_recorded} of {counted(period.days, 'day')}",
                "recorded_of": f"{period.days_recorded} of {period.days}",
                "headache_day_count": str(period.headache_days),
                "attack_count": str(period.attacks),
                "medicine_day_count": str(period.acute_medication_days),
                "midas_cell": _midas_cell(period),
                "change": "too early" if early else change_direction(period.change_from_baseline_pct),
                "change_words": change_in_words(period, progress.baseline_rate, is_current) if is_cycle else "",
                "responder": responder_words(period) if is_cycle else "",
                "midas": midas_words(period) if is_cycle else "",
                "day_kinds": _day_kinds_words(period),
                "attack_words": _attack_words(period),
            }
        )
    return rows


def week_rows(cycle_periods):
    """The week-by-week table: per cycle its number and a cell for each week, every text ready to print.

    A cell is its css class, visible text and, for a week not fully recorded, its title (the
    tooltip) and the words a screen reader adds ('6 of 7 days recorded'; '' for a full week).
    A week with no counted day (not reached yet, or after the next session) is a '·'.
    """
    rows = []
    for period in cycle_periods:
        cells = []
        for week in period.weeks:
            days = week["days"]
            if not days:
                cells.append({"css": "text-body-secondary", "text": "·", "recorded": ""})
                continue
            headache_days, recorded = week["headache_days"], week["days_recorded"]
            if recorded < days:
                recorded_words = f"{recorded} of {counted(days, 'day')} recorded"
                cells.append(
                    {
                        "css": f"week-cell week-{headache_days} partial",
                        "title": f"Week {week['week']}: {counted(headache_days, 'headache day')}, {recorded_words}",
                        "text": str(headache_days),
                        "recorded": recorded_words,
                    }
                )
            else:
                cells.append({"css": f"week-cell week-{headache_days}", "text": str(headache_days), "recorded": ""})
        rows.append({"number": str(period.number), "cells": cells})
    return rows


# django.utils.html.escape, remembered: the chart and the week table repeat a few hundred short texts (css
# classes, labels, counts, titles) on every page, and escape costs about 0.75 µs a call. For str values only
# (what chart() and week_rows() make): a lazy translation would be remembered in the first request's language.
escape_text = functools.lru_cache(maxsize=4096)(escape)


# The week table's markup, built here rather than in templates/diary/includes/_weeks.html: Django prints a
# variable in about 5 µs, and a 3-year diary's table prints about 400 of them. The markup is byte for byte
# what the template drew (its whitespace included).
_WEEKS_HEAD = (
    '\n<p id="weeks-about">Headache days in each week after a session, lined up by week. A rise in the last weeks '
    "can mean the effect wears off before the next session.</p>\n"
    '<div class="table-responsive" tabindex="0" role="region" aria-label="Headache days week by week" '
    'aria-describedby="weeks-about">\n'
    '<table class="table table-sm table-bordered weeks-table">\n'
    '  <caption class="visually-hidden">Headache days in each week after a session</caption>\n'
    '  <thead><tr><th scope="col">Cycle</th>'
)
_WEEKS_FOOT = (
    "</tbody>\n</table>\n</div>\n"
    '<p class="small text-body-secondary">* not every day of that week is recorded. · the week has not happened, '
    "or the next session came first.</p>\n"
)


def weeks_markup(rows, week_numbers):
    """The week-by-week table (week_rows' rows under week_numbers' headings) as HTML, '' without a row.

    Built in Python for its cost: about 400 printed variables for a 3-year diary. Every text is escaped."""
    if not rows:
        return mark_safe("")  # noqa: S308 - nothing in it
    parts = [_WEEKS_HEAD]
    parts += [
        f'<th scope="col"><span class="wk-long">Week </span>{escape_text(number)}</th>' for number in week_numbers
    ]
    parts.append("</tr></thead>\n  <tbody>")
    for row in rows:
        parts.append(f'<tr><th scope="row"><span class="wk-long">Cycle </span>{escape_text(row["number"])}</th>')
        for cell in row["cells"]:
            recorded = cell.get("recorded")
            if recorded:
                parts.append(
                    f'<td class="{escape_text(cell["css"])}" title="{escape_text(cell["title"])}">'
                    f"{escape_text(cell['text'])}"
                    f'<span class="visually-hidden"> ({escape_text(recorded)})</span>'
                    '<span aria-hidden="true">*</span></td>'
                )
            else:
                parts.append(f'<td class="{escape_text(cell["css"])}">{escape_text(cell["text"])}</td>')
        parts.append("</tr>")
    parts.append(_WEEKS_FOOT)
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


# The period table's rows (templates/diary/includes/_period_table.html prints them with {% period_table_rows %}),
# built here for the same reason: a 3-year diary's table prints about 200 variables and conditions. The markup
# is byte for byte what the template's loop drew, its whitespace included; every text is escaped.
_NOT_ENOUGH_BADGE = ' <span class="badge text-bg-light border">not enough data</span>'


def period_table_rows_markup(rows, show_midas=False, any_changes=False):
    """The <tbody>'s rows of the period table from period_rows' rows: with show_midas the MIDAS cell, with
    any_changes the column saying "Yes" for a period in which another preventive was started or stopped."""
    parts = []
    for row in rows:
        period = row["period"]
        enough = period.enough_data
        change = (
            '<span class="text-body-secondary">reference</span>'
            if period.kind == "baseline"
            else escape_text(row["change"])
        )
        parts.append(
            ("\n    <tr>" if enough else '\n    <tr class="not-enough">')
            + f'\n      <th scope="row">{escape_text(row["label"])}{"" if enough else _NOT_ENOUGH_BADGE}</th>'
            f'\n      <td data-label="Dates">{escape_text(row["dates"])}</td>'
            f'\n      <td data-label="Headache days per 28">{escape_text(row["per_28"])}</td>'
            f'\n      <td data-label="Migraine days per 28">{escape_text(row["migraine_per_28"])}</td>'
            f'\n      <td data-label="Moderate or severe days per 28">{escape_text(row["moderate_severe_per_28"])}</td>'
            f'\n      <td data-label="Change from baseline">{change}</td>'
            f'\n      <td data-label="Days recorded">{escape_text(row["recorded_of"])}'
            f" ({escape_text(row['completeness'])})</td>"
            f'\n      <td data-label="Headache days">{escape_text(row["headache_day_count"])}</td>'
            f'\n      <td data-label="Attacks">{escape_text(row["attack_count"])}</td>'
            f'\n      <td data-label="Medicine days">{escape_text(row["medicine_day_count"])}</td>'
            "\n      "
            + (f'<td data-label="MIDAS">{escape_text(row["midas_cell"])}</td>' if show_midas else "")
            + "\n      "
            + (
                '<td data-label="Other preventive started or stopped">'
                + ("Yes" if period.preventive_changes else "")
                + "</td>"
                if any_changes
                else ""
            )
            + "\n    </tr>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def worklist_figures(data):
    """The worklist's headache-day and change cells from a patient's summary (clinic.services.summary_data)."""
    days = data.get("days")
    if data.get("cycle_number") and days is not None and days < EARLY_DAYS:
        return {"per_28": count_in_days(data["headache_days"], days), "change": "too early", "early": True}
    return {"per_28": number(data["per_28"]), "change": change_direction(data["change_pct"]), "early": False}


def flag_messages(flags, help_numbers=None, for_clinician=False):
    """The flags in words, for the patient (or, on a clinician's report, about the patient)."""
    texts = CLINICIAN_FLAG_TEXT if for_clinician else FLAG_TEXT
    numbers = help_numbers or UK_HELP
    return [{"name": name, "title": texts[name][0], "text": texts[name][1].format(**numbers)} for name in flags]


def clinician_urgent_notice(report):
    """One urgent side-effect report, told to the clinician: what, when, after which session, what to do."""
    effect = report.get_effect_display()
    return (
        f"Reported {effect[:1].lower()}{effect[1:]} on {long_date(report.started_on)}, "
        f"after the session of {long_date(report.session.date)}: contact the patient now."
    )


def phone_href(phone):
    """A tel: link for a phone number as the patient typed it (digits and a leading +)."""
    digits = re.sub(r"[^\d+]", "", (phone or "").replace("(0)", ""))
    return f"tel:{digits}" if digits else ""


@functools.cache
def _medicine_class_labels():
    return dict(MedicineClass.choices)


def medicine_class_rows(days_by_class):
    labels = _medicine_class_labels()
    return [
        {"label": labels.get(cls, cls), "days": days}
        for cls, days in sorted(days_by_class.items(), key=lambda item: (-item[1], item[0]))
    ]


# ---------------------------------------------------------------- chart

_TENTH = Decimal("0.1")


def _decimal_svg_number(value):
    rounded = Decimal(str(value)).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return f"{rounded:f}" if rounded else "0.0"


def svg_number(value):
    """A coordinate as the SVG gets it: 1 decimal, rounded half up (the same string as `floatformat:1`), never
    localized (a decimal comma would break the drawing); '0.0' for 0 and for a negative that rounds to 0.

    floatformat rounds the float's shortest repr (str) as a Decimal. f"{x:.1f}" rounds the float's exact value,
    which gives the same digit unless the repr is a tie at 1 decimal (two decimals ending in 5, such as 0.25 or
    0.35): only those, and reprs in exponent form, take the Decimal's way (a third of the cost for the rest)."""
    if type(value) is float:
        text = repr(value)
        dot = text.find(".")
        if dot < 0 or "e" in text or (len(text) - dot == 3 and text[-1] == "5"):
            return _decimal_svg_number(value)
        text = f"{value:.1f}"
        return "0.0" if text == "-0.0" else text
    if type(value) is int:
        return f"{value}.0"
    return _decimal_svg_number(value)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


CHART_WIDTH = 640
CHART_HEIGHT = 300
PLOT = {"left": 44, "right": 12, "top": 16, "bottom": 64}
Y_MAX = 28
SERIES = [
    ("headache_days_per_28", "headache", "headache days"),
    ("migraine_days_per_28", "migraine", "migraine days"),
    ("moderate_severe_days_per_28", "modsev", "moderate or severe days"),
]


def chart(progress):
    """Geometry of an inline SVG: per period, three bars per 28 days; the baseline as a line."""
    periods = progress.periods
    if not periods:
        return None
    plot_width = CHART_WIDTH - PLOT["left"] - PLOT["right"]
    plot_height = CHART_HEIGHT - PLOT["top"] - PLOT["bottom"]
    bottom = PLOT["top"] + plot_height
    group = plot_width / len(periods)
    bar_width = min(22.0, group * 0.8 / len(SERIES))

    def y_of(value):
        value = value.numerator / value.denominator if type(value) is Fraction else float(value)  # float(), faster
        return bottom - plot_height * min(value, Y_MAX) / Y_MAX

    width_svg = svg_number(bar_width - 2)  # every bar's
    bottom_svg = svg_number(bottom)  # the y of a bar of no height
    above_bottom_svg = svg_number(bottom - 4)  # and of its value's label
    groups = []
    for index, period in enumerate(periods):
        left = PLOT["left"] + group * index + (group - bar_width * len(SERIES)) / 2
        bars = []
        early = is_early(period)
        label = short_label(period)
        for offset, (attribute, css, words) in enumerate(SERIES):
            value = getattr(period, attribute)
            if early:  # no bar: a rate from a few days would tower over the baseline
                height = 0
                count = getattr(period, attribute.removesuffix("_per_28"))
                title = f"{label}: {count} {words} in {counted(period.days, 'day')}, too early for a rate"
            else:
                height = 0 if value is None else bottom - y_of(value)
                title = f"{label}: {number(value)} {words} per 28 days"
            if not period.enough_data:
                title += " (not enough data)"
            bars.append(Bar(left + offset * bar_width, bottom - height, bar_width - 2, height, css, title))
        label_x = PLOT["left"] + group * index + group / 2
        groups.append(
            {
                "bars": bars,
                # The bars as the template draws them, each coordinate a string (svg_number).
                "rects": [
                    {
                        "x": svg_number(bar.x),
                        "y": bottom_svg if bar.height == 0 else svg_number(bar.y),
                        "width": width_svg,
                        "height": "0.0" if bar.height == 0 else svg_number(bar.height),
                        "css": bar.css,
                        "title": bar.title,
                    }
                    for bar in bars
                ],
                "label": label,
                "label_x": svg_number(label_x),
                "enough_data": period.enough_data,
                "value": "too early" if early else number(period.headache_days_per_28),
                "value_y": svg_number(bars[0].y - 4) if bars[0].height else above_bottom_svg,
                "value_x": svg_number(label_x if early else bars[0].x + bars[0].width / 2),
            }
        )
    ticks = [{"value": v, "y": y_of(v), "y_svg": svg_number(y_of(v))} for v in (0, 7, 14, 21, 28)]
    baseline = None
    if progress.baseline_rate is not None:
        baseline = {
            "y": y_of(progress.baseline_rate),
            "y_svg": svg_number(y_of(progress.baseline_rate)),
            "label": f"Before treatment: {number(progress.baseline_rate)}"
            + (" (reported)" if progress.baseline_source == "reported" else ""),
        }
    wide = {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": PLOT["left"],
        "right": CHART_WIDTH - PLOT["right"],
        "tick_x": PLOT["left"] - 6,  # the ticks' numbers, right-aligned left of the plot
        "bottom": bottom,
        "label_y": bottom + 18,
        "note_y": bottom + 34,
        # More periods than "Cycle 10" fits under side by side: the labels are set at a slant.
        "crowded": group < 56,
        "groups": groups,
        "ticks": ticks,
        "baseline": baseline,
    }
    return wide | {"phone": phone_chart(wide, periods)}


# The phone's chart: a row per period with its bars across, drawn in CSS pixels (no viewBox).
# Lengths along the bars are percentages of the chart's width, so nothing is scaled down and the
# text keeps its size on any screen: the wide chart, scaled to fit 390 px, has 7 px text.
PHONE_ROW = {"label": 20, "bar": 8, "gap": 2, "after": 14}


def phone_chart(wide, periods):
    """The wide chart's bars, titles and values laid out for a phone (same figures, same words)."""
    plot_height = wide["bottom"] - PLOT["top"]

    def percent_of(height):
        return round(100 * max(0.0, min(float(height), plot_height)) / plot_height, 2)

    top = 24 if wide["baseline"] else 4
    y = top
    groups = []
    for group, period in zip(wide["groups"], periods, strict=True):
        bars = []
        bar_y = y + PHONE_ROW["label"]
        for bar in group["bars"]:
            bars.append({"y": bar_y, "width": percent_of(bar.height), "css": bar.css, "title": bar.title})
            bar_y += PHONE_ROW["bar"] + PHONE_ROW["gap"]
        value = group["value"] if is_early(period) else f"{group['value']} headache days"
        groups.append({**group, "bars": bars, "label_y": y + 14, "value": value})
        y = bar_y - PHONE_ROW["gap"] + PHONE_ROW["after"]
    bottom = y - PHONE_ROW["after"] + 4
    baseline = None
    if wide["baseline"]:
        baseline = {**wide["baseline"], "x": percent_of(wide["bottom"] - wide["baseline"]["y"])}
    ticks = [
        {"value": tick["value"], "x": percent_of(wide["bottom"] - tick["y"])}
        | {"anchor": "start" if tick["value"] == 0 else "end" if tick["value"] == Y_MAX else "middle"}
        for tick in wide["ticks"]
    ]
    return {
        "top": top,
        "baseline_top": top - 6,  # the baseline's line starts above the bars, under its label
        "bottom": bottom,
        "tick_y": bottom + 16,
        "height": bottom + 22,
        "bar_height": PHONE_ROW["bar"],
        "groups": groups,
        "ticks": ticks,
        "baseline": baseline,
    }


# ---------------------------------------------------------------- the chart's markup

# The two drawings of templates/diary/includes/_progress_chart.html, built here rather than in the template:
# a 3-year diary's chart prints about 700 variables, at about 5 µs each in Django's template language. The
# markup is byte for byte what the template drew, whitespace included. No number in it is localized (as
# under the template's `localize off`): the coordinates with decimals are svg_number's strings, the others
# ints and floats written with str(), which is what `localize off` printed. Every text is escaped.
_HATCH = (
    '    <defs>\n      <pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)">\n        <rect width="6" height="6" class="hatch-bg"></rect>'
    '<line x1="0" y1="0" x2="0" y2="6" class="hatch-line" stroke-width="3"></line>\n'
    "      </pattern>\n    </defs>\n    "
)
_WIDE_HEAD = (
    '" role="img" aria-labelledby="chart-title chart-desc" class="chart-wide w-100 h-auto d-none d-md-block '
    'd-print-block">\n'
    '    <title id="chart-title">Headache days per 28 days, before treatment and in each cycle</title>\n'
    '    <desc id="chart-desc">Bars for headache days, migraine days and moderate or severe days per 28 days in '
    "each period. The same numbers are in the table below.</desc>\n" + _HATCH.format(id="hatch")
)
_PHONE_HEAD = (
    '" role="img" aria-labelledby="chart-phone-title chart-desc-phone" class="chart-phone d-md-none '
    'd-print-none">\n'
    '    <title id="chart-phone-title">Headache days per 28 days, before treatment and in each cycle</title>\n'
    '    <desc id="chart-desc-phone">A row for each period with bars for headache days, migraine days and '
    "moderate or severe days per 28 days. The same numbers are in the table below.</desc>\n"
    + _HATCH.format(id="hatch-phone")
)


def _wide_svg(chart):
    left, right, label_y = chart["left"], chart["right"], chart["label_y"]
    crowded = chart["crowded"]
    parts = [f'<svg viewBox="0 0 {chart["width"]} {chart["height"]}', _WIDE_HEAD]
    for tick in chart["ticks"]:
        y = tick["y_svg"]
        parts.append(
            f'\n      <line x1="{left}" x2="{right}" y1="{y}" y2="{y}" class="grid"></line>'
            f'\n      <text x="{chart["tick_x"]}" y="{y}" class="tick" text-anchor="end" dominant-baseline="middle">'
            f"{tick['value']}</text>\n    "
        )
    parts.append("\n    ")
    for group in chart["groups"]:
        enough = group["enough_data"]
        parts.append(
            '\n      <g class="period">\n        ' if enough else '\n      <g class="period not-enough">\n        '
        )
        for rect in group["rects"]:
            parts.append(
                f'\n          <rect x="{rect["x"]}" y="{rect["y"]}" width="{rect["width"]}" height="{rect["height"]}" '
                f'class="bar {escape_text(rect["css"])}"><title>{escape_text(rect["title"])}</title></rect>\n        '
            )
        label_x, label = group["label_x"], escape_text(group["label"])
        parts.append(
            f'\n        <text x="{group["value_x"]}" y="{group["value_y"]}" text-anchor="middle" class="value">'
            f"{escape_text(group['value'])}</text>\n        "
        )
        if crowded:
            parts.append(
                f'\n        <text x="{label_x}" y="{label_y}" text-anchor="end" '
                f'transform="rotate(-35 {label_x} {label_y})" class="label">{label}</text>\n        '
            )
        else:
            parts.append(
                f'\n        <text x="{label_x}" y="{label_y}" text-anchor="middle" class="label">{label}</text>'
                "\n        "
            )
        parts.append("\n        ")
        if not enough and not crowded:
            parts.append(
                f'<text x="{label_x}" y="{chart["note_y"]}" text-anchor="middle" class="note">not enough data</text>'
            )
        parts.append("\n      </g>\n    ")
    parts.append("\n    ")
    baseline = chart["baseline"]
    if baseline:
        y, label = baseline["y_svg"], escape_text(baseline["label"])
        parts.append(
            f'\n      <line x1="{left}" x2="{right}" y1="{y}" y2="{y}" class="baseline-line">'
            f"<title>{label} headache days per 28 days</title></line>"
            f'\n      <text x="{right}" y="{y}" dy="-5" text-anchor="end" class="baseline-label">{label}</text>\n    '
        )
    parts.append("\n  </svg>")
    return parts


def _phone_svg(phone):
    top, bottom, bar_height = phone["top"], phone["bottom"], phone["bar_height"]
    parts = [f'<svg width="100%" height="{phone["height"]}', _PHONE_HEAD]
    for tick in phone["ticks"]:
        x = tick["x"]
        parts.append(
            f'\n      <line x1="{x}%" x2="{x}%" y1="{top}" y2="{bottom}" class="grid"></line>'
            f'\n      <text x="{x}%" y="{phone["tick_y"]}" class="tick" text-anchor="{escape_text(tick["anchor"])}">'
            f"{tick['value']}</text>\n    "
        )
    parts.append("\n    ")
    baseline = phone["baseline"]
    if baseline:
        x, label = baseline["x"], escape_text(baseline["label"])
        parts.append(
            f'\n      <line x1="{x}%" x2="{x}%" y1="{phone["baseline_top"]}" y2="{bottom}" class="baseline-line">'
            f"<title>{label} headache days per 28 days</title></line>"
            f'\n      <text x="0" y="14" class="baseline-label">{label}</text>\n    '
        )
    parts.append("\n    ")
    for group in phone["groups"]:
        enough = group["enough_data"]
        parts.append(
            ('\n      <g class="period">' if enough else '\n      <g class="period not-enough">')
            + f'\n        <text x="0" y="{group["label_y"]}" class="label">{escape_text(group["label"])}: '
            f'<tspan class="value">{escape_text(group["value"])}</tspan>'
            + ("" if enough else '<tspan class="note"> · not enough data</tspan>')
            + "</text>\n        "
        )
        for bar in group["bars"]:
            parts.append(
                f'\n          <rect x="0" y="{bar["y"]}" width="{bar["width"]}%" height="{bar_height}" '
                f'class="bar {escape_text(bar["css"])}"><title>{escape_text(bar["title"])}</title></rect>\n        '
            )
        parts.append("\n      </g>\n    ")
    parts.append("\n  </svg>")
    return parts


def chart_markup(chart):
    """The chart's two drawings (the wide and the phone's) as HTML, from chart()'s dict; '' for no chart.

    Built in Python for its cost: about 700 printed variables for a 3-year diary. The whitespace between
    and after the drawings is the template's, which prints this between the figure's tag and the timeline."""
    if not chart:
        return mark_safe("")  # noqa: S308 - nothing in it
    parts = _wide_svg(chart)
    parts.append("\n  \n  ")
    parts += _phone_svg(chart["phone"])
    parts.append("\n  ")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped (_wide_svg, _phone_svg)
