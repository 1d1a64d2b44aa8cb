"""How progress figures are shown: rounding, words and the server-rendered chart. Pure."""

from dataclasses import dataclass

from diary.cycles import MIDAS_GRADE_WORDS
from diary.models import MedicineClass

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
        "Seek urgent medical care now: call 999 or go to A&E.",
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
    text = f"{float(value):.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(value):
    return "–" if value is None else f"{round(float(value))}%"


def change_in_words(period, baseline_rate):
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
    return f"{text}, about the same as before treatment ({before})."


def responder_words(period):
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


def period_rows(progress):
    """Each period with its figures formatted for the table and the page."""
    rows = []
    for period in progress.periods:
        rows.append(
            {
                "period": period,
                "label": period_label(period),
                "per_28": number(period.headache_days_per_28),
                "migraine_per_28": number(period.migraine_days_per_28),
                "moderate_severe_per_28": number(period.moderate_severe_days_per_28),
                "completeness": percent(period.completeness * 100) if period.completeness is not None else "–",
                "change": "–" if period.change_from_baseline_pct is None else percent(period.change_from_baseline_pct),
                "change_words": change_in_words(period, progress.baseline_rate) if period.kind == "cycle" else "",
                "responder": responder_words(period) if period.kind == "cycle" else "",
                "midas": midas_words(period) if period.kind == "cycle" else "",
                "headache_hours": number(period.headache_hours),
                "mean_attack_hours": number(period.mean_attack_hours),
                "mean_worst_severity": number(period.mean_worst_severity),
            }
        )
    return rows


def flag_messages(flags):
    return [{"name": name, "title": FLAG_TEXT[name][0], "text": FLAG_TEXT[name][1]} for name in flags]


def medicine_class_rows(days_by_class):
    labels = dict(MedicineClass.choices)
    return [
        {"label": labels.get(cls, cls), "days": days}
        for cls, days in sorted(days_by_class.items(), key=lambda item: (-item[1], item[0]))
    ]


# ---------------------------------------------------------------- chart


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
        return bottom - plot_height * min(float(value), Y_MAX) / Y_MAX

    groups = []
    for index, period in enumerate(periods):
        left = PLOT["left"] + group * index + (group - bar_width * len(SERIES)) / 2
        bars = []
        for offset, (attribute, css, words) in enumerate(SERIES):
            value = getattr(period, attribute)
            height = 0 if value is None else bottom - y_of(value)
            title = f"{short_label(period)}: {number(value)} {words} per 28 days"
            if not period.enough_data:
                title += " (not enough data)"
            bars.append(Bar(left + offset * bar_width, bottom - height, bar_width - 2, height, css, title))
        groups.append(
            {
                "bars": bars,
                "label": short_label(period),
                "label_x": PLOT["left"] + group * index + group / 2,
                "enough_data": period.enough_data,
                "value": number(period.headache_days_per_28),
                "value_y": (bars[0].y - 4) if bars[0].height else bottom - 4,
                "value_x": bars[0].x + bars[0].width / 2,
            }
        )
    ticks = [{"value": v, "y": y_of(v)} for v in (0, 7, 14, 21, 28)]
    baseline = None
    if progress.baseline_rate is not None:
        baseline = {
            "y": y_of(progress.baseline_rate),
            "label": f"Before treatment: {number(progress.baseline_rate)}"
            + (" (reported)" if progress.baseline_source == "reported" else ""),
        }
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": PLOT["left"],
        "right": CHART_WIDTH - PLOT["right"],
        "bottom": bottom,
        "label_y": bottom + 18,
        "note_y": bottom + 34,
        "groups": groups,
        "ticks": ticks,
        "baseline": baseline,
    }
