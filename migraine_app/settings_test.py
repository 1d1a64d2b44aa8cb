"""Thin override of the real settings for the test suite.

The real settings module is loaded unchanged (with a test-only secret key when none is
given), so the tests exercise the same configuration production uses, apart from what
only makes tests slow or noisy.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from migraine_app.env import redis_db  # noqa: E402
from migraine_app.settings import *  # noqa: E402,F403
from migraine_app.settings import CACHES, SHARED_CACHE  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The manifest needs collectstatic; tests render templates without running it.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the finders, as in development; no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Two-factor sign-in has its own tests, which turn it on.
REQUIRE_2FA = False
# Tests run over plain HTTP.
SECURE_SSL_REDIRECT = False
# Sessions as in production (cached_db): on local memory the tests are one process with one cache;
# on Redis every test client shares it, as workers do (tests/test_redis.py).
SESSION_ENGINE = "accounts.sessions"

# The cache: local memory unless CACHE_URL (or REDIS_URL) names a Redis, as .ci/run does
# (redis://127.0.0.1:6379/15). tests/conftest.py empties it before and after every test, which on
# Redis is FLUSHDB: never database 0, where a server keeps its sessions.
if SHARED_CACHE and redis_db(CACHES["default"]["LOCATION"]) == 0:
    raise ImproperlyConfigured(
        "The tests empty the cache's database before every test: give them one of their own, "
        "e.g. CACHE_URL=redis://127.0.0.1:6379/15, not database 0."
    )
