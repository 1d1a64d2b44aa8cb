"""An account's page colours (see core.theme): kept in the session at sign-in, changed by the switch."""

from django.conf import settings
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.models import DisplayPreference
from core.theme import COOKIE_AGE, COOKIE_NAME, SESSION_KEY, Theme


def copy_to_session(sender, request, user, **kwargs):
    """Connected to user_logged_in: the account's theme into the new session (one query, at sign-in)."""
    if request is None or not hasattr(request, "session"):
        return
    theme = DisplayPreference.objects.filter(user=user).values_list("theme", flat=True).first()
    if theme is not None:
        request.session[SESSION_KEY] = theme


def _back(request):
    target = request.POST.get("next", "")
    host = request.get_host()
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={host}, require_https=request.is_secure())
    return redirect(target if safe else "/")


def _remembered_by_browser(request, response, theme):
    response.set_cookie(
        COOKIE_NAME,
        theme,
        max_age=COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@csrf_protect
def _switch_for_account(request, theme):
    DisplayPreference.objects.update_or_create(user=request.user, defaults={"theme": theme})
    request.session[SESSION_KEY] = theme
    return _remembered_by_browser(request, _back(request), theme)


@csrf_exempt
@require_POST
def switch(request):
    """Save the chosen theme and go back to the page the switch was on.

    A signed-out visitor's choice only sets this browser's cookie, so it needs no CSRF token:
    public pages are cached for every visitor alike (core.pagecache) and cannot carry one
    made for each. Changing an account's choice is CSRF-checked as any other form.
    """
    theme = request.POST.get("theme", "")
    if theme not in Theme.values:
        return _back(request)
    if request.user.is_authenticated:
        return _switch_for_account(request, theme)
    return _remembered_by_browser(request, _back(request), theme)
