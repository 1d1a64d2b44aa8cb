"""Sign-in policy: session idle limits, two-factor sign-in for clinicians and staff, log hygiene."""

import time
from urllib.parse import quote

from axes import utils as axes_utils
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse

from diary import roles
from migraine_app import browser_sessions

SESSION_TOUCH_SECONDS = 300  # how often an active session's idle timer is pushed back
TWO_FACTOR_EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/healthz")


def anonymous_client_str(username, ip_address, user_agent, path_info, request):
    """django-axes logs this instead of the email and address of whoever tried to sign in."""
    return "a client"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes: the page shown while sign-in is paused, saying for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def is_privileged(user):
    """Clinicians and staff: shorter sessions, and two-factor sign-in when REQUIRE_2FA is on."""
    return user.is_authenticated and (user.is_staff or user.is_superuser or roles.is_clinician(user))


def forget_own_failures(request, user):
    """After a sign-in, clear the failed attempts recorded against this account from this address only.

    Failures against other accounts from the same address, and against this account from other
    addresses, still count towards their lockouts.
    """
    ip_address = getattr(request, "axes_ip_address", None)
    if ip_address:
        axes_utils.reset(ip=ip_address, username=user.get_username())


def on_login(sender, request, user, **kwargs):
    """Connected to user_logged_in: set the session's idle limit for the user's role."""
    if request is None or not hasattr(request, "session"):
        return
    forget_own_failures(request, user)
    browser_sessions.remember_device(request)
    if is_privileged(user):
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
    request.session["_last_touch"] = int(time.time())


class SessionActivityMiddleware:
    """Sessions end after a time without requests: each active session is saved again every few minutes.

    (SESSION_SAVE_EVERY_REQUEST would do it with one more write on every request.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and "_auth_user_id" in session:
            now = int(time.time())
            if now - session.get("_last_touch", 0) >= SESSION_TOUCH_SECONDS:
                session["_last_touch"] = now
        return response


class RequireTwoFactorMiddleware:
    """With REQUIRE_2FA, a clinician or staff member must confirm a one-time code before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
            and is_privileged(user)
            and not user.is_verified()
        ):
            return redirect(f"{reverse('two_factor')}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class AppCSPMiddleware(CSPMiddleware):
    """django-csp, with one exception: Django's admin pages use inline styles, so there (and only
    there) styles may be inline. Scripts are never inline anywhere."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), "style-src": ["'unsafe-inline'"]}
        return parts
