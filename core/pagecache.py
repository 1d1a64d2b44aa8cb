"""Whole-page caching whose keys carry a version read from the database on every request.

The apps' page decorators (education.pages, diary.pages, clinic.pages) are made with
page_decorator(), key(), serve() and signed_in_key() here.

A page is served from the cache only when nothing it shows can have changed: the key holds the
patient's diary_version (raised by every change to the diary), the patient's today, the guide's
last edit, the page's address, the page's theme (in <html data-bs-theme>, accounts.theme), and the
browser's CSRF cookie (forms in the page carry a token made from it). So a stale page is never
served, even with several workers or servers, each with its own in-memory cache. Requests that
carry a one-time message are never cached.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import urlencode

from core import theme

TIMEOUT = 600
# The response headers a cached page keeps (the rest are set anew by the middleware on each request).
KEPT_HEADERS = {"content-type", "cache-control", "content-language"}


def key(*parts):
    return "page:" + hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def cacheable(request):
    return request.method == "GET" and "messages" not in request.COOKIES


def address(request, query):
    """The page's path and only the query parameters the view reads, in a fixed order.

    Anything else in the query string is left out of the key: `?anything=N` with a new N every
    time is served from the cache like the bare page, instead of rendering it anew (issue #13).
    """
    known = sorted((name, value) for name in query for value in request.GET.getlist(name))
    return f"{request.path}?{urlencode(known)}" if known else request.path


def serve(cache_key, request, render):
    hit = cache.get(cache_key)
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
        cache.set(cache_key, (response.content, headers), TIMEOUT)
    return response


def page_decorator(make_wrapper):
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
                    return HttpResponseRedirect(address(request, query))
                return cached(request, *args, **kwargs)

            return wrapper

        return apply if view is None else apply(view)

    return decorator


def signed_in_key(request, query, kind, *versions):
    """The key of a signed-in user's page: its versions, the quarter hour, the theme, the address
    and the browser's CSRF cookie (the page's forms carry a token made from it)."""
    quarter = int(request.now.timestamp() // 900)
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return key(kind, request.user.pk, *versions, quarter, theme.current(request), address(request, query), csrf)
