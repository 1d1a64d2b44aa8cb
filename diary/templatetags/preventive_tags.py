"""Tags that draw issue #15's parts into the progress page, the clinic patient page and the report.

From the context's `loaded` (services.PatientProgress), `progress`, `chart` and `for_clinician`;
no query: the courses and MIDAS answers are loaded with the progress.

{% preventive_courses as rows %}        the courses for a list (preventive_presentation.course_rows)
{% preventive_timeline as timeline %}   the timeline under the chart, or None
{% by_guideline as guideline %}         the "By guideline" panel, or None without a session
{% eligibility_checklist as eligibility %}  NICE TA260's checklist, or None without a session
{% baseline_midas as midas %}           before the first session: offer the MIDAS, or the answer that counts
{{ period|preventive_changes }}         "Topiramate started 1 October 2026", ...
{{ rows|any_preventive_changes }}       a period of the table has changes (its column is shown)
"""

from django import template

from diary import guideline_presentation, preventive_presentation, services

register = template.Library()


def _rules(context):
    """The clinic's rules: the context's (progress_views.progress_context puts them there), else the settings'."""
    return context.get("rules") or services.rules()


def _for_clinician(context):
    return bool(context.get("for_clinician", False)) and not context.get("is_own_diary", False)


@register.simple_tag(takes_context=True)
def preventive_courses(context):
    return preventive_presentation.course_rows(context["loaded"].preventive_courses)


@register.simple_tag(takes_context=True)
def preventive_timeline(context):
    return preventive_presentation.timeline(
        context["progress"], context["loaded"].preventive_courses, context.get("chart")
    )


@register.simple_tag(takes_context=True)
def by_guideline(context, clinician=None):
    """clinician: words for a clinician (True) or the patient (False); the context's by default."""
    for_clinician = _for_clinician(context) if clinician is None else clinician
    return guideline_presentation.by_guideline(context["progress"], _rules(context), for_clinician=for_clinician)


@register.simple_tag(takes_context=True)
def eligibility_checklist(context):
    loaded = context["loaded"]
    return guideline_presentation.eligibility(
        context["progress"], loaded.attacks, loaded.preventive_courses, _rules(context)
    )


@register.simple_tag(takes_context=True)
def baseline_midas(context):
    offer, latest = guideline_presentation.baseline_midas_offer(
        context["progress"], context["loaded"].midas_answers, _rules(context)
    )
    return {"offer": offer, "latest": latest}


@register.filter
def preventive_changes(period):
    return preventive_presentation.change_words(period)


@register.filter
def any_preventive_changes(rows):
    return any(row["period"].preventive_changes for row in rows)
