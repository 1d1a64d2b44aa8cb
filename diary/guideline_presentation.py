"""How the eligibility for Botox and the response by guideline are shown (CLINICAL.md
"Eligibility for Botox (NICE TA260)" and "Response by guideline"). Pure: the computed progress,
the rows already loaded and the clinic's rules in; words and figures out. Every judgement is the
cycles engine's (its flags, eligibility and ahs_benefit); this module only says it.
"""

import datetime as dt
from fractions import Fraction

from django.utils.html import escape
from django.utils.safestring import mark_safe

from diary import cycles, presentation
from diary.cycles import MIDAS_GRADE_WORDS
from diary.presentation import change_direction, long_date, number

ONE_DAY = dt.timedelta(days=1)
DISCUSS = "Discuss with your clinician."
DECISION = "This informs a decision that remains the clinician's."
EHF_EPISODIC_DAYS = 10  # the European Headache Federation's own line, fewer headache days a month
# Acute medicine classes in a few words, for the report's short checklist.
CLASS_SHORT = {
    "triptan": "triptan",
    "ergot": "ergot",
    "gepant": "gepant",
    "opioid": "opioid",
    "combination_analgesic": "combination painkiller",
    "simple_analgesic": "simple painkiller",
    "other": "other",
}


def _courses(rows):
    return [cycles.PreventiveCourse(c.name, c.drug_class, c.start, c.stop, c.stop_reason) for c in rows]


def _per_30(per_28):
    return per_28 * 30 / 28


def _cycles(progress):
    return [p for p in progress.periods if p.kind == "cycle"]


def _session_dates(progress):
    return [p.session_date for p in _cycles(progress)]


def _recorded(period):
    return f"{period.days_recorded} of {presentation.counted(period.days, 'day')} recorded"


# ---------------------------------------------------------------- eligibility (clinic page, report)


def eligibility(progress, attacks, course_rows, rules):
    """The NICE TA260 checklist with the figures it rests on, or None without a session."""
    result = progress.eligibility
    if result is None:
        return None
    baseline = progress.periods[0]
    first_session = baseline.end + ONE_DAY
    enough = int(rules.enough_data * 28)
    items = []

    if result.chronic_migraine_by_diary is None:
        text = (
            f"Not known: the diary's baseline ({presentation.date_range(baseline.start, baseline.end)}) has "
            f"{_recorded(baseline)}; it needs {enough} of every 28."
        )
    else:
        text = (
            f"{number(_per_30(baseline.headache_days_per_28))} headache days and "
            f"{number(_per_30(baseline.migraine_days_per_28))} migraine days per 30 days in the baseline "
            f"({presentation.date_range(baseline.start, baseline.end)}); chronic migraine needs "
            f"{rules.chronic_headache_days} and {rules.chronic_migraine_days}. The diary covers "
            f"{presentation.counted(rules.baseline_days, 'day')}: ICHD-3 asks for more than 3 months."
        )
    if result.chronic_migraine_by_diary is None:
        short = f"the baseline has {_recorded(baseline)}; it needs {enough} of every 28"
    else:
        short = (
            f"{number(_per_30(baseline.headache_days_per_28))} headache and "
            f"{number(_per_30(baseline.migraine_days_per_28))} migraine days per 30 in the baseline; needs "
            f"{rules.chronic_headache_days} and {rules.chronic_migraine_days}"
        )
    items.append(
        {
            "name": "chronic_migraine",
            "title": "Chronic migraine by the diary",
            "met": result.chronic_migraine_by_diary,
            "text": text,
            "short": short,
        }
    )

    failed = cycles.prior_failed_courses(_courses(course_rows), first_session)
    if failed:
        named = "; ".join(
            f"{c.name} ({presentation.date_range(c.start, c.stop)}, "
            f"{'not effective' if c.stop_reason == 'not_effective' else 'side effects'})"
            for c in failed
        )
        text = f"{result.prior_preventives_failed} failed before the first session: {named}."
    else:
        text = "None recorded as stopped before the first session for not working or side effects."
    items.append(
        {
            "name": "preventives_failed",
            "title": f"{rules.preventives_failed_needed} preventives failed before Botox",
            "met": result.three_preventives_failed,
            "text": text + f" NICE asks for {rules.preventives_failed_needed}.",
            "short": (", ".join(c.name for c in failed) or "none recorded")
            + f"; NICE asks for {rules.preventives_failed_needed}",
        }
    )

    window_end = first_session - ONE_DAY
    window_start = window_end - dt.timedelta(days=rules.overuse_window_days - 1)
    days = presentation.medicine_class_rows(
        cycles.medicine_days_by_class(attacks, window_end, rules.overuse_window_days)
    )
    used = "; ".join(f"{row['label']} on {presentation.counted(row['days'], 'day')}" for row in days)
    by_class = cycles.medicine_days_by_class(attacks, window_end, rules.overuse_window_days)
    used_short = ", ".join(
        f"{CLASS_SHORT.get(cls, cls)} {presentation.counted(n, 'day')}"
        for cls, n in sorted(by_class.items(), key=lambda item: (-item[1], item[0]))
    )
    items.append(
        {
            "name": "medication_overuse",
            "title": "Medication overuse at baseline",
            # A checklist item is met when it speaks for Botox: here, when there is no overuse.
            "met": not result.medication_overuse_at_baseline,
            "answer": "Yes" if result.medication_overuse_at_baseline else "No",
            "text": f"In the {rules.overuse_window_days} days before the first session "
            f"({presentation.date_range(window_start, window_end)}): {used or 'no acute medicine recorded'}. "
            f"Overuse: {rules.overuse_specific_days} days or more of a triptan, ergot, opioid or combination "
            f"painkiller, {rules.overuse_simple_days} of simple painkillers, or {rules.overuse_combined_days} "
            "of two or more of these together.",
            "short": f"in the {rules.overuse_window_days} days before the first session: {used_short or 'none'}",
        }
    )
    for item in items:
        item.setdefault("answer", {True: "Yes", False: "No", None: "Not known"}[item["met"]])
    return {"items": items, "first_session": first_session, "decision": DECISION}


# ---------------------------------------------------------------- by guideline


def _cycle2(progress, rules):
    """Cycle 2, whether it has ended (the rule of not_adequately_responding) and when it does."""
    periods = _cycles(progress)
    if len(periods) < 2:
        return None, False, None
    cycle2 = periods[1]
    ended = cycles.cycle_ended(_session_dates(progress), 2, progress.today, rules)
    return cycle2, ended, cycle2.session_date + dt.timedelta(days=rules.cycle_days)


def _nice(progress, rules, for_clinician):
    cycle2, ended, ends_on = _cycle2(progress, rules)
    pct = rules.adequate_response_pct
    state, facts = "waiting", []
    if cycle2 is None:
        text = (
            "NICE judges the treatment after 2 cycles, so it is too early to tell."
            if not for_clinician
            else "Judged after 2 cycles: cycle 2 has not started."
        )
    elif not ended:
        so_far = ""
        if not presentation.is_early(cycle2) and cycle2.change_from_baseline_pct is not None:
            so_far = f" So far in cycle 2: {change_direction(cycle2.change_from_baseline_pct)} headache days."
        text = (
            f"NICE judges the treatment at the end of cycle 2, around {long_date(ends_on)}.{so_far}"
            if not for_clinician
            else f"Judged when cycle 2 ends (around {long_date(ends_on)}).{so_far}"
        )
    elif not cycle2.enough_data:
        state = "unknown"
        text = f"Cycle 2 does not have enough data to judge ({_recorded(cycle2)})."
    elif cycle2.change_from_baseline_pct is None:
        state = "unknown"
        text = "There is no baseline to compare cycle 2 with."
    else:
        change = change_direction(cycle2.change_from_baseline_pct)
        if "not_adequately_responding" in progress.flags:
            state = "not_met"
            text = (
                f"By NICE's measure (the UK's guidance), the treatment is not helping enough: {change} headache "
                f"days after 2 cycles, and NICE asks for at least {pct}% fewer. Discuss with your clinician whether "
                "to carry on."
                if not for_clinician
                else f"Cycle 2: {change} headache days, below NICE's {pct}%: the stopping rule applies."
            )
        else:
            state = "met"
            text = (
                f"By NICE's measure (the UK's guidance), the treatment is working: {change} headache days after "
                f"2 cycles; NICE asks for at least {pct}% fewer. {DISCUSS}"
                if not for_clinician
                else f"Cycle 2: {change} headache days: meets NICE's {pct}%."
            )
    if "changed_to_episodic" in progress.flags:
        facts.append(
            f"Fewer than {rules.episodic_threshold} headache days a month in each of the last "
            f"{rules.episodic_months} complete months: "
            + (
                "NICE's rule for stopping or pausing applies."
                if for_clinician
                else "migraine may no longer be chronic."
            )
        )
    return {"name": "nice", "title": "NICE TA260 (UK)", "state": state, "text": text, "facts": facts}


def _criterion_words(name, cycle, baseline_midas):
    if name == "headache_days":
        return f"{change_direction(cycle.change_from_baseline_pct)} headache days"
    if name == "moderate_severe_days":
        return f"{change_direction(cycle.moderate_severe_change_pct)} moderate or severe days"
    scores = f"({baseline_midas} before treatment, {cycle.midas_score} in cycle {cycle.number})"
    if name == "midas_points":
        return f"a MIDAS score {cycle.midas_change} points better {scores}"
    return f"a MIDAS score {round(Fraction(cycle.midas_change * 100, baseline_midas))}% better {scores}"


def _ahs(progress, rules, for_clinician):
    cycle2, ended, ends_on = _cycle2(progress, rules)
    baseline_midas = progress.baseline_midas_score
    asks = (
        f"{rules.ahs_reduction_pct}% fewer headache days or moderate or severe days, or a better MIDAS score "
        f"({rules.ahs_midas_points} points from a score of 11 to 20, {rules.ahs_midas_pct}% from over 20)"
    )
    state = "waiting"
    if cycle2 is None or not ended:
        when = f", around {long_date(ends_on)}" if cycle2 is not None else ""
        text = (
            f"The American Headache Society judges the treatment at the end of cycle 2{when}."
            if not for_clinician
            else f"Judged when cycle 2 ends{when}."
        )
    elif cycle2.ahs_benefit is None:
        state = "unknown"
        if not cycle2.enough_data:
            text = f"Cycle 2 does not have enough data to judge ({_recorded(cycle2)})."
        else:
            text = "There is no baseline to compare cycle 2 with."
    elif cycle2.ahs_benefit:
        state = "met"
        met = cycles.ahs_criteria_met(cycle2, baseline_midas, rules)
        words = " and ".join(_criterion_words(name, cycle2, baseline_midas) for name in met)
        text = (
            f"By the American Headache Society's measure, the treatment is helping: {words}. {DISCUSS}"
            if not for_clinician
            else f"Benefit in cycle 2: {words}."
        )
    else:
        state = "not_met"
        text = (
            f"By the American Headache Society's measure, the treatment is not helping enough yet: it asks for "
            f"{asks}. Cycle 2 had {change_direction(cycle2.change_from_baseline_pct)} headache days. {DISCUSS}"
            if not for_clinician
            else f"No benefit in cycle 2: {change_direction(cycle2.change_from_baseline_pct)} headache days "
            f"(AHS asks for {asks})."
        )
    facts = []
    if baseline_midas is not None:
        grade = cycles.midas_grade(baseline_midas)
        facts.append(f"MIDAS before treatment: {baseline_midas} (grade {grade}: {MIDAS_GRADE_WORDS[grade]}).")
    elif for_clinician:
        facts.append(f"No baseline MIDAS (none in the {rules.baseline_midas_days} days before the first session).")
    else:
        facts.append(
            f"No MIDAS answered in the {rules.baseline_midas_days} days before the first session: only headache "
            "days and moderate or severe days can count."
        )
    return {"name": "ahs", "title": "American Headache Society (2021)", "state": state, "text": text, "facts": facts}


def _window(window):
    # Early on, counts, not rates (as the period table): 2 headache days in 5 would read as 11.2 per 28.
    early = window.days < presentation.EARLY_DAYS
    return {
        "window": window,
        "per_28": presentation.count_in_days(window.headache_days, window.days)
        if early
        else number(window.headache_days_per_28),
        "early": early,
        "enough_data": window.enough_data,
        "recorded": _recorded(window),
    }


_EXACT = (Fraction, int)


def _window_change(before, after):
    """The change from the 4 weeks before a session to the 4 weeks after, in words."""
    if before is None or after is None:
        return "–"
    if before == 0:
        return "no change" if after == 0 else "up from 0"
    if type(before) in _EXACT and type(after) in _EXACT:
        # (before - after) / before * 100 as one exact ratio of ints, which float() divides correctly rounded, as
        # it does the Fraction: the same change, without three Fraction operations.
        p, q, r, s = before.numerator, before.denominator, after.numerator, after.denominator
        return change_direction(100 * (p * s - r * q) / (p * s))
    return change_direction((before - after) / before * 100)


def _ehf(progress, rules, for_clinician):
    days = rules.around_session_days
    rows = []
    for cycle in _cycles(progress):
        around = cycle.around_session
        before, after = around["before"], around["after"]
        full_end = cycle.session_date + dt.timedelta(days=days - 1)
        early = before.days < presentation.EARLY_DAYS or after.days < presentation.EARLY_DAYS
        change = "too early" if early else _window_change(before.headache_days_per_28, after.headache_days_per_28)
        rows.append(
            {
                "session_date": cycle.session_date,
                "before": _window(before),
                "after": _window(after),
                "so_far": after.end < full_end,
                "both_enough": before.enough_data and after.enough_data,
                "change": change,
            }
        )
    text = ""
    judged = [row for row in rows if row["both_enough"] and not row["so_far"]]
    if judged:
        row = judged[-1]
        who = "you" if not for_clinician else "the patient"
        text = (
            f"In the {days} days after the session of {long_date(row['session_date'])}, {who} had "
            f"{row['after']['per_28']} headache days per 28 days, compared with {row['before']['per_28']} in the "
            f"{days} days before"
        )
        text += f": {row['change']}." if row["change"][0].isdigit() else "."
        if not for_clinician:
            text += f" {DISCUSS}"
    elif rows:
        text = f"No session yet has enough data in the {days} days before and after it to compare."
    return {
        "name": "ehf",
        "title": "European Headache Federation (2018)",
        "rows": rows,
        "text": text,
        "days": days,
    }


# The EHF table's rows, as markup (templates/diary/includes/_by_guideline.html prints them with {% ehf_rows %}):
# byte for byte what the template's loop drew, built here as each row cost about 15 variables, conditions and a
# date filter. Every text is escaped.
_NOT_ENOUGH = (
    ' <span class="badge text-bg-light border">not enough data</span> <span class="small text-body-secondary">'
)


def _ehf_cell(window):
    if window["enough_data"]:
        return escape(window["per_28"])
    return f"{escape(window['per_28'])}{_NOT_ENOUGH}{escape(window['recorded'])}</span>"


def ehf_rows_markup(rows):
    """The rows of the "By guideline" panel's EHF table (_ehf's rows): a session each, before, after, change."""
    parts = []
    for row in rows:
        before, after, change = row["before"], row["after"], row["change"]
        so_far = row["so_far"]
        after_cell = escape(after["per_28"]) + (' <span class="small">so far</span>' if so_far else "")
        if not after["enough_data"]:
            after_cell += f"{_NOT_ENOUGH}{escape(after['recorded'])}</span>"
        if (row["both_enough"] and not so_far) or change == "too early" or change == "–":
            change_cell = escape(change)
        else:
            why = "so far" if row["both_enough"] else "not enough data"
            change_cell = f'<span class="text-body-secondary">{escape(change)} ({why})</span>'
        parts.append(
            "\n              <tr>"
            f'\n                <th scope="row">{long_date(row["session_date"])}</th>'
            f'\n                <td data-label="Before">{_ehf_cell(before)}</td>'
            f'\n                <td data-label="After">{after_cell}</td>'
            f'\n                <td data-label="Change">{change_cell}</td>'
            "\n              </tr>\n            "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def thresholds(rules):
    """The thresholds this clinic uses (settings.DIARY_RULES), with their settings' names."""
    return [
        ("NICE: fewer headache days after 2 cycles", f"{rules.adequate_response_pct}%", "DIARY_ADEQUATE_RESPONSE_PCT"),
        ("A cycle ends after, without a next session", f"{rules.cycle_days} days", "DIARY_CYCLE_DAYS"),
        (
            "Episodic: fewer headache days a month than",
            f"{rules.episodic_threshold} (EHF uses {EHF_EPISODIC_DAYS})",
            "DIARY_EPISODIC_THRESHOLD",
        ),
        ("... for this many months", str(rules.episodic_months), "DIARY_EPISODIC_MONTHS"),
        ("AHS: fewer headache or moderate/severe days", f"{rules.ahs_reduction_pct}%", "DIARY_AHS_REDUCTION_PCT"),
        ("AHS: MIDAS better by (baseline 11 to 20)", f"{rules.ahs_midas_points} points", "DIARY_AHS_MIDAS_POINTS"),
        ("AHS: MIDAS better by (baseline over 20)", f"{rules.ahs_midas_pct}%", "DIARY_AHS_MIDAS_PCT"),
        (
            "Baseline MIDAS: answered in the days before session 1",
            str(rules.baseline_midas_days),
            "DIARY_BASELINE_MIDAS_DAYS",
        ),
        ("EHF: days before and after each session", str(rules.around_session_days), "DIARY_AROUND_SESSION_DAYS"),
        ("Enough data: days recorded of every 28", str(int(rules.enough_data * 28)), "DIARY_ENOUGH_DATA_PER_28"),
    ]


def thresholds_rows_markup(rows, for_clinician=False):
    """The rows of the "Thresholds this clinic uses" table (thresholds' rows), with the settings' names for a
    clinician; as the template's loop drew them (_by_guideline.html prints them with {% threshold_rows %})."""
    if for_clinician:
        cells = (
            f'<tr><th scope="row" class="fw-normal">{escape(label)}</th><td data-label="Value">{escape(value)}</td>'
            f'<td data-label="Setting"><code>{escape(setting)}</code></td></tr>'
            for label, value, setting in rows
        )
    else:
        cells = (
            f'<tr><th scope="row" class="fw-normal">{escape(label)}</th><td data-label="Value">{escape(value)}</td>'
            "</tr>"
            for label, value, _setting in rows
        )
    return mark_safe("".join(cells))  # noqa: S308 - every text in it is escaped above


def by_guideline(progress, rules, *, for_clinician=False):
    """The "By guideline" panel: NICE TA260, AHS 2021 and EHF 2018 side by side, or None without a session."""
    if not progress.periods:
        return None
    nice, ahs = _nice(progress, rules, for_clinician), _ahs(progress, rules, for_clinician)
    return {
        "nice": nice,
        "ahs": ahs,
        "parts": [nice, ahs],
        "ehf": _ehf(progress, rules, for_clinician),
        "thresholds": thresholds(rules),
        "thresholds_words": (
            f"NICE {rules.adequate_response_pct}% fewer headache days after 2 cycles; AHS {rules.ahs_reduction_pct}% "
            f"fewer headache or moderate/severe days, or MIDAS {rules.ahs_midas_points} points (baseline 11 to 20) "
            f"or {rules.ahs_midas_pct}% (over 20) better; episodic below {rules.episodic_threshold} headache days a "
            f"month (EHF uses {EHF_EPISODIC_DAYS}); enough data {int(rules.enough_data * 28)} of 28 days recorded."
        ),
        "episodic_threshold": rules.episodic_threshold,
        "ehf_episodic_days": EHF_EPISODIC_DAYS,
    }


# ---------------------------------------------------------------- the baseline MIDAS


def baseline_midas_offer(progress, midas_answers, rules):
    """Before the first session: (offer the MIDAS, the latest answer that would count as the
    baseline MIDAS if the first session came today, or None). Offered when there is none."""
    if progress.periods:
        return False, None
    first = progress.today - dt.timedelta(days=rules.baseline_midas_days - 1)
    recent = [a for a in midas_answers if first <= a.answered_on <= progress.today]
    latest = max(recent, key=lambda a: (a.answered_on, a.pk or 0)) if recent else None
    return latest is None, latest
