"""The patient's diary. Function views; every owned row is fetched through a helper that 404s for others."""

import calendar as pycalendar
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from accounts.forms import ProfileForm
from accounts.profiles import patient_required
from core import timeutil
from core.ratelimit import rate_limited
from diary import csvio, cycles, pages, presentation, services, tracking_views
from diary.forms import AttackForm, HeadacheFreeDaysForm, MedicineForm, SideEffectReportForm, TreatmentSessionForm
from diary.models import (
    URGENT_SIDE_EFFECTS,
    Attack,
    HeadacheFreeDay,
    Medicine,
    SideEffectReport,
    TreatmentSession,
)

HOME_DAYS = 7


def _get_attack_for_user(request, pk):
    return get_object_or_404(Attack.objects.prefetch_related("medicines"), pk=pk, patient=request.user)


def _get_session_for_user(request, pk):
    return get_object_or_404(TreatmentSession, pk=pk, patient=request.user)


def _urgent_side_effects(patient, session_dates):
    """Reports of difficulty swallowing, speaking or breathing since the last session."""
    if not session_dates:
        return []
    last = max(session_dates)
    return list(
        SideEffectReport.objects.filter(
            patient=patient, effect__in=URGENT_SIDE_EFFECTS, started_on__gte=last
        ).select_related("session")
    )


def _session_dates(request):
    return sorted(TreatmentSession.objects.filter(patient=request.user).values_list("date", flat=True))


def _day_infos(request, first, last, attack_rows=None):
    if attack_rows is None:
        attack_rows = services.attacks_near(request.user, first, last)
    attacks = [services.attack_data(a) for a in attack_rows]
    marks = HeadacheFreeDay.objects.filter(patient=request.user, date__gte=first, date__lte=last).values_list(
        "date", flat=True
    )
    return cycles.day_infos(attacks, marks, request.profile.tz, request.now, first, last)


@patient_required
@pages.patient_page
def home(request):
    return render(request, "diary/home.html", _home_context(request))


def _home_context(request, refused_stop=None):
    """The diary home's context; refused_stop: a refused "It has stopped at a time" to show again."""
    today = request.today
    first = today - dt.timedelta(days=HOME_DAYS - 1)
    attack_rows = list(services.attacks_near(request.user, first, today))  # includes every attack still going
    days = _day_infos(request, first, today, attack_rows)
    session_dates = _session_dates(request)
    ongoing = [_ongoing_card(request, attack, refused_stop) for attack in attack_rows if attack.is_ongoing]
    return {
        "today": today,
        "today_info": days[-1],
        "days": list(reversed(days)),
        "unrecorded_past": [day for day in days if day.status == "unrecorded" and day.date < today],
        "cycle": cycles.current_cycle(session_dates, today),
        "ongoing": ongoing,
        "urgent_side_effects": _urgent_side_effects(request.user, session_dates),
        # Periods, the 2-hour answers and the check-in (issue #16).
        **tracking_views.home_context(request, attack_rows),
    }


# "It has stopped": minutes ago, and the words on the home page's buttons.
STOP_CHOICES = [(0, "Just now"), (30, "30 min ago"), (60, "1 hour ago"), (120, "2 hours ago")]


def _ongoing_card(request, attack, refused_stop=None):
    """A headache still going, with the "It has stopped" choices that fall after its start."""
    started = attack.start_instant(request.profile.tz)
    card = {
        "attack": attack,
        "stop_choices": [
            (ago, label)
            for ago, label in STOP_CHOICES
            if ago == 0 or request.now - dt.timedelta(minutes=ago) >= started + dt.timedelta(minutes=1)
        ],
        "started_before_today": attack.start_date < request.today,
        "refused": None,
    }
    if refused_stop is not None and refused_stop["pk"] == attack.pk:
        card["refused"] = refused_stop
    return card


def _usual_medicines(request):
    return list(request.user.medicines.all())


@patient_required
def headache_new(request):
    if request.method == "POST" and request.POST.get("quick") == "now":
        return _headache_now(request)
    chosen_day = _parse_date(request.GET.get("date", ""))
    form = AttackForm(
        request.POST or None,
        profile=request.profile,
        usual_medicines=_usual_medicines(request),
        now=request.now,
        # From a day's page: log a headache on that day.
        day=chosen_day if chosen_day is not None and chosen_day < request.today else None,
    )
    if request.method == "POST" and form.is_valid():
        attack = form.apply_to(Attack(patient=request.user))
        try:
            removed = services.save_attack(attack, form.medicine_pairs(), now=request.now)
        except IntegrityError:  # the same headache sent twice at once (a double tap)
            messages.info(request, "This headache is already in your diary.")
            return redirect("diary:home")
        messages.success(request, _saved_message(request, "Headache saved", attack, removed))
        return redirect("diary:home")
    return render(request, "diary/attack_form.html", {"form": form, "attack": None})


def _headache_now(request):
    """The home page's fast path: a headache starting now and still going, at the severity tapped."""
    data = {"when": "now", "duration_choice": "ongoing", "severity": request.POST.get("severity", "")}
    form = AttackForm(data, profile=request.profile, usual_medicines=[], now=request.now)
    if not form.is_valid():
        if form.has_error(NON_FIELD_ERRORS, "duplicate"):  # a second tap in the same minute
            messages.info(request, "This headache is already in your diary.")
        else:
            messages.error(request, "Choose how bad it is: mild, moderate or severe. Nothing was saved.")
        return redirect("diary:home")
    try:
        attack, created = services.log_headache_now(form.apply_to(Attack(patient=request.user)), now=request.now)
    except IntegrityError:  # two taps at once
        messages.info(request, "This headache is already in your diary.")
        return redirect("diary:home")
    if created:
        messages.success(request, _saved_message(request, "Headache saved", attack))
    else:
        messages.info(
            request,
            format_html(
                "You logged a headache at {} a moment ago, and it is still going: nothing new was saved. "
                '<a class="alert-link" href="{}">Change it</a>',
                f"{attack.start_time:%H:%M}",
                reverse("diary:headache_edit", args=[attack.pk]),
            ),
        )
    return redirect("diary:home")


def _parse_date(value):
    """A date from a URL or query, or None; dates outside the diary's range are None too."""
    try:
        date = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return date if timeutil.MIN_DATE <= date <= dt.date(2999, 12, 31) else None


def _marks_removed_note(removed):
    if not removed:
        return ""
    return f" It replaced {presentation.counted(removed, 'headache-free mark')}."


def _saved_message(request, saved, attack, removed=0):
    """What was saved, in words, with a link to change it:
    "Headache saved: Tuesday 24 November, 09:00, 5 hours, moderate." """
    length = "still going" if attack.is_ongoing else presentation.duration_words(attack.duration_minutes)
    return format_html(
        '{}: {}, {}, {}, {}.{} <a class="alert-link" href="{}">Change it</a>',
        saved,
        presentation.day_words(attack.start_date, request.today),
        f"{attack.start_time:%H:%M}",
        length,
        attack.get_severity_display().lower(),
        _marks_removed_note(removed),
        reverse("diary:headache_edit", args=[attack.pk]),
    )


@patient_required
def headache_edit(request, pk):
    attack = _get_attack_for_user(request, pk)
    form = AttackForm(
        request.POST or None,
        profile=request.profile,
        usual_medicines=_usual_medicines(request),
        attack=attack,
        now=request.now,
    )
    if request.method == "POST" and form.is_valid():
        try:
            removed = services.save_attack(form.apply_to(attack), form.medicine_pairs(), now=request.now)
        except IntegrityError:
            messages.info(request, "You have already logged this headache: nothing was changed.")
            return redirect("diary:day", date=attack.start_date.isoformat())
        messages.success(request, _saved_message(request, "Headache updated", attack, removed))
        return redirect("diary:day", date=attack.start_date.isoformat())
    return render(request, "diary/attack_form.html", {"form": form, "attack": attack})


@patient_required
def headache_delete(request, pk):
    attack = _get_attack_for_user(request, pk)
    if request.method == "POST":
        date = attack.start_date
        services.delete_attack(attack)
        messages.success(request, "Headache deleted.")
        return redirect("diary:day", date=date.isoformat())
    return render(request, "diary/attack_confirm_delete.html", {"attack": attack})


@patient_required
@require_POST
def headache_end(request, pk):
    """A headache still going has stopped: just now, some minutes ago (ago=30), or at a time typed."""
    attack = _get_attack_for_user(request, pk)
    if not attack.is_ongoing:  # a second tap: the first saved it
        return redirect("diary:home")
    try:
        services.stop_attack(attack, _stopped_at(request, attack), now=request.now)
    except services.StopRefused as refusal:
        refused = {
            "pk": attack.pk,
            "message": refusal.message,
            "date": request.POST.get("stopped_date", ""),
            "time": request.POST.get("stopped_time", ""),
        }
        return render(request, "diary/home.html", _home_context(request, refused))
    messages.success(
        request,
        format_html(
            'Saved: it lasted {}. <a class="alert-link" href="{}">Change it</a>',
            presentation.duration_words(attack.duration_minutes),
            reverse("diary:headache_edit", args=[attack.pk]),
        ),
    )
    return redirect("diary:home")


def _stopped_at(request, attack):
    """When the person says it stopped, as an instant; None for "just now"."""
    if "stopped_time" in request.POST:
        text = request.POST.get("stopped_time", "").strip()
        if not text:
            raise services.StopRefused("Give the time it stopped.")
        date = _parse_date(request.POST.get("stopped_date", "")) or request.today
        try:
            time = dt.time.fromisoformat(text).replace(second=0, microsecond=0)
        except ValueError:
            raise services.StopRefused("Give the time as hours and minutes, for example 14:30.") from None
        try:
            return timeutil.to_instant(date, time, request.profile.tz, strict=True)
        except timeutil.NonexistentLocalTime:
            raise services.StopRefused(
                "The clocks went forward at that time, so it did not exist. Choose a time an hour later."
            ) from None
    ago = request.POST.get("ago", "0")
    minutes = {str(minutes): minutes for minutes, _ in STOP_CHOICES}.get(ago)
    if minutes is None:
        raise services.StopRefused("Choose one of the times shown.")
    return None if minutes == 0 else request.now - dt.timedelta(minutes=minutes)


def _safe_next(request, default):
    target = request.POST.get("next", "")
    # Only our own diary pages, never another host.
    if target.startswith("/diary/") and "//" not in target and "\\" not in target:
        return target
    return default


@patient_required
@require_POST
def headache_free_mark(request):
    form = HeadacheFreeDaysForm(request.POST)
    back = _safe_next(request, reverse("diary:home"))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["dates"]))
        return redirect(back)
    try:
        added = services.mark_headache_free(request.user, form.cleaned_data["dates"], now=request.now)
    except services.MarkRefused as refusal:
        messages.error(request, refusal.message + " Nothing was saved.")
        return redirect(back)
    dates = form.cleaned_data["dates"]
    if dates == [request.today]:
        messages.success(request, "Saved: no headache today.")
    else:
        messages.success(request, f"Saved: {len(dates)} day{'s' if len(dates) != 1 else ''} without a headache.")
    if added == 0 and len(dates) == 1:
        messages.info(request, "That day was already marked.")
    return redirect(back)


@patient_required
@require_POST
def headache_free_unmark(request):
    form = HeadacheFreeDaysForm(request.POST)
    back = _safe_next(request, reverse("diary:home"))
    if form.is_valid():
        services.unmark_headache_free(request.user, form.cleaned_data["dates"])
        messages.success(request, "Headache-free mark removed.")
    else:
        messages.error(request, " ".join(form.errors["dates"]))
    return redirect(back)


def _parse_month(value, today):
    if not value:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in value.split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        raise Http404("No such month") from None


def _add_months(date, months):
    index = date.year * 12 + date.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# How the calendar paints a day (templates/diary/calendar.html, the .day-* colours in app.css).
SEVERITY_KINDS = {1: "mild", 2: "moderate", 3: "severe"}


def _calendar_kind(info, future):
    if info is None:
        return "outside"  # a day of the month before or after, left blank
    if future:
        return "future"
    if info.status == "headache":
        return SEVERITY_KINDS.get(info.worst_severity, "mild")
    return "free" if info.status == "headache_free" else "unrecorded"


@patient_required
@pages.patient_page(query=("month",))
def calendar(request):
    month = _parse_month(request.GET.get("month", ""), request.today)
    if not timeutil.MIN_DATE <= month <= dt.date(2999, 12, 1):
        raise Http404("No such month")
    last_day = month.replace(day=pycalendar.monthrange(month.year, month.month)[1])
    infos = {info.date: info for info in _day_infos(request, month, last_day)}
    sessions = set(
        TreatmentSession.objects.filter(patient=request.user, date__gte=month, date__lte=last_day).values_list(
            "date", flat=True
        )
    )
    periods = tracking_views.period_dates(request, month, last_day)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append(
            [
                {
                    "date": date,
                    "in_month": date.month == month.month,
                    "info": infos.get(date),
                    "session": date in sessions,
                    "period": date in periods,
                    "future": date > request.today,
                    "today": date == request.today,
                    "kind": _calendar_kind(infos.get(date), date > request.today),
                }
                for date in week
            ]
        )
    context = {
        "month": month,
        "weeks": weeks,
        "previous_month": _add_months(month, -1),
        "next_month": _add_months(month, 1) if _add_months(month, 1) <= request.today else None,
        "weekday_names": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        "periods_shown": tracking_views.periods_shown(request.profile),
    }
    return render(request, "diary/calendar.html", context)


@patient_required
@pages.patient_page
def day(request, date):
    date = _parse_date(date)
    if date is None:
        raise Http404("No such date")
    info = _day_infos(request, date, date)[0]
    nearby = sorted(services.attacks_near(request.user, date, date), key=lambda a: (a.start_date, a.start_time))
    attacks = [attack for attack in nearby if date in attack.days_touched(request.profile.tz, request.now)]
    context = {
        "date": date,
        "info": info,
        "attacks": attacks,
        "session": TreatmentSession.objects.filter(patient=request.user, date=date).first(),
        "future": date > request.today,
        "tz": request.profile.tz,
        **tracking_views.day_context(request, date),
    }
    return render(request, "diary/day.html", context)


@patient_required
@pages.patient_page
def session_list(request):
    sessions = list(TreatmentSession.objects.filter(patient=request.user).prefetch_related("side_effect_reports"))
    dates = sorted(session.date for session in sessions)
    context = {
        "sessions": sessions,
        "cycle": cycles.current_cycle(dates, request.today),
        "urgent_side_effects": _urgent_side_effects(request.user, dates),
    }
    return render(request, "diary/session_list.html", context)


@patient_required
def session_new(request):
    form = TreatmentSessionForm(request.POST or None, patient=request.user, today=request.today)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.save_session(form.save(commit=False))
        except IntegrityError:  # the same session sent twice at once
            messages.info(request, "You already have a treatment session on this date.")
            return redirect("diary:sessions")
        messages.success(request, "Treatment session saved.")
        return redirect("diary:session_side_effects", pk=session.pk)
    return render(request, "diary/session_form.html", {"form": form, "session": None})


@patient_required
def session_edit(request, pk):
    session = _get_session_for_user(request, pk)
    form = TreatmentSessionForm(request.POST or None, instance=session, patient=request.user, today=request.today)
    if request.method == "POST" and form.is_valid():
        services.save_session(form.save(commit=False))
        messages.success(request, "Treatment session updated.")
        return redirect("diary:sessions")
    return render(request, "diary/session_form.html", {"form": form, "session": session})


@patient_required
def session_delete(request, pk):
    session = _get_session_for_user(request, pk)
    if request.method == "POST":
        services.delete_session(session)
        messages.success(request, "Treatment session deleted.")
        return redirect("diary:sessions")
    return render(request, "diary/session_confirm_delete.html", {"session": session})


@patient_required
def session_side_effects(request, pk):
    """After a session: any side effects? The report form, and the reports so far."""
    session = _get_session_for_user(request, pk)
    form = SideEffectReportForm(request.POST or None, session=session, today=request.today)
    if request.method == "POST" and form.is_valid():
        report = services.add_side_effect(form.save(commit=False))
        if report.is_urgent:
            messages.error(
                request,
                "Difficulty swallowing, speaking or breathing needs urgent medical care now: "
                f"call {settings.EMERGENCY_NUMBER} or go to {settings.EMERGENCY_DEPARTMENT}. "
                "Tell them you had Botox injections.",
            )
        else:
            messages.success(request, "Side effect saved. Your clinician can discuss it with you.")
        return redirect("diary:session_side_effects", pk=session.pk)
    reports = list(session.side_effect_reports.all())
    context = {
        "session": session,
        "form": form,
        "reports": reports,
        "urgent_side_effects": _urgent_side_effects(request.user, _session_dates(request)),
        "urgent_effects": sorted(URGENT_SIDE_EFFECTS),
    }
    return render(request, "diary/session_side_effects.html", context)


@patient_required
def side_effect_delete(request, pk):
    report = get_object_or_404(SideEffectReport, pk=pk, patient=request.user)
    if request.method == "POST":
        session_pk = report.session_id
        services.delete_side_effect(report)
        messages.success(request, "Side-effect report deleted.")
        return redirect("diary:session_side_effects", pk=session_pk)
    return render(request, "diary/side_effect_confirm_delete.html", {"report": report})


@patient_required
@rate_limited("export")
def export_csv(request):
    return csvio.download_response(request.user, f"headache-diary-{request.today.isoformat()}.csv")


@patient_required
@rate_limited("import", methods=("POST",))
def import_csv(request):
    result = None
    errors = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [csvio.RowError(None, "file", "Choose a CSV file to import.")]
        else:
            try:
                result = services.import_diary(request.user, upload, now=request.now)
            except csvio.ImportRefused as refused:
                errors = refused.errors
        if result is not None:
            messages.success(request, result.summary())
            return redirect("diary:import")
    context = {
        "errors": errors,
        # A problem with the whole file reads as a sentence; a row's problem starts with where it is.
        "error_texts": [error.message if error.column == "file" else str(error) for error in errors],
        "rows_wrong": any(error.line is not None for error in errors),
        "max_rows": csvio.MAX_ROWS,
    }
    return render(request, "diary/import.html", context)


# ---------------------------------------------------------------- usual medicines (on the profile page)


@patient_required
@require_POST
def medicine_add(request):
    form = MedicineForm(request.POST, patient=request.user)
    if form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:  # sent twice at once
            return redirect("profile")
        messages.success(request, f"{form.instance.name} added to your medicines.")
        return redirect("profile")
    context = {"form": ProfileForm(instance=request.profile, user=request.user), "medicine_form": form}
    return render(request, "registration/profile.html", context, status=400)


@patient_required
@require_POST
def medicine_delete(request, pk):
    medicine = get_object_or_404(Medicine, pk=pk, patient=request.user)
    medicine.delete()
    messages.success(request, f"{medicine.name} removed from your list. Headaches you logged keep it.")
    return redirect("profile")
