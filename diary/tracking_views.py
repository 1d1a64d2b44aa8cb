"""Pages and forms for periods, the 2-hour answers and daily factors (issue #16), and the parts of
the diary home, day page and calendar that show them.

Function views for the patient only (patient_required: clinicians and editors get 403); an
attack or factor of anyone else is a 404. Every write is one call to diary.tracking, whose
refusals come back next to the field at fault with nothing saved.
"""

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.forms import ProfileForm
from accounts.profiles import patient_required
from core import timeutil
from diary import cycles, pages, presentation, progress_cache, services, tracking, tracking_presentation
from diary.models import Attack, Factor, FactorCheckIn, MenstruationDay
from diary.tracking_forms import CheckInForm, FactorAddForm, MedicineEffectForm, PeriodDayForm, PeriodStartedForm

# The home page asks about medicines taken for headaches that started today or yesterday.
REMINDER_DAYS = 2
REMINDER_MAX = 3
# The question is what the pain was like 2 hours after the medicine: the home page asks it once
# the headache started that long ago, not the moment it is saved (the headache's own page offers
# it at any time, for a patient who wants to answer early).
REMINDER_AFTER = dt.timedelta(hours=2)
# Period days read for the home page: enough to say "day 9" of a period going on.
PERIOD_LOOKBACK_DAYS = 20


def _safe_next(request, default):
    """Only our own diary or profile pages, never another host."""
    target = request.POST.get("next", "")
    if target.startswith(("/diary/", "/accounts/profile/")) and "//" not in target and "\\" not in target:
        return target
    return default


def _date_from(value, default=None):
    try:
        date = dt.date.fromisoformat(value or "")
    except ValueError:
        return default
    return date if timeutil.MIN_DATE <= date <= dt.date(2999, 12, 31) else default


def periods_shown(profile):
    """Period days appear on pages unless the patient said no (None: not asked yet, but shown if any)."""
    return profile.track_periods is not False


def _factor_names(patient):
    return list(Factor.objects.filter(patient=patient).values_list("name", flat=True))


# ---------------------------------------------------------------- parts of other pages


def period_dates(request, first, last):
    """The period days from first to last (one query), or none without one when periods are hidden."""
    if not periods_shown(request.profile):
        return set()
    return set(
        MenstruationDay.objects.filter(patient=request.user, date__gte=first, date__lte=last).values_list(
            "date", flat=True
        )
    )


def _period_now(dates, today):
    """The period going on today, if any: (day number today, today marked) or None."""
    runs = cycles.menstruations(dates, today, {})
    if not runs:
        return None
    latest = runs[-1]
    if (today - latest.last_marked).days > cycles.DEFAULT_RULES.menstruation_gap_days:
        return None
    return {"day": (today - latest.day1).days + 1, "today_marked": latest.last_marked == today}


def _reminders(request, attack_rows):
    """Headaches of today and yesterday, started 2 hours ago or more, with a medicine not yet
    answered (medicines prefetched)."""
    first = request.today - dt.timedelta(days=REMINDER_DAYS - 1)
    tz = request.profile.tz
    due = []
    for attack in sorted(attack_rows, key=lambda a: (a.start_date, a.start_time), reverse=True):
        if attack.start_date < first:
            continue
        if timeutil.to_instant(attack.start_date, attack.start_time, tz) > request.now - REMINDER_AFTER:
            continue
        waiting = [m for m in attack.medicines.all() if not m.answer]
        if waiting:
            form = MedicineEffectForm(medicines=waiting)
            due.append({"attack": attack, "form": form, "when": _attack_words(attack, request.today)})
    return due[:REMINDER_MAX]


def _attack_words(attack, today):
    if attack.start_date == today:
        day = "today"
    elif attack.start_date == today - dt.timedelta(days=1):
        day = "yesterday"
    else:
        day = presentation.day_words(attack.start_date, today)
    return f"{day} at {attack.start_time:%H:%M}"


def home_context(request, attack_rows):
    """What the diary home shows of periods, 2-hour answers and factors.

    Queries: the factor list (1); today's check-in (1, only with a list); the period days of the
    last weeks (1, only once the patient tracks periods). attack_rows come with their medicines.
    """
    profile, today = request.profile, request.today
    context = {
        "ask_track_periods": profile.track_periods is None,
        "track_periods": bool(profile.track_periods),
        "medicine_reminders": _reminders(request, attack_rows),
        "period_dates": set(),
        "period_now": None,
        "period_form": None,
        "checkin_form": None,
        "checkin_today": None,
    }
    if profile.track_periods:
        dates = period_dates(request, today - dt.timedelta(days=PERIOD_LOOKBACK_DAYS), today)
        context["period_dates"] = dates
        context["period_now"] = _period_now(dates, today)
        context["period_form"] = PeriodStartedForm(today=today)
    listed = _factor_names(request.user)
    if listed:
        checkin = FactorCheckIn.objects.filter(patient=request.user, date=today).first()
        context["checkin_today"] = checkin
        context["checkin_names"] = listed
        context["checkin_form"] = CheckInForm(
            listed=listed, today=today, initial={"present": checkin.present if checkin else []}
        )
    return context


def day_context(request, date):
    """What a day's page shows of periods and the check-in (at most three small queries)."""
    profile = request.profile
    listed = _factor_names(request.user)
    checkin = FactorCheckIn.objects.filter(patient=request.user, date=date).first()
    return {
        "periods_shown": periods_shown(profile),
        "track_periods": bool(profile.track_periods),
        "period_day": date in period_dates(request, date, date),
        "checkin": checkin,
        "checkin_absent": [name for name in checkin.listed if name not in checkin.present] if checkin else [],
        "factors_listed": bool(listed),
    }


# ---------------------------------------------------------------- periods


@patient_required
@require_POST
def track_periods(request):
    """The home page's once-only question, and the profile's setting: yes or no."""
    answer = request.POST.get("answer")
    back = _safe_next(request, reverse("diary:home"))
    if answer not in ("yes", "no"):
        messages.error(request, "Choose yes or no. Nothing was changed.")
        return redirect(back)
    tracking.set_track_periods(request.user, answer == "yes")
    if answer == "yes":
        messages.success(request, "Period tracking is on. Use “My period started” on your diary's home page.")
    else:
        messages.success(request, "Periods are not tracked. You can turn this on in your profile at any time.")
    return redirect(back)


@patient_required
def period_started(request):
    """ "My period started": a date (today unless changed) and, optionally, how many days."""
    chosen = _date_from(request.GET.get("date"))
    initial = {"start": chosen} if chosen and chosen <= request.today else {}
    form = PeriodStartedForm(request.POST or None, today=request.today, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dates, added = tracking.mark_period_started(
                request.user, form.cleaned_data["start"], form.cleaned_data["days"], now=request.now
            )
        except tracking.Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            start = presentation.day_words(dates[0], request.today)
            if len(dates) == 1:
                text = f"Saved: your period started on {start}."
            else:
                text = f"Saved: your period started on {start}, {len(dates)} days marked."
            if added < len(dates):
                text += f" {presentation.counted(len(dates) - added, 'day')} had been marked already."
            messages.success(request, text)
            return redirect(_safe_next(request, reverse("diary:home")))
    context = {"form": form, "next": _safe_next(request, "")}
    return render(request, "diary/tracking/period_started.html", context)


@patient_required
@require_POST
def period_day(request):
    """One tap: a day marked as a period day, or its mark removed."""
    form = PeriodDayForm(request.POST)
    back = _safe_next(request, reverse("diary:home"))
    if not form.is_valid():
        messages.error(request, "That day could not be read. Nothing was saved.")
        return redirect(back)
    date = form.cleaned_data["date"]
    words = presentation.day_words(date, request.today)
    if form.cleaned_data["action"] == "remove":
        tracking.unmark_period_day(request.user, date)
        messages.success(request, f"Period mark removed from {words}.")
        return redirect(back)
    try:
        tracking.mark_period_day(request.user, date, now=request.now)
    except tracking.Refused as refusal:
        messages.error(request, refusal.message + " Nothing was saved.")
        return redirect(back)
    messages.success(request, f"Saved: {words} is a period day.")
    return redirect(back)


@patient_required
@require_POST
def period_days_delete(request):
    removed = tracking.delete_period_days(request.user)
    messages.success(request, f"{presentation.counted(removed, 'period day')} deleted.")
    return redirect(reverse("profile") + "#periods")


# ---------------------------------------------------------------- how well each medicine worked


def _get_attack_for_user(request, pk):
    return get_object_or_404(Attack.objects.prefetch_related("medicines"), pk=pk, patient=request.user)


@patient_required
def medicine_effect(request, pk):
    """ "2 hours after taking it, was the pain: gone / better / the same / worse", for each medicine."""
    attack = _get_attack_for_user(request, pk)
    medicines = list(attack.medicines.all())
    form = MedicineEffectForm(request.POST or None, medicines=medicines)
    if request.method == "POST" and form.is_valid():
        try:
            tracking.save_medicine_answers(attack, form.sent_answers())
        except tracking.Refused as refusal:
            form.add_error(None if refusal.field == "__all__" else refusal.field, refusal.message)
        else:
            saved = [m for m in medicines if form.sent_answers().get(m.pk)]
            if saved:
                messages.success(
                    request,
                    "Saved: "
                    + "; ".join(
                        f"{m}: {tracking_presentation.answer_words(form.sent_answers()[m.pk])} after 2 hours"
                        for m in saved
                    )
                    + ".",
                )
            else:
                messages.info(request, "Nothing chosen, so nothing was changed.")
            return redirect(_safe_next(request, reverse("diary:day", args=[attack.start_date.isoformat()])))
    context = {
        "attack": attack,
        "form": form,
        "when": presentation.day_words(attack.start_date, request.today) + f" at {attack.start_time:%H:%M}",
        "next": _safe_next(request, ""),
    }
    return render(request, "diary/tracking/medicine_effect.html", context)


# ---------------------------------------------------------------- daily factors


@patient_required
def checkin(request):
    """Which of the patient's factors were there on a day (today unless changed): toggles, one Save."""
    listed = _factor_names(request.user)
    chosen = _date_from(request.GET.get("date")) if request.method == "GET" else None
    date = chosen if chosen and chosen <= request.today else request.today
    existing = FactorCheckIn.objects.filter(patient=request.user, date=date).first()
    initial = {"date": date, "present": existing.present if existing else []}
    form = CheckInForm(request.POST or None, listed=listed, today=request.today, initial=initial)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["date"]
        try:
            created = tracking.save_checkin(request.user, day, form.cleaned_data["present"], now=request.now)
        except tracking.Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            words = presentation.day_words(day, request.today)
            present = form.cleaned_data["present"]
            text = f"Check-in saved for {'today' if day == request.today else words}: " + (
                ", ".join(present) if present else "none of your factors"
            )
            messages.success(request, text + ("." if created else ". It replaced the one you gave before."))
            return redirect(_safe_next(request, reverse("diary:home")))
    context = {"form": form, "listed": listed, "existing": existing, "next": _safe_next(request, "")}
    return render(request, "diary/tracking/checkin.html", context)


@patient_required
@pages.patient_page
def factors(request):
    """ "Things that go with your headaches": per factor, how often a headache followed with and without it."""
    loaded = progress_cache.load(request.user, request.now, request.profile)
    rules = services.rules()
    context = {
        "rows": tracking_presentation.factor_rows(loaded.progress.factors, rules),
        "listed": _factor_names(request.user),
        "rules": rules,
        "window_months": round(rules.factor_window_days / 30),
    }
    return render(request, "diary/tracking/factors.html", context)


@patient_required
@require_POST
def factor_add(request):
    listed = _factor_names(request.user)
    form = FactorAddForm(request.POST, listed=listed)
    if form.is_valid():
        try:
            added = tracking.add_factors(request.user, form.names())
        except tracking.Refused as refusal:
            form.add_error("name", refusal.message)
        else:
            messages.success(request, f"Added to your factors: {', '.join(added)}.")
            return redirect(reverse("profile") + "#factors")
    context = {"form": ProfileForm(instance=request.profile, user=request.user), "factor_form": form}
    return render(request, "registration/profile.html", context, status=400)


@patient_required
@require_POST
def factor_delete(request, pk):
    factor = get_object_or_404(Factor, pk=pk, patient=request.user)
    tracking.remove_factor(factor)
    messages.success(request, f"{factor.name} removed from your factors. Check-ins you saved keep it.")
    return redirect(reverse("profile") + "#factors")
