"""What patients track besides headaches (issue #16): period days, the 2-hour answer for each
medicine taken, and daily factors. Every write, one transaction each.

Each function checks what it is given, then saves its rows and calls services.diary_changed()
in one transaction; or it raises Refused, naming the field at fault in our own words, having
saved nothing. None of these makes a day recorded (CLINICAL.md): they say nothing about headache.
"""

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone

from accounts.models import PatientProfile
from accounts.profiles import patient_today, profile_for
from core import timeutil
from diary import presentation, services
from diary.models import (
    FACTOR_NAME_LENGTH,
    MAX_FACTORS,
    AttackMedicine,
    EffectAnswer,
    Factor,
    FactorCheckIn,
    MenstruationDay,
)

# "My period started ... for N days": a longer run is more likely a slip of the thumb (50 for 5).
MAX_PERIOD_DAYS = 14


class Refused(Exception):
    """A write that cannot be right: field names the form field at fault ("__all__" for none)."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def _check_day(date, today, field, what):
    if date < timeutil.MIN_DATE:
        raise Refused(field, timeutil.MIN_DATE_MESSAGE)
    if date > today:
        raise Refused(field, f"{presentation.day_words(date)} has not happened yet: {what} once it has.")


# ---------------------------------------------------------------- periods


def set_track_periods(patient, track):
    """The patient's answer to "Do you want to track your periods?" (True or False).

    Only that column: writing back a profile read earlier could undo a version raised meanwhile.
    With False, every page, count and CSV leaves period days out; the days marked are kept.
    """
    with transaction.atomic():
        PatientProfile.objects.filter(user=patient).update(track_periods=bool(track))
        services.diary_changed(patient)
    profile_for(patient).track_periods = bool(track)


def mark_period_started(patient, start, days=None, now=None):
    """ "My period started" on `start`, and optionally marks it and the days after: `days` in all.

    Refused for a start or a last day after today (nothing is recorded in advance). Days already
    marked stay as they are. Returns (the dates marked, how many were new).
    """
    today = patient_today(profile_for(patient), now or timezone.now())
    _check_day(start, today, "start", "mark it")
    if days is not None:
        if not 1 <= days <= MAX_PERIOD_DAYS:
            raise Refused(
                "days",
                f"Give a number of days from 1 to {MAX_PERIOD_DAYS}, or leave it empty to mark the first day only.",
            )
        last = start + dt.timedelta(days=days - 1)
        if last > today:
            possible = (today - start).days + 1
            raise Refused(
                "days",
                f"{days} days from {presentation.day_words(start)} would reach {presentation.day_words(last)}, "
                f"which has not happened yet. Give {presentation.counted(possible, 'day')} (up to today), "
                "and mark the next days as they come.",
            )
    dates = timeutil.date_range(start, start + dt.timedelta(days=(days or 1) - 1))
    return dates, _add_period_days(patient, dates)


def mark_period_day(patient, date, now=None):
    """One bleeding day. Refused after today. Returns 1 if it is new, 0 if it was marked already."""
    today = patient_today(profile_for(patient), now or timezone.now())
    _check_day(date, today, "date", "mark it")
    return _add_period_days(patient, [date])


def _add_period_days(patient, dates):
    with transaction.atomic():
        existing = set(MenstruationDay.objects.filter(patient=patient, date__in=dates).values_list("date", flat=True))
        new = [MenstruationDay(patient=patient, date=date) for date in dates if date not in existing]
        # ignore_conflicts: a second tap sent at the same moment leaves one row, not an error.
        MenstruationDay.objects.bulk_create(new, ignore_conflicts=True)
        services.diary_changed(patient)
    return len(new)


def unmark_period_day(patient, date):
    """Remove one day's period mark (a day not marked is no error). Returns how many went."""
    with transaction.atomic():
        removed = MenstruationDay.objects.filter(patient=patient, date=date).delete()[0]
        services.diary_changed(patient)
    return removed


def delete_period_days(patient):
    """Delete every period day the patient marked (from the profile, once tracking is off)."""
    with transaction.atomic():
        removed = MenstruationDay.objects.filter(patient=patient).delete()[0]
        services.diary_changed(patient)
    return removed


# ---------------------------------------------------------------- how well each medicine worked


def answer_field(medicine_id):
    """The form field of one medicine's answer: "answer-12"."""
    return f"answer-{medicine_id}"


def save_medicine_answers(attack, answers):
    """The 2-hour answers for the medicines taken for one attack: {medicine id: answer or ""}.

    "" clears an answer. Refused, with nothing saved, for a medicine that was not taken for this
    attack or an answer that is not one of gone, better, the same or worse. Returns how many changed.
    """
    with transaction.atomic():
        medicines = {m.pk: m for m in AttackMedicine.objects.select_for_update().filter(attack=attack)}
        for medicine_id, answer in answers.items():
            if medicine_id not in medicines:
                raise Refused(
                    "__all__",
                    "One of these answers is for a medicine you did not log for this headache (the page may be "
                    "out of date): nothing was saved. Here are the medicines you logged.",
                )
            if answer not in ("", *EffectAnswer.values):
                raise Refused(answer_field(medicine_id), "Choose gone, better, the same or worse.")
        changed = [m for medicine_id, m in medicines.items() if medicine_id in answers and m.answer != answers[m.pk]]
        for medicine in changed:
            medicine.answer = answers[medicine.pk]
        AttackMedicine.objects.bulk_update(changed, ["answer"])
        services.diary_changed(attack.patient)
    return len(changed)


# ---------------------------------------------------------------- daily factors

_SPACES = re.compile(r"\s+")


def factor_name(text):
    """A factor's name as the list keeps it: spaces trimmed, and runs of spaces made one."""
    return _SPACES.sub(" ", text or "").strip()


def add_factors(patient, names):
    """Add factors to the patient's list, all or none.

    Refused for an empty name, one longer than FACTOR_NAME_LENGTH, one already on the list (in any
    letter case: "stress" beside "Stress" would split the counts), or a list that would pass
    MAX_FACTORS. The profile row is locked meanwhile, so two adds at once cannot pass the limit.
    Returns the names added.
    """
    cleaned = []
    for name in (factor_name(name) for name in names):
        if not name:
            continue
        if "\x00" in name:
            raise Refused("name", "The name has a character we cannot keep: type it again.")
        if len(name) > FACTOR_NAME_LENGTH:
            raise Refused(
                "name",
                f"A factor's name can be at most {FACTOR_NAME_LENGTH} characters; “{name[:20]}…” has {len(name)}. "
                "Shorten it.",
            )
        if name.casefold() not in {c.casefold() for c in cleaned}:
            cleaned.append(name)
    if not cleaned:
        raise Refused("name", "Choose one of the suggestions, or type a factor of your own.")
    with transaction.atomic():
        PatientProfile.objects.select_for_update().filter(user=patient).first()
        existing = list(Factor.objects.filter(patient=patient).values_list("name", flat=True))
        known = {name.casefold(): name for name in existing}
        for name in cleaned:
            if name.casefold() in known:
                raise Refused("name", f"“{known[name.casefold()]}” is already on your list.")
        if len(existing) + len(cleaned) > MAX_FACTORS:
            room = MAX_FACTORS - len(existing)
            raise Refused(
                "name",
                f"Your list can hold at most {MAX_FACTORS} factors. It has {len(existing)}, so "
                + (f"you can add {room} more, not {len(cleaned)}." if room else "remove one before adding another."),
            )
        Factor.objects.bulk_create([Factor(patient=patient, name=name) for name in cleaned])
        services.diary_changed(patient)
    return cleaned


def remove_factor(factor):
    """Take a factor off the list. Check-ins already saved keep it: each keeps the list of its day."""
    with transaction.atomic():
        factor.delete()
        services.diary_changed(factor.patient)


def save_checkin(patient, date, present, now=None):
    """The check-in of one date: which factors of the patient's list were present (the rest were not).

    It keeps the list as it is now. A date's earlier check-in is replaced. Refused for a date
    after today, a factor not on the list, or an empty list. Returns True if it is the date's first.
    """
    today = patient_today(profile_for(patient), now or timezone.now())
    _check_day(date, today, "date", "check in for it")
    with transaction.atomic():
        listed = list(Factor.objects.filter(patient=patient).values_list("name", flat=True))
        if not listed:
            raise Refused("present", "Your list of factors is empty: add some in your profile first.")
        for name in present:
            if name not in listed:
                raise Refused("present", f"“{name}” is not on your list: choose from the factors shown.")
        chosen = [name for name in listed if name in set(present)]
        _, created = FactorCheckIn.objects.update_or_create(
            patient=patient, date=date, defaults={"listed": listed, "present": chosen}
        )
        services.diary_changed(patient)
    return created
