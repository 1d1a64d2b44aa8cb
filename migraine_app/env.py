"""Strict parsers for settings read from the environment.

A value that cannot be parsed stops the app at start-up with a message that names the
variable: a typo in production must never turn into a silent default.
"""

import os
import urllib.parse
import zoneinfo

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name, environ):
    value = environ.get(name)
    if value is None:
        return None
    return value.strip()


def env_str(name, default=None, environ=os.environ):
    value = _raw(name, environ)
    return default if value in (None, "") else value


def env_bool(name, default, environ=os.environ):
    value = _raw(name, environ)
    if value in (None, ""):
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}")


def env_int(name, default, environ=os.environ, minimum=None, maximum=None):
    value = _raw(name, environ)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {number}")
    return number


def env_list(name, default, environ=os.environ):
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_time_zone(name, default, environ=os.environ):
    value = env_str(name, default, environ)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} must be an IANA time zone such as Europe/London; got {value!r}") from None
    return value


CACHE_BACKENDS = {
    "redis": "core.cache.RedisCache",
    "rediss": "core.cache.RedisCache",
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}
# A Redis that stops answering makes a request fail in seconds rather than hang a worker.
REDIS_TIMEOUT_SECONDS = 2


def env_cache(environ=os.environ):
    """CACHES["default"] from CACHE_URL (or REDIS_URL, as hosts name it; CACHE_URL wins).

    - redis://host:port/db (or rediss:// for TLS): Django's RedisCache, one cache shared by every
      worker and server (production and CI);
    - locmem:// (the default, nothing to set up: `make run`): each process's own memory;
    - dummy:// no cache at all (for measuring pages as rendered).

    CACHE_KEY_PREFIX (default "md") starts every key: give each environment that shares a Redis
    (staging and production, two clinics) its own prefix so that none reads another's pages or
    sessions. A prefix does not protect against a flush (the test suite empties its database before
    every test): give the tests a database number of their own (redis://127.0.0.1:6379/15).
    """
    url = env_str("CACHE_URL", None, environ) or env_str("REDIS_URL", None, environ) or "locmem://"
    scheme = url.split("://", 1)[0].lower()
    if scheme not in CACHE_BACKENDS or "://" not in url:
        shown = f"{scheme}://" if "://" in url else "a value without one"  # never the URL: it may hold a password
        raise ImproperlyConfigured(f"CACHE_URL must start with redis://, rediss://, locmem:// or dummy://, not {shown}")
    cache = {"BACKEND": CACHE_BACKENDS[scheme], "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "md", environ)}
    if scheme.startswith("redis"):
        redis_db(url)  # refuses a database that is not a number
        cache["LOCATION"] = url
        cache["OPTIONS"] = {
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        }
    return cache


def redis_db(url):
    """The database number of a redis:// URL: its path (/15), else ?db=, else 0 as in Redis."""
    parts = urllib.parse.urlsplit(url)
    raw = parts.path.strip("/") or urllib.parse.parse_qs(parts.query).get("db", ["0"])[0]
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"CACHE_URL's database must be a number, as in redis://host:6379/0; got {raw!r}"
        ) from None
