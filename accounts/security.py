"""Sign-in policy: session idle limits, two-factor sign-in for clinicians and staff, log hygiene."""

import time
from urllib.parse import quote

from axes import utils as axes_utils
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from accounts import browser_sessions, roles

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


def _own_credentials(request):
    return {settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}


def current_password_paused(request):
    """Signing in is paused for this account or this address, so its current password is not checked either.

    Password change and account deletion ask for the current password: guessing it there counts
    like guessing it at sign-in (count_wrong_current_password), so a stolen session cannot be used
    to try passwords without limit.
    """
    return AxesProxyHandler.is_locked(request, _own_credentials(request))


def count_wrong_current_password(request):
    """A wrong current password is a failed sign-in for django-axes: after AXES_FAILURE_LIMIT of them
    (with failed sign-ins) in AXES_COOLOFF_TIME, AxesMiddleware answers with the pause page."""
    user_login_failed.send(sender=__name__, credentials=_own_credentials(request), request=request)


def is_page_view(request):
    """A person opened this page, so it belongs in the patient's access log.

    Not a HEAD, not a browser's prefetch, and not a request another site's page made on its own:
    Sec-Fetch-Site "cross-site" or "same-site" counts only with Sec-Fetch-User "?1" (the person
    clicked or typed). Same-origin requests, typed addresses and bookmarks ("none"), and browsers
    that send no Sec-Fetch headers all count.
    """
    if request.method != "GET":
        return False
    purpose = f"{request.headers.get('Sec-Purpose', '')} {request.headers.get('Purpose', '')}".lower()
    if "prefetch" in purpose:
        return False
    if request.headers.get("Sec-Fetch-Site") in (None, "same-origin", "none"):
        return True
    return request.headers.get("Sec-Fetch-User") == "?1"


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
    browser_sessions.trim_sessions(user, settings.SESSIONS_PER_ACCOUNT)
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


class PrivatePagesMiddleware:
    """Every response to a signed-in user says `Cache-Control: private, no-store`: no browser or
    proxy keeps a copy of a diary page (cached by the app or not), to be shown after signing out
    or to the next person at a shared computer. Pages for visitors who are not signed in are left
    alone (the guide may be kept)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
