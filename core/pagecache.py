"""Whole-page caching whose keys carry a version read from the database on every request.

The apps' page decorators (education.pages, diary.pages, clinic.pages) are made with
page_decorator(), key(), serve() and signed_in_key() here.

A page is served from the cache only when nothing it shows can have changed: the key holds the
patient's diary_version (raised by every change to the diary), the patient's today, the guide's
last edit, the page's address, the page's theme (in <html data-bs-theme>, accounts.theme), and the
browser's CSRF secret (forms in the page carry a token made from it). So a stale page is never
served, even with several workers or servers; with CACHE_URL=redis://... they share one cache,
and each worker also keeps the pages it served last in its own memory (the "pages" cache, set
only with a shared cache): a page found there costs no round trip; one found in Redis is kept
there too.
Requests that carry a one-time message are never cached, and neither is a signed-in page for a
browser that has no CSRF cookie yet (its tokens would be made from a secret the next browser does
not hold).

A cached page keeps every header its view set (see KEPT_HEADERS_EXCEPT); the middleware adds
its own anew on each request, cached or not, since the page decorators sit under all of it. A
page for a visitor who is not signed in is stored with its ETag, so that a browser's
If-None-Match is answered 304 by ConditionalGetMiddleware without hashing the page again.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.cache import cc_delim_re, set_response_etag
from django.utils.http import urlencode

from core import theme

TIMEOUT = 600
# A page keeps every header its view set: Content-Type, the view's own Cache-Control (progress.json
# says no-store), a Vary or Content-Language if a view ever sets one, and the ETag made when it was
# stored. Not kept: what belongs to one exchange rather than to the page (a Date or Expires would
# be wrong when served later, Content-Length is counted again by CommonMiddleware) and cookies
# (a response that sets one is not cached at all). Headers that middleware sets (CSP, HSTS,
# X-Frame-Options, the signed-in pages' `private, no-store`) are not on the view's response when
# it is stored: they are set again on every request, whether the page was rendered or not.
KEPT_HEADERS_EXCEPT = frozenset({"set-cookie", "date", "expires", "age", "content-length"})


LOCAL = "pages"  # the alias of each worker's own memory of pages (settings.CACHES, with a shared cache)


def _local():
    return caches[LOCAL] if LOCAL in settings.CACHES else None


def _get(cache_key):
    local = _local()
    hit = local.get(cache_key) if local is not None else None
    if hit is None:
        hit = cache.get(cache_key)
        if hit is not None and local is not None:
            local.set(cache_key, hit, TIMEOUT)
    return hit


def _set(cache_key, entry):
    cache.set(cache_key, entry, TIMEOUT)
    local = _local()
    if local is not None:
        local.set(cache_key, entry, TIMEOUT)


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


def _storable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Disposition")
    )


def _no_store(response):
    return any(part.strip().lower() == "no-store" for part in cc_delim_re.split(response.get("Cache-Control", "")))


def _public(request):
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def serve(cache_key, request, render):
    """The page from the cache under cache_key, else rendered (and stored when it may be).

    cache_key None: rendered, never stored (signed_in_key() found no CSRF secret to key on).
    """
    if cache_key is None:
        return render()
    hit = _get(cache_key)
    if hit is not None:
        content, headers = hit
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        return response
    response = render()
    if _storable(response):
        # Pages for signed-in users are made `no-store` by accounts.security.PrivatePagesMiddleware:
        # they get no ETag (no browser keeps them to ask again).
        if _public(request) and not _no_store(response) and not response.has_header("ETag"):
            set_response_etag(response)
        headers = [(name, value) for name, value in response.items() if name.lower() not in KEPT_HEADERS_EXCEPT]
        _set(cache_key, (response.content, headers))
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


def csrf_secret(request):
    """The CSRF secret this browser already holds (read by CsrfViewMiddleware), else None: no
    cookie yet, or one the middleware is replacing. A page rendered then carries tokens of a new
    secret, which only this response's Set-Cookie hands out, so it must not be stored."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None
    return request.META.get("CSRF_COOKIE")


def quarter_hour(now):
    """The number of the quarter hour `now` falls in: a headache still going grows with the clock."""
    return int(now.timestamp() // 900)


def signed_in_key(request, query, kind, *versions):
    """The key of a signed-in user's page: the user, its versions, the quarter hour, the theme, the
    address and the browser's CSRF secret (the page's forms carry a token made from it); None
    (render, do not store) when the browser has no CSRF secret yet."""
    secret = csrf_secret(request)
    if secret is None:
        return None
    return key(
        kind,
        request.user.pk,
        *versions,
        quarter_hour(request.now),
        theme.current(request),
        address(request, query),
        secret,
    )
