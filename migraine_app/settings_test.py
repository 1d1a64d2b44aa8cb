"""Thin override of the real settings for the test suite.

The real settings module is loaded unchanged (with a test-only secret key when none is
given), so the tests exercise the same configuration production uses, apart from what
only makes tests slow or noisy.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from migraine_app.settings import *  # noqa: E402,F403

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
# One process: its memory cache is its own, so sessions may be read from it as in production.
SESSION_ENGINE = "accounts.sessions"
