"""Words and rows for what patients track besides headaches: the pattern around periods, how well
each medicine works, and the factors that go with headaches. Plain values in, plain values out.
"""

from diary import presentation
from diary.models import EffectAnswer, MedicineClass

ANSWER_WORDS = {
    "pain_free": "the pain was gone",
    "better": "the pain was better",
    "same": "the pain was the same",
    "worse": "the pain was worse",
}
ANSWER_LABELS = dict(EffectAnswer.choices)

# The patient's words: CLINICAL.md's "your diary suggests a pattern around your period: discuss
# it with your clinician", then what the diary shows, without a diagnosis.
SUGGESTS = "Your diary suggests a pattern around your period: discuss it with your clinician."
PATTERN_WORDS = {
    "pure_menstrual": "Your migraine days came in the days around the start of your periods, and not between them.",
    "menstrually_related": "Your migraine days came in the days around the start of your periods, and on other "
    "days too.",
    "perimenstrual": "Your migraine days came in the days around the start of your periods. Too few days between "
    "your periods are recorded to tell whether they come at other times too.",
}
CLINICIAN_PATTERN_WORDS = {
    "pure_menstrual": "The diary suggests pure menstrual migraine (the ICHD-3 A1.1.1 pattern): migraine days in "
    "the windows, none between them. Attacks without aura and the diagnosis are yours to confirm.",
    "menstrually_related": "The diary suggests menstrually related migraine (the ICHD-3 A1.1.2 pattern): migraine "
    "days in the windows and between them. Attacks without aura and the diagnosis are yours to confirm.",
    "perimenstrual": "The diary suggests a perimenstrual pattern: migraine days in the windows, with too little "
    "diary between them to tell pure menstrual from menstrually related migraine.",
}


def _short_date(date, today):
    """'3 October', with the year when it is not today's."""
    return f"{date.day} {date:%B}" if date.year == today.year else f"{date.day} {date:%B %Y}"


def _and_list(items):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def menstrual_summary(progress, rules, *, for_clinician=False):
    """The pattern around periods in words, with the menstruations it rests on.

    {"suggests": bool, "headline": str, "detail": str, "basis": [str], "needed": int}
    """
    needed = rules.menstruations_needed
    basis = progress.menstrual_basis
    pattern = progress.menstrual_pattern
    today = progress.today
    window = rules.menstrual_window_before + rules.menstrual_window_after + 1
    basis_words = [
        f"{'Menstruation' if for_clinician else 'Period'} from {_short_date(m.day1, today)}: "
        + ("a migraine day" if m.migraine_in_window else "no migraine day")
        + f" in the {window} days around its start"
        for m in basis
    ]
    if pattern is None:
        have = presentation.counted(len(basis), "period" if not for_clinician else "menstruation")
        if for_clinician:
            headline = f"Not assessable yet: {have} with a fully recorded window of the {needed} needed."
            detail = (
                f"A menstruation is assessable once every date from {rules.menstrual_window_before} days before "
                f"day 1 to {rules.menstrual_window_after} days after is recorded."
            )
        else:
            headline = "Not enough yet to look for a pattern around your period."
            detail = (
                f"It needs {needed} periods with every day recorded from {rules.menstrual_window_before} days "
                f"before the first day to {rules.menstrual_window_after} days after it. You have {have} like that "
                "so far: mark when your period starts, and record those days (a headache, or no headache)."
            )
        return {"suggests": False, "headline": headline, "detail": detail, "basis": basis_words, "needed": needed}
    with_migraine = sum(m.migraine_in_window for m in basis)
    between = progress.menstrual_between
    between_words = ""
    if between is not None and between.days:
        between_words = (
            f" Between them: {presentation.counted(between.migraine_days, 'migraine day')}, with "
            f"{between.days_recorded} of {between.days} days recorded."
        )
    if pattern == "none":
        if for_clinician:
            headline = "No menstrual pattern in the diary."
        else:
            headline = "Your diary shows no pattern around your period."
        around = "day 1" if for_clinician else "its start"
        detail = (
            f"Of the last {len(basis)} {'menstruations' if for_clinician else 'periods'}, "
            f"{with_migraine} had a migraine day in the {window} days around {around}"
            f" (a pattern needs {rules.menstrual_windows_with_migraine})."
        )
        return {"suggests": False, "headline": headline, "detail": detail, "basis": basis_words, "needed": needed}
    if for_clinician:
        headline = CLINICIAN_PATTERN_WORDS[pattern]
    else:
        headline = SUGGESTS
    detail = (
        ("" if for_clinician else PATTERN_WORDS[pattern] + " ")
        + f"Migraine days in the {window} days around the start of {with_migraine} of the last {len(basis)} "
        + ("menstruations." if for_clinician else "periods.")
        + between_words
    )
    return {"suggests": True, "headline": headline, "detail": detail, "basis": basis_words, "needed": needed}


def _share(count, total, few):
    if total == 0:
        return "no answers yet"
    text = f"{count} of {total}"
    return text if few else f"{text} ({presentation.percent(count * 100 / total)})"


def medicine_rows(effects):
    """The table "How well your medicines work", one row per medicine (cycles.MedicineEffect)."""
    labels = dict(MedicineClass.choices)
    rows = []
    for effect in effects:
        few = effect.few_answers
        rows.append(
            {
                "name": effect.name if effect.name != effect.drug_class else labels.get(effect.drug_class, effect.name),
                "class_label": labels.get(effect.drug_class, effect.drug_class),
                "uses": effect.uses,
                "answered": effect.answered,
                "pain_free": _share(effect.pain_free_2h, effect.answered, few),
                "relief": _share(effect.pain_free_2h + effect.better_2h, effect.answered, few),
                "few": few and effect.answered > 0,
                "none": effect.answered == 0,
            }
        )
    return rows


def _lower_first(name):
    """ "Poor sleep" reads "poor sleep" inside a sentence; "PMS" stays as it is."""
    first = name.split(" ", 1)[0]
    return name if first.isupper() and len(first) > 1 else name[:1].lower() + name[1:]


def factor_rows(factors, rules):
    """One entry per factor (cycles.FactorCount) for the page "Things that go with your headaches"."""
    rows = []
    for factor in factors:
        name = _lower_first(factor.name)
        row = {
            "name": factor.name,
            "with_label": f"with {name}",
            "without_label": f"without {name}",
            "enough": factor.enough_days,
            "with_words": f"{factor.headache_after_with} of {factor.days_with} days",
            "without_words": f"{factor.headache_after_without} of {factor.days_without} days",
            "with_pct": None,
            "without_pct": None,
        }
        if factor.enough_days:
            row["with_pct"] = presentation.percent(factor.headache_after_with * 100 / factor.days_with)
            row["without_pct"] = presentation.percent(factor.headache_after_without * 100 / factor.days_without)
            row["sentence"] = (
                f"On {factor.headache_after_with} of {presentation.counted(factor.days_with, 'day')} with {name} "
                f"a headache followed, against {factor.headache_after_without} of "
                f"{presentation.counted(factor.days_without, 'day')} without."
            )
        else:
            row["sentence"] = (
                f"So far {presentation.counted(factor.days_with, 'day')} with {name} and "
                f"{factor.days_without} without: the two are compared once there are at least "
                f"{rules.factor_min_days} of each."
            )
        rows.append(row)
    return rows


def answer_words(answer):
    """'the pain was gone' for pain_free; '' for no answer."""
    return ANSWER_WORDS.get(answer or "", "")
