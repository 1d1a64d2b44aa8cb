"""Whole-page caching whose keys carry a version read from the database on every request.

A page is served from the cache only when nothing it shows can have changed: the key holds the
patient's diary_version (raised by every change to the diary), the patient's today, the guide's
last edit, the page's address, the page's theme (in <html data-bs-theme>, diary.theme), and the
browser's CSRF cookie (forms in the page carry a token made from it). So a stale page is never
served, even with several workers or servers, each with its own in-memory cache. Requests that
carry a one-time message are never cached.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import urlencode

from diary import theme

TIMEOUT = 600
# The response headers a cached page keeps (the rest are set anew by the middleware on each request).
KEPT_HEADERS = {"content-type", "cache-control", "content-language"}


def _key(*parts):
    return "page:" + hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _cacheable_request(request):
    return request.method == "GET" and "messages" not in request.COOKIES


def _address(request, query):
    """The page's path and only the query parameters the view reads, in a fixed order.

    Anything else in the query string is left out of the key: `?anything=N` with a new N every
    time is served from the cache like the bare page, instead of rendering it anew (issue #13).
    """
    known = sorted((name, value) for name in query for value in request.GET.getlist(name))
    return f"{request.path}?{urlencode(known)}" if known else request.path


def _serve(key, request, render):
    hit = cache.get(key)
    if hit is not None:
        content, headers = hit
        response = HttpResponse(content)
        for name, value in headers:  # Content-Type, and the view's own Cache-Control (progress.json)
            response[name] = value
        return response
    response = render()
    if (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Disposition")
    ):
        headers = [(name, value) for name, value in response.items() if name.lower() in KEPT_HEADERS]
        cache.set(key, (response.content, headers), TIMEOUT)
    return response


def _decorator(make_wrapper):
    """Lets a page decorator be used bare (@patient_page) or with the query it reads (@patient_page(query=...))."""

    @wraps(make_wrapper)
    def decorator(view=None, *, query=(), **options):
        def apply(view):
            cached = make_wrapper(view, query=tuple(query), **options)

            @wraps(view)
            def wrapper(request, *args, **kwargs):
                # A query parameter the page does not read is sent away rather than rendered (or
                # cached) once per value: one cheap redirect, the same page for everyone.
                if request.method == "GET" and not set(request.GET) <= set(query):
                    return HttpResponseRedirect(_address(request, query))
                return cached(request, *args, **kwargs)

            return wrapper

        return apply if view is None else apply(view)

    return decorator


def guide_version():
    """Changes with every edit, publication or deletion of a guide section (one query)."""
    from education.models import Section

    state = Section.objects.aggregate(last=Max("updated_at"), count=Count("id"))
    return f"{state['last']}|{state['count']}"


@_decorator
def public_page(view, query):
    """The guide and home page for visitors who are not signed in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request) or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        page = (view.__module__, view.__name__, guide_version(), theme.current(request), _address(request, query))
        key = _key("public", *page)
        return _serve(key, request, lambda: view(request, *args, **kwargs))

    return wrapper


def _signed_in_key(request, query, kind, *versions):
    """The key of a signed-in user's page: its versions, the quarter hour, the theme, the address
    and the browser's CSRF cookie (the page's forms carry a token made from it)."""
    quarter = int(request.now.timestamp() // 900)
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return _key(kind, request.user.pk, *versions, quarter, theme.current(request), _address(request, query), csrf)


@_decorator
def patient_page(view, query):
    """A patient's own diary page; goes under @patient_required (which sets request.profile, today)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        # The key's quarter hour: a headache still going grows with the clock, not only with the diary.
        key = _signed_in_key(request, query, "patient", view.__name__, request.profile.diary_version, request.today)
        return _serve(key, request, lambda: view(request, *args, **kwargs))

    return wrapper


@_decorator
def clinic_patient_page(view, query, before=None):
    """A shared patient's page for a clinician; `before` runs on every request (the access log)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if before is not None:  # on every request, cached or not (a page with a message is not)
            before(request)
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        from diary import timeutil

        profile = request.profile
        patient_today = timeutil.today(profile.tz, request.now)
        key = _signed_in_key(
            request, query, "clinic-patient", view.__name__, request.patient.pk, profile.diary_version, patient_today
        )
        return _serve(key, request, lambda: view(request, *args, **kwargs))

    return wrapper


@_decorator
def worklist_page(view, query):
    """The clinician's worklist: keyed by their worklist_version and the time.

    The version (read with the user, diary.backends) goes up with every change the worklist
    shows (clinic.signals). Flags such as session_due change with each patient's date alone, so
    the key also holds the quarter hour: a date-driven change shows within 15 minutes, a diary
    change at once.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        version = getattr(request.user, "_worklist_version", None)
        if not _cacheable_request(request) or version is None:  # None: no clinician profile yet
            return view(request, *args, **kwargs)
        key = _signed_in_key(request, query, "worklist", version)
        return _serve(key, request, lambda: view(request, *args, **kwargs))

    return wrapper
