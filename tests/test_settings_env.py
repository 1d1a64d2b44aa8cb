"""The settings' environment parsers refuse bad values instead of guessing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from migraine_app.env import env_bool, env_cache, env_int, env_list, env_time_zone, redis_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)])
def test_env_bool_reads_the_usual_spellings(raw, expected):
    assert env_bool("X", None, environ={"X": raw}) is expected


def test_env_bool_uses_the_default_when_unset():
    assert env_bool("X", False, environ={}) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please"])
def test_env_bool_refuses_anything_else(raw):
    with pytest.raises(ImproperlyConfigured, match="X must be one of"):
        env_bool("X", False, environ={"X": raw})


def test_env_int_refuses_words_and_out_of_range():
    assert env_int("N", 60, environ={"N": "0"}, minimum=0) == 0
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", 60, environ={"N": "sixty"})
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("N", 60, environ={"N": "-1"}, minimum=0)


def test_env_list_splits_on_commas():
    assert env_list("H", [], environ={"H": "a.example, b.example,,"}) == ["a.example", "b.example"]


def test_env_time_zone_refuses_unknown_zones():
    assert env_time_zone("TZ", "UTC", environ={"TZ": "Europe/Paris"}) == "Europe/Paris"
    with pytest.raises(ImproperlyConfigured, match="IANA time zone"):
        env_time_zone("TZ", "UTC", environ={"TZ": "Mars/Olympus"})


def _start(env):
    """Load the real settings in a fresh interpreter, as the app does at start-up."""
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "migraine_app.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_start_without_a_secret_key_fails():
    result = _start({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_bad_debug_value_fails_at_start():
    result = _start({"DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_a_bad_conn_max_age_fails_at_start():
    result = _start({"DEBUG": "1", "CONN_MAX_AGE": "forever"})
    assert result.returncode != 0
    assert "CONN_MAX_AGE must be a whole number" in result.stderr


def test_debug_starts_with_defaults():
    result = _start({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- the cache (CACHE_URL / REDIS_URL)

REDIS = "core.cache.RedisCache"  # Django's RedisCache, keeping its redis client
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def test_without_a_cache_url_each_process_keeps_its_own_memory():
    assert env_cache(environ={}) == {"BACKEND": LOCMEM, "KEY_PREFIX": "md"}


def test_cache_url_selects_redis_with_timeouts():
    cache = env_cache(environ={"CACHE_URL": "redis://127.0.0.1:6379/3"})
    assert (cache["BACKEND"], cache["LOCATION"], cache["KEY_PREFIX"]) == (REDIS, "redis://127.0.0.1:6379/3", "md")
    assert cache["OPTIONS"] == {"socket_connect_timeout": 2, "socket_timeout": 2}
    assert env_cache(environ={"CACHE_URL": "rediss://cache.internal:6380/0"})["BACKEND"] == REDIS


def test_redis_url_is_read_too_and_cache_url_wins():
    assert env_cache(environ={"REDIS_URL": "redis://10.0.0.5:6379/1"})["LOCATION"] == "redis://10.0.0.5:6379/1"
    both = {"CACHE_URL": "dummy://", "REDIS_URL": "redis://10.0.0.5:6379/1"}
    assert env_cache(environ=both) == {"BACKEND": "django.core.cache.backends.dummy.DummyCache", "KEY_PREFIX": "md"}


def test_each_environment_may_have_its_own_key_prefix():
    environ = {"CACHE_URL": "redis://127.0.0.1:6379/0", "CACHE_KEY_PREFIX": "staging"}
    assert env_cache(environ=environ)["KEY_PREFIX"] == "staging"


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "redis", "redis://127.0.0.1:6379/zero"])
def test_a_cache_url_that_cannot_be_used_fails(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        env_cache(environ={"CACHE_URL": url})


def test_a_refused_cache_url_is_not_repeated_in_the_message():
    with pytest.raises(ImproperlyConfigured) as refused:
        env_cache(environ={"CACHE_URL": "memcached://:s3cret@cache:11211"})
    assert "s3cret" not in str(refused.value)


@pytest.mark.parametrize(
    ("url", "db"), [("redis://h:6379/15", 15), ("redis://h:6379", 0), ("redis://h:6379/", 0), ("redis://h?db=4", 4)]
)
def test_the_redis_database_number(url, db):
    assert redis_db(url) == db


def _settings_with(env, *names):
    code = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print(settings.{name})" for name in names
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CACHE_URL", "REDIS_URL", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "migraine_app.settings", "SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_sessions_are_read_from_the_cache_only_where_it_is_shared():
    # Redis: cached_db, shared by every worker. Local memory in production: the database alone, or a
    # session signed out in one worker would live on in another's memory.
    shared = _settings_with({"DEBUG": "0", "CACHE_URL": "redis://127.0.0.1:6379/9"}, "SHARED_CACHE", "SESSION_ENGINE")
    assert shared == ["True", "accounts.sessions"]
    assert _settings_with({"DEBUG": "0"}, "SHARED_CACHE", "SESSION_ENGINE") == ["False", "accounts.sessions_db"]


def test_the_tests_refuse_redis_database_0():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "migraine_app.settings_test",
            "CACHE_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "give them one of their own" in result.stderr


# ---------------------------------------------------------------- PostgreSQL's planner (POSTGRES_OPTIONS)


def test_postgresql_connections_tell_the_planner_that_pages_are_cached():
    url = "postgres://someone@db.internal:5432/diary"
    assert _settings_with({"DEBUG": "0", "DATABASE_URL": url}, "DATABASES['default']['OPTIONS']['options']") == [
        "-c",
        "random_page_cost=1.1",
    ]
    # A clinic whose database administrator tuned the server keeps the server's settings.
    options = _settings_with({"DEBUG": "0", "DATABASE_URL": url, "POSTGRES_OPTIONS": ""}, "DATABASES['default']")
    assert "'options'" not in " ".join(options)
    # SQLite has no such planner setting.
    assert "'options'" not in " ".join(_settings_with({"DEBUG": "0"}, "DATABASES['default']"))


@pytest.mark.django_db
def test_the_planner_setting_reaches_the_database_connection():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
