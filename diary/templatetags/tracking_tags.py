"""Tags that draw periods, medicine effect and factors into pages other modules own.

{% tracking_settings %}: the profile page's section (the profile is accounts', the rows the diary's).
{% tracking_progress %}: the progress page's and the clinic patient page's sections, from the
  context's `progress` and `loaded` (no query: the figures are computed with the progress).
{% tracking_report %}: the same, short, for the one-page report.
"""

from django import template

from accounts.profiles import profile_for
from diary import services, tracking_presentation
from diary.models import MAX_FACTORS, Factor, MenstruationDay
from diary.tracking_forms import FactorAddForm

register = template.Library()


@register.inclusion_tag("diary/tracking/_profile_settings.html", takes_context=True)
def tracking_settings(context):
    request = context["request"]
    profile = profile_for(request.user)
    factors = list(Factor.objects.filter(patient=request.user))
    hidden = 0
    if profile.track_periods is False:
        hidden = MenstruationDay.objects.filter(patient=request.user).count()
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "track_periods": profile.track_periods,
        "hidden_period_days": hidden,
        "factors": factors,
        "factor_form": context.get("factor_form") or FactorAddForm(listed=[f.name for f in factors]),
        "max_factors": MAX_FACTORS,
        "room": MAX_FACTORS - len(factors),
    }


def _sections(context):
    loaded = context["loaded"]
    progress = context["progress"]
    for_clinician = context.get("for_clinician", False)
    rules = context.get("rules") or services.rules()  # progress_context's, read once a page
    track = loaded.profile.track_periods
    # Hidden when the patient said no; before they are asked, shown once there is a period marked.
    show_periods = track is True or (track is None and bool(progress.menstruations))
    return {
        "request": context.get("request"),
        "progress": progress,
        "for_clinician": for_clinician,
        "is_own_diary": context.get("is_own_diary", False),
        "show_periods": show_periods,
        "menstrual": tracking_presentation.menstrual_summary(progress, rules, for_clinician=for_clinician)
        if show_periods
        else None,
        "medicine_rows": tracking_presentation.medicine_rows(progress.acute_medicines),
        "medicine_days": rules.acute_medicine_days,
        "few_answers": rules.medicine_few_answers,
    }


@register.inclusion_tag("diary/tracking/_progress_sections.html", takes_context=True)
def tracking_progress(context):
    return _sections(context)


@register.inclusion_tag("diary/tracking/_report_sections.html", takes_context=True)
def tracking_report(context):
    sections = _sections(context)
    sections["answered_rows"] = [row for row in sections["medicine_rows"] if not row["none"]][:5]
    return sections


@register.filter
def effect_words(answer):
    """{{ medicine.answer|effect_words }}: 'the pain was gone'."""
    return tracking_presentation.answer_words(answer)


SHORT_ANSWERS = {"pain_free": "pain free", "better": "better", "same": "the same", "worse": "worse"}


@register.filter
def effect_short(answer):
    """{{ answer|effect_short }}: 'pain free', for a clinician's table."""
    return SHORT_ANSWERS.get(answer or "", "")
