"""The patient's progress: page, JSON, printable report and the MIDAS questionnaire.

The context builders take an already loaded PatientProgress, so the clinic's pages render
the same templates for a patient who shares their diary. The patient's pages read it through
diary.progress_cache, so the page, the JSON and the report (and the clinician's pages, when they
read it there too) share one computation per diary version and quarter hour.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render

from accounts.profiles import patient_required
from diary import cycles, pages, presentation, progress_cache, services
from diary.forms import MidasForm
from diary.templatetags.wording import help_numbers


def progress_context(loaded, rules=None, *, for_clinician=False):
    """The progress page's context; for_clinician words the urgent notice and the report's flags for them."""
    rules = rules or services.rules()
    progress = loaded.progress
    current = progress.current_cycle
    cycle_periods = [p for p in progress.periods if p.kind == "cycle"]
    midas_due = bool(
        current and current.day >= rules.midas_offer_day and cycle_periods and cycle_periods[-1].midas_score is None
    )
    numbers = help_numbers()
    rows = presentation.period_rows(progress)
    context = {
        "loaded": loaded,
        "progress": progress,
        "rows": rows,
        "cycle_rows": [row for row in rows if row["period"].kind == "cycle"],
        "chart": presentation.chart(progress),
        "flag_messages": presentation.flag_messages([f for f in progress.flags if f != "urgent_side_effect"], numbers),
        "urgent_side_effects": loaded.urgent_side_effects,
        "week_rows": presentation.week_rows(cycle_periods),
        "week_numbers": [str(n) for n in range(1, rules.weeks_in_cycle + 1)],
        "midas_due": midas_due,
        "current_cycle": current,
        "medicine_rows": presentation.medicine_class_rows(
            cycles.medicine_days_by_class(loaded.attacks, progress.today, rules.overuse_window_days)
        ),
        "months": progress.months,
        "flag_report": presentation.flag_messages(progress.flags, numbers, for_clinician=for_clinician),
        "for_clinician": for_clinician,
        "early_days": presentation.EARLY_DAYS,
        "rules": rules,  # for the page's tags (diary.templatetags.preventive_tags, tracking_tags): read once
    }
    # The chart's drawings and the week table, as markup built in Python (the includes print them).
    context["chart_html"] = presentation.chart_markup(context["chart"])
    context["weeks_html"] = presentation.weeks_markup(context["week_rows"], context["week_numbers"])
    if for_clinician:
        phone = loaded.profile.phone
        context.update(
            {
                "urgent_notices": [presentation.clinician_urgent_notice(r) for r in loaded.urgent_side_effects],
                "patient_phone": phone,
                "patient_phone_href": presentation.phone_href(phone),
            }
        )
    return context


@patient_required
@pages.patient_page
def progress(request):
    loaded = progress_cache.load(request.user, request.now, request.profile)
    context = progress_context(loaded)
    context["is_own_diary"] = True
    return render(request, "diary/progress.html", context)


@patient_required
@pages.patient_page
def progress_json(request):
    loaded = progress_cache.load(request.user, request.now, request.profile)
    response = JsonResponse(cycles.progress_json(loaded.progress, loaded.profile.time_zone))
    response["Cache-Control"] = "no-store"
    return response


@patient_required
@pages.patient_page
def report(request):
    loaded = progress_cache.load(request.user, request.now, request.profile)
    context = progress_context(loaded)
    context["patient"] = request.user
    return render(request, "diary/report.html", context)


@patient_required
def midas_new(request):
    form = MidasForm(request.POST or None, today=request.today)
    if request.method == "POST" and form.is_valid():
        answer = form.save(commit=False)
        answer.patient = request.user
        answer.answered_on = request.today
        services.save_midas(answer)
        messages.success(request, f"Thank you. Your MIDAS score is {answer.score}.")
        return redirect("diary:progress")
    return render(request, "diary/midas_form.html", {"form": form})
