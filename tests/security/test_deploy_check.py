"""Production settings pass `manage.py check --deploy` with no warning."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#Jq!v2@LmZ9$wR4&tYp0^sK8*dF3(hN6)gB1_cV5+eA_production_like_key",
    "ALLOWED_HOSTS": "diary.example.org",
    "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "DJANGO_SETTINGS_MODULE": "migraine_app.settings",
}


def run_check(extra=None):
    # Nothing from the test run's own environment that a deployment would not have (the browser
    # tests set DJANGO_ALLOW_ASYNC_UNSAFE for the live server, for one).
    unset = ("DEBUG", "SECRET_KEY", "SECURE_", "REQUIRE_2FA", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(unset)}
    env.update(PRODUCTION, **(extra or {}))
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_documented_production_settings_pass_the_deploy_check():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_behind_a_tls_proxy_too():
    result = run_check({"TRUST_X_FORWARDED_PROTO": "1"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_turning_hsts_off_is_caught():
    result = run_check({"SECURE_HSTS_SECONDS": "0"})
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
