"""Settings for the migraine diary, read from environment variables.

Every variable is listed in the README. Parsing is strict (see migraine_app/env.py): a bad
value is an error at start-up, never a silent default.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from migraine_app.env import env_bool, env_cache, env_int, env_list, env_str, env_time_zone

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    # The project's apps. Dependencies point one way: core <- accounts <- diary <- clinic;
    # education uses core alone (tests/test_architecture.py checks it).
    "core",
    "accounts",
    "education",
    "diary",
    "clinic",
]

MIDDLEWARE = [
    # First: a Host not in ALLOWED_HOSTS and a body over REQUEST_BODY_MAX_BYTES are refused before
    # anything reads them.
    "core.middleware.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.middleware.AppCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",  # ETag and 304 for what a browser may keep
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.security.PrivatePagesMiddleware",  # Cache-Control: private, no-store when signed in
    "django_otp.middleware.OTPMiddleware",
    "accounts.security.SessionActivityMiddleware",
    "accounts.security.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "diary.middleware.DiaryFullMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out accounts and addresses first
    # Django's ModelBackend, loading the user's role and patient profile in the same query.
    "accounts.backends.AccountBackend",
]

ROOT_URLCONF = "migraine_app.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "core.context_processors.nav",
            ],
        },
    },
]

WSGI_APPLICATION = "migraine_app.wsgi.application"

# One cache for every worker and server in production (CACHE_URL=redis://127.0.0.1:6379/0, or
# REDIS_URL): sessions, the page cache (core.pagecache), patients' computed progress
# (diary.progress_cache) and rate-limit counts (core.ratelimit). Without it, each process keeps its
# own in memory (enough for `make run`, nothing to install). CACHE_KEY_PREFIX (default "md")
# starts every key: one per environment sharing a Redis. See migraine_app.env.env_cache.
# Redis should evict under memory pressure (maxmemory with allkeys-lru): every entry can be made
# again, and sessions are written through to the database (cached_db).
CACHES = {"default": env_cache()}
SHARED_CACHE = CACHES["default"]["BACKEND"].endswith("RedisCache")
# In front of a shared cache, each worker also keeps the pages it served last in its own memory
# (core.pagecache): the same keys, which carry every version a page depends on, so a page kept
# there is never stale, and a page served again costs no round trip to Redis. Bounded by
# PAGE_MEMORY_ENTRIES pages (about 100 KB each at most).
if SHARED_CACHE:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_MEMORY_ENTRIES", 300, minimum=1)},
    }

CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60, minimum=0)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True),
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL we understand: {error}") from None
# PostgreSQL's planner, left at its default random_page_cost of 4 (disks that seek), read all
# patients' medicines (a sequential scan, 12 ms at 200 patients) to join one patient's 500 attacks,
# where the index takes 0.4 ms. A diary's rows are in memory or on SSD: 1.1 is the PostgreSQL
# documentation's figure for that. POSTGRES_OPTIONS="" leaves the server's own settings.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    POSTGRES_OPTIONS = os.environ.get("POSTGRES_OPTIONS", "-c random_page_cost=1.1").strip()  # "" counts
    if POSTGRES_OPTIONS:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = POSTGRES_OPTIONS

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# ---------------------------------------------------------------- sign-in and sessions

# Lockout after repeated failed sign-ins, per account and, separately, per address (django-axes).
SESSIONS_PER_ACCOUNT = env_int("SESSIONS_PER_ACCOUNT", 20, minimum=1)  # signed-in browsers; the oldest go
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
# Not axes' own reset: it deletes every record matching any lockout parameter, so a sign-in to
# one's own account would clear the failures against other accounts from the same address
# (unlimited guessing, issue #13). accounts.security.on_login clears only the records of the
# account that signed in, from the address it signed in from.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_CLIENT_STR_CALLABLE = "accounts.security.anonymous_client_str"  # no email or address in logs
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not stored
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0, minimum=0)
# A wrong current password on password change or account deletion counts as a failed sign-in
# (accounts.security.count_wrong_current_password); axes keeps the form's fields, never these.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "old_password", "new_password1", "new_password2"]

# Sessions end after this long without a request; clinicians' and staff's sooner.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 14 * 24 * 3600, minimum=60)
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 12 * 3600, minimum=60)
# Django's sessions with the user's id beside them (accounts.sessions). Where the cache is shared
# (Redis), sessions are read from it (cached_db) and written through to the database; where each
# process has its own memory, only from the database, or a session signed out in one worker would
# live on in another's memory. The development server is one process, so it may use its memory.
SESSION_ENGINE = "accounts.sessions" if SHARED_CACHE or DEBUG else "accounts.sessions_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor sign-in (TOTP with recovery codes) for clinicians and staff.
REQUIRE_2FA = env_bool("REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Migraine diary")
# Secret keys and recovery codes never appear in admin (diary.admin replaces django-otp's admin too).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_time_zone("TIME_ZONE", "Europe/London")
# The app is written in English only, so Django's translation machinery is off (as Django's own
# settings documentation advises for a site that does not use it): every printed date and number
# then skips the active-language lookups, about a third of the progress page's formatting time.
# Dates and numbers keep British formats (LANGUAGE_CODE's format module), and Django's en-GB
# catalogue holds no message that differs from its English original (checked in Django 5.2).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# No default when DEBUG is off: the console backend would print password-reset links to the log.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else None)
if not EMAIL_BACKEND:
    raise ImproperlyConfigured(
        "EMAIL_BACKEND must be set when DEBUG is off, for example django.core.mail.backends.smtp.EmailBackend"
    )
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Migraine diary <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The app's public address: every link in an email (reminders, password resets, enrolment) starts
# with it, never with the Host a request came with.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# ---------------------------------------------------------------- HTTPS and headers

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (and strips it from clients).
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# No inline script anywhere; styles and images only from this site (Bootstrap's icons are data: URIs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Everything the app does not use is off.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    ]
}

# ---------------------------------------------------------------- limits (README: "Limits and logs")

# The most headaches one diary keeps (50 years of daily headaches): logging and imports past it are refused.
DIARY_MAX_ATTACKS = env_int("DIARY_MAX_ATTACKS", 20000, minimum=1)
# The largest request body: the import's 2 MB file (diary.csvio.MAX_BYTES) and the form around it.
# A larger Content-Length is refused (413) before the body is read (core.middleware); nothing is
# ever written to a temporary file.
REQUEST_BODY_MAX_BYTES = 2 * 1024 * 1024 + 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
# Requests per hour (fixed windows, counted in the default cache: core.ratelimit) on the pages that
# cost the most, per account; sign-ups per address.
RATE_LIMIT_WINDOW_SECONDS = 3600
RATE_LIMITS = {
    "import": env_int("RATE_LIMIT_IMPORTS_PER_HOUR", 20, minimum=1),
    "export": env_int("RATE_LIMIT_EXPORTS_PER_HOUR", 30, minimum=1),
    "data_download": env_int("RATE_LIMIT_DATA_DOWNLOADS_PER_HOUR", 10, minimum=1),
    "signup": env_int("RATE_LIMIT_SIGNUPS_PER_HOUR", 10, minimum=1),
}

# Logs carry no personal data: request paths hold no identifiers beyond row ids, and
# nothing logs a diary value, a note or an email address.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Where pages send a patient for urgent help. The defaults are the UK's; a clinic elsewhere sets
# its own (for example 112, "116 117" and "the emergency department"). URGENT_ADVICE=none leaves
# the advice line out where there is none.
EMERGENCY_NUMBER = env_str("EMERGENCY_NUMBER", "999")
if not all(part.isdigit() for part in EMERGENCY_NUMBER.split()):
    raise ImproperlyConfigured(f"EMERGENCY_NUMBER must be digits, such as 999 or 112; got {EMERGENCY_NUMBER!r}")
URGENT_ADVICE = env_str("URGENT_ADVICE", "NHS 111")
if URGENT_ADVICE.lower() == "none":
    URGENT_ADVICE = ""
EMERGENCY_DEPARTMENT = env_str("EMERGENCY_DEPARTMENT", "A&E")

# The thresholds of CLINICAL.md, each with its default there. A clinic may follow its own policy
# by setting the variable (whole numbers). See the README's table.
DIARY_RULES = {
    "baseline_days": env_int("DIARY_BASELINE_DAYS", 28, minimum=1),
    "enough_data_per_28": env_int("DIARY_ENOUGH_DATA_PER_28", 24, minimum=0, maximum=28),
    "preempt_day_minutes": env_int("DIARY_PREEMPT_DAY_MINUTES", 240, minimum=1, maximum=1440),
    "migraine_min_minutes": env_int("DIARY_MIGRAINE_MIN_MINUTES", 30, minimum=0),
    "cycle_days": env_int("DIARY_CYCLE_DAYS", 84, minimum=1),
    "adequate_response_pct": env_int("DIARY_ADEQUATE_RESPONSE_PCT", 30, minimum=0, maximum=100),
    "episodic_threshold": env_int("DIARY_EPISODIC_THRESHOLD", 15, minimum=1, maximum=31),
    "episodic_months": env_int("DIARY_EPISODIC_MONTHS", 3, minimum=1),
    "overuse_window_days": env_int("DIARY_OVERUSE_WINDOW_DAYS", 30, minimum=1),
    "overuse_specific_days": env_int("DIARY_OVERUSE_SPECIFIC_DAYS", 10, minimum=1),
    "overuse_simple_days": env_int("DIARY_OVERUSE_SIMPLE_DAYS", 15, minimum=1),
    "overuse_combined_days": env_int("DIARY_OVERUSE_COMBINED_DAYS", 10, minimum=1),
    "gap_min_days": env_int("DIARY_GAP_MIN_DAYS", 7, minimum=1),
    "gap_window_days": env_int("DIARY_GAP_WINDOW_DAYS", 28, minimum=1),
    "session_due_days": env_int("DIARY_SESSION_DUE_DAYS", 77, minimum=1),
    "overdue_days": env_int("DIARY_OVERDUE_DAYS", 85, minimum=1),
    "midas_offer_day": env_int("DIARY_MIDAS_OFFER_DAY", 70, minimum=1),
    # Eligibility for Botox (NICE TA260): chronic migraine by the diary (days per 30) and the
    # number of preventives that must have failed.
    "chronic_headache_days": env_int("DIARY_CHRONIC_HEADACHE_DAYS", 15, minimum=1, maximum=30),
    "chronic_migraine_days": env_int("DIARY_CHRONIC_MIGRAINE_DAYS", 8, minimum=1, maximum=30),
    "preventives_failed_needed": env_int("DIARY_PREVENTIVES_FAILED_NEEDED", 3, minimum=0),
    # Response by guideline: the baseline MIDAS's look-back; AHS 2021; EHF 2018's window.
    "baseline_midas_days": env_int("DIARY_BASELINE_MIDAS_DAYS", 92, minimum=1),
    "ahs_reduction_pct": env_int("DIARY_AHS_REDUCTION_PCT", 50, minimum=0, maximum=100),
    "ahs_midas_points": env_int("DIARY_AHS_MIDAS_POINTS", 5, minimum=0),
    "ahs_midas_pct": env_int("DIARY_AHS_MIDAS_PCT", 30, minimum=0, maximum=100),
    "around_session_days": env_int("DIARY_AROUND_SESSION_DAYS", 28, minimum=1),
    # Menstruation (ICHD-3 A1.1): marks this far apart are one; the window around day 1.
    "menstruation_gap_days": env_int("DIARY_MENSTRUATION_GAP_DAYS", 2, minimum=1),
    "menstrual_window_before": env_int("DIARY_MENSTRUAL_WINDOW_BEFORE", 2, minimum=0),
    "menstrual_window_after": env_int("DIARY_MENSTRUAL_WINDOW_AFTER", 2, minimum=0),
    "menstruations_needed": env_int("DIARY_MENSTRUATIONS_NEEDED", 3, minimum=1),
    "menstrual_windows_with_migraine": env_int("DIARY_MENSTRUAL_WINDOWS_WITH_MIGRAINE", 2, minimum=1),
    # Acute medicines and daily factors: their windows, and the counts pages wait for.
    "acute_medicine_days": env_int("DIARY_ACUTE_MEDICINE_DAYS", 90, minimum=1),
    "medicine_few_answers": env_int("DIARY_MEDICINE_FEW_ANSWERS", 5, minimum=1),
    "factor_window_days": env_int("DIARY_FACTOR_WINDOW_DAYS", 179, minimum=1),
    "factor_min_days": env_int("DIARY_FACTOR_MIN_DAYS", 10, minimum=1),
}
