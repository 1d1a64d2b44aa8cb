"""The settings' environment parsers refuse bad values instead of guessing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from migraine_app.env import env_bool, env_int, env_list, env_time_zone

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
