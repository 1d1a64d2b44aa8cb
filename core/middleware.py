"""Requests refused before anything reads them, and the content security policy.

RequestLimitsMiddleware comes first in MIDDLEWARE. A Host header that is not in ALLOWED_HOSTS
gets our 400 page: left to Django, it is raised inside the middleware, before the request has a
user, and drawing the 400 page from there failed (a 500). A Content-Length above
REQUEST_BODY_MAX_BYTES gets 413 without a byte of the body being read. Both pages are drawn
without the request (nothing about the visitor is known yet).
"""

import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.template.loader import render_to_string

security_log = logging.getLogger("django.security.DisallowedHost")


def _refusal(template, status):
    response = HttpResponse(render_to_string(template), status=status)
    # The headers SecurityMiddleware and the CSP would have added: this answer skips them.
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "DENY"
    response["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
    response["Cache-Control"] = "no-store"
    return response


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # as Django reads it: no body
        return 0


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost:
            security_log.warning("Refused a request for a host that is not in ALLOWED_HOSTS.")
            return _refusal("400.html", 400)
        if _content_length(request) > settings.REQUEST_BODY_MAX_BYTES:
            return _refusal("413.html", 413)
        return self.get_response(request)


class AppCSPMiddleware(CSPMiddleware):
    """django-csp, with one exception: Django's admin pages use inline styles, so there (and only
    there) styles may be inline. Scripts are never inline anywhere."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), "style-src": ["'unsafe-inline'"]}
        return parts
