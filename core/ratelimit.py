"""At most so many requests per hour: fixed windows counted in Django's cache.

Each limit is a scope (its count per hour in settings.RATE_LIMITS) and a key: the account, or for
sign-ups the client's address. The counts are per cache: with the local-memory cache every
gunicorn worker keeps its own, so a client spread over W workers gets up to W times the limit
(and a full cache may drop a count early); with a shared cache (Redis) they are exact.
"""

import hashlib
import math
import time
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

# What the refusal page says was done too often.
DONE_TOO_OFTEN = {
    "import": "imports",
    "export": "diary downloads (CSV)",
    "data_download": "downloads of all your data",
    "signup": "new accounts from your network",
}


def retry_after(scope, key, limit, window, now=None):
    """Count one request; None while it is within `limit` per `window`, else the seconds to wait."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]  # no address or id in the cache's keys
    cache_key = f"rate:{scope}:{digest}:{start}"
    if cache.add(cache_key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired (or evicted) between add and incr: this request starts it again
            cache.add(cache_key, 1, timeout=window)
            count = 1
    if count <= limit:
        return None
    return max(1, math.ceil(start + window - now))


def by_account(request):
    return f"user:{request.user.pk}"


def by_address(request):
    # django-axes' reading of the address, so AXES_PROXY_COUNT applies here too.
    return f"address:{get_client_ip_address(request)}"


def too_many(request, scope, wait):
    """429 with a Retry-After, in our words."""
    minutes = max(1, math.ceil(wait / 60))
    context = {"done": DONE_TOO_OFTEN[scope], "limit": settings.RATE_LIMITS[scope], "minutes": minutes}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(scope, key=by_account, methods=("GET", "POST")):
    """The view answers at most settings.RATE_LIMITS[scope] of these requests per hour and key.

    Under login_required (or patient_required) when the key is the account.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                limit, window = settings.RATE_LIMITS[scope], settings.RATE_LIMIT_WINDOW_SECONDS
                wait = retry_after(scope, key(request), limit, window)
                if wait is not None:
                    return too_many(request, scope, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
