"""{% current_theme %}: the value of <html data-bs-theme> for this request (core.theme)."""

from django import template

from core import theme

register = template.Library()


@register.simple_tag(takes_context=True)
def current_theme(context):
    request = context.get("request")
    return theme.current(request) if request is not None else theme.Theme.SYSTEM
