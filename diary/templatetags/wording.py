"""Words that depend on settings or need plurals: the urgent-help numbers and attack lengths.

A tag, not a context processor, so that pages rendered without a request's context (the error
pages) can give the same numbers.
"""

from django import template
from django.conf import settings

from diary import presentation

register = template.Library()


def help_numbers():
    """Where to send a patient for urgent help, from settings (UK defaults: 999, NHS 111, A&E)."""
    return {
        "emergency": settings.EMERGENCY_NUMBER,
        "advice": settings.URGENT_ADVICE,
        "department": settings.EMERGENCY_DEPARTMENT,
    }


@register.simple_tag(name="help_numbers")
def help_numbers_tag():
    return help_numbers()


@register.filter
def duration(minutes):
    """{{ attack.duration_minutes|duration }}: '1 minute', '2 hours 30 minutes', 'still going'."""
    return presentation.duration_words(minutes)
