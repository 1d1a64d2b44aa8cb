"""Tags that print the progress page's repeated rows as markup built in Python (diary.presentation,
diary.preventive_presentation and diary.guideline_presentation): the progress page, the clinic
patient page and the report use them.

{% period_table_rows rows show_midas any_changes %}      the period table's rows (presentation.period_rows' rows)
{% cycle_cards cycle_rows %}                             the cards, a cycle each, the latest first
{% ehf_rows guideline.ehf.rows %}                        the "By guideline" panel's EHF rows, a session each
{% threshold_rows guideline.thresholds for_clinician %}  its thresholds' rows, with the settings for a clinician
{% cached_url 'diary:report' %}                          {% url %} for a URL that is the same on every request:
                                                         reversed once a process (a reverse costs 40 to 70 µs)
"""

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse

from diary import guideline_presentation, presentation, preventive_presentation

register = template.Library()


@register.simple_tag
def period_table_rows(rows, show_midas=False, any_changes=False):
    return presentation.period_table_rows_markup(rows, bool(show_midas), bool(any_changes))


@register.simple_tag
def cycle_cards(cycle_rows):
    return preventive_presentation.cycle_cards_markup(cycle_rows)


@register.simple_tag
def ehf_rows(rows):
    return guideline_presentation.ehf_rows_markup(rows)


@register.simple_tag
def threshold_rows(rows, for_clinician=False):
    return guideline_presentation.thresholds_rows_markup(rows, bool(for_clinician))


@functools.lru_cache(maxsize=256)
def _reverse(root_urlconf, urlconf, script_prefix, current_app, name, args):
    """reverse(), remembered: the settings' and the request's URL configuration and script prefix are in the key."""
    return reverse(name, urlconf=urlconf, args=args, current_app=current_app)


@register.simple_tag(takes_context=True)
def cached_url(context, name, *args):
    """{% url name arg ... %} for a name and string arguments (no `as`), remembered: the same URL, escaped the same."""
    try:  # the current application, as {% url %} picks it
        current_app = context.request.current_app
    except AttributeError:
        try:
            current_app = context.request.resolver_match.namespace
        except AttributeError:
            current_app = None
    # The URL configuration a request's handler sets (django.core.handlers.base: request.urlconf, if a middleware
    # gave one), read from the request: get_urlconf() costs 8 µs, more than the rest of this tag.
    urlconf = getattr(getattr(context, "request", None), "urlconf", None)
    return _reverse(settings.ROOT_URLCONF, urlconf, get_script_prefix(), current_app, name, tuple(args))
