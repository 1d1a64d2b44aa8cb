"""Security round 2, item 5 (#13): each reproduction of the attack, refused, and nothing refused changed a row."""

import os
import re
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import UserSession
from accounts.sessions import SessionStore
from clinic.models import AccessLogEntry, Share
from diary import csvio
from diary.models import Attack
from tests.conftest import PASSWORD
from tests.diary.factories import attack

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "a-new-and-long-passphrase-2026"


# ---------------------------------------------------------------- the current password, guessed


def change_password(client, old):
    data = {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return client.post(reverse("password_change"), data, REMOTE_ADDR="10.0.0.1")


def test_guessing_the_current_password_on_password_change_is_paused_like_sign_in(client, patient):
    client.force_login(patient)
    for guess in range(4):
        response = change_password(client, f"guess-{guess}")
        assert response.status_code == 200
        assert response.context["form"].has_error("old_password", "password_incorrect")
    assert change_password(client, "guess-4").status_code == 429  # the fifth: paused
    # The right password is not even checked while paused, and the password stays as it was.
    response = change_password(client, PASSWORD)
    assert response.status_code == 429
    assert "paused for 15 minutes" in response.text
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)
    # The same pause as sign-in: the account's sign-in is paused too.
    assert Client().post(reverse("login"), {"username": patient.email, "password": PASSWORD}).status_code == 429


def test_the_guesses_are_not_stored(client, patient):
    client.force_login(patient)
    change_password(client, "guess-one-secret")
    stored = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "guess-one-secret" not in stored
    assert NEW_PASSWORD not in stored


def test_the_right_current_password_still_changes_it(client, patient):
    client.force_login(patient)
    change_password(client, "one-wrong-guess")
    assert change_password(client, PASSWORD).status_code == 302
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)


def test_guessing_the_password_on_account_deletion_is_paused_like_sign_in(client, patient):
    attack(patient, "2026-10-01")
    client.force_login(patient)
    for guess in range(4):
        response = client.post(reverse("delete_account"), {"password": f"guess-{guess}"})
        assert response.status_code == 200
        assert "That is not your password" in response.text
    assert client.post(reverse("delete_account"), {"password": "guess-4"}).status_code == 429
    response = client.post(reverse("delete_account"), {"password": PASSWORD})
    assert response.status_code == 429
    assert get_user_model().objects.filter(pk=patient.pk).exists()
    assert Attack.objects.filter(patient=patient).count() == 1


# ---------------------------------------------------------------- 400s, not 500s


@pytest.mark.django_db
@pytest.mark.parametrize("ssl_redirect", [False, True])
def test_a_host_not_allowed_is_a_400(settings, ssl_redirect):
    settings.SECURE_SSL_REDIRECT = ssl_redirect  # on in production: it reads the Host first
    client = Client(raise_request_exception=False)
    for response in (client.get("/", HTTP_HOST="evil.example"), client.post("/accounts/login/", HTTP_HOST="x")):
        assert response.status_code == 400
        assert "That request could not be understood" in response.text
        assert response["X-Frame-Options"] == "DENY"


BAD_SESSION_KEYS = ["abcdefgh\x00ijklmnopqrstuvwxyz012345", "abcdefgh'ijklmnopqrstuvwxyz012345", "ABCDEFGHIJKLMNOP"]


@pytest.mark.django_db
@pytest.mark.parametrize("key", BAD_SESSION_KEYS)
def test_a_session_key_that_is_not_one_reaches_no_query(key, django_assert_num_queries):
    store = SessionStore(key)
    assert store.session_key is None
    with django_assert_num_queries(0):
        assert dict(store.items()) == {}


def test_a_nul_byte_in_the_session_cookie_is_no_session(patient_client, patient):
    """On PostgreSQL the key reached the session query, which refused it: a 500."""
    client = Client(raise_request_exception=False)
    sessions = UserSession.objects.count()
    cookie = 'sessionid="abcdefgh\\000ijklmnopqrstuvwxyz012345"'  # a quoted cookie: \000 is a NUL byte
    response = client.get(reverse("diary:home"), HTTP_COOKIE=cookie)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get("/", HTTP_COOKIE=cookie).status_code == 200
    assert UserSession.objects.count() == sessions
    assert patient_client.get(reverse("diary:home")).status_code == 200  # real sessions are untouched


@pytest.mark.django_db
def test_every_key_django_makes_is_valid():
    store = SessionStore()
    key = store._get_new_session_key()
    assert set(key) <= set(VALID_KEY_CHARS) and store._validate_session_key(key)


def test_a_nul_byte_in_a_csv_cell_is_a_row_error(patient_client, patient):
    line = "headache,2026-10-02,08:30,60,mild,0,0,0,0,0,0,0,0,,,,note\x00here"
    text = ",".join(csvio.HEADER) + "\n" + line + "\n"
    upload = SimpleUploadedFile("diary.csv", text.encode(), content_type="text/csv")
    response = patient_client.post(reverse("diary:import"), {"file": upload})
    assert response.status_code == 200
    assert "line 2, column notes: Holds a character that is not text (a NUL byte)" in response.text
    assert not Attack.objects.exists()


# ---------------------------------------------------------------- emailed links


@override_settings(SITE_URL="https://diary.example.org", ALLOWED_HOSTS=["testserver", "internal.example"])
def test_the_password_reset_link_comes_from_site_url_not_the_request(client, patient):
    client.post(reverse("password_reset"), {"email": patient.email}, HTTP_HOST="internal.example:8001")
    (message,) = mail.outbox
    assert re.search(r"https://diary\.example\.org/accounts/reset/[^/\s]+/[^/\s]+/", message.body)
    assert "internal.example" not in message.body
    assert "8001" not in message.body


# ---------------------------------------------------------------- EMAIL_BACKEND with DEBUG off


def start(env):
    unset = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "EMAIL_BACKEND"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)",
        ],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "migraine_app.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "k" * 60}


def test_production_refuses_to_start_without_an_email_backend():
    result = start(PRODUCTION)
    assert result.returncode != 0
    assert "EMAIL_BACKEND must be set when DEBUG is off" in result.stderr


def test_production_starts_with_an_email_backend():
    result = start({**PRODUCTION, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


def test_development_prints_emails_to_the_console():
    result = start({"DEBUG": "1"})
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


# ---------------------------------------------------------------- support staff in admin


def test_a_superuser_opening_a_patient_s_rows_in_admin_is_in_their_access_log(
    client, superuser, patient, other_patient
):
    superuser.first_name, superuser.last_name = "Sam", "Support"
    superuser.save()
    mine = attack(patient, "2026-10-01")
    attack(other_patient, "2026-10-02")
    client.force_login(superuser)
    assert client.get(reverse("admin:diary_attack_changelist")).status_code == 200

    def logged():
        return list(AccessLogEntry.objects.values_list("patient_id", "clinician_name", "what"))

    name = "Sam Support (support staff, in administration)"
    assert sorted(logged()) == sorted([(patient.pk, name, "page"), (other_patient.pk, name, "page")])
    AccessLogEntry.objects.all().delete()
    assert client.get(reverse("admin:diary_attack_change", args=[mine.pk])).status_code == 200
    assert logged() == [(patient.pk, name, "page")]
    assert client.get(reverse("admin:accounts_patientprofile_changelist")).status_code == 200
    # The patient sees it on their sharing page.
    patient_client = Client()
    patient_client.force_login(patient)
    assert name in patient_client.get(reverse("sharing:page")).text


def test_admin_shows_no_authenticator_key_and_no_recovery_code(client, superuser, clinician):
    totp = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    static = StaticDevice.objects.create(user=clinician, name="backup", confirmed=True)
    static.token_set.create(token="recov3ry9")
    client.force_login(superuser)
    pages = [
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[totp.pk]),
        f"/admin/otp_totp/totpdevice/{totp.pk}/config/",
        f"/admin/otp_totp/totpdevice/{totp.pk}/qrcode/",
        reverse("admin:otp_static_staticdevice_changelist"),
        reverse("admin:otp_static_staticdevice_change", args=[static.pk]),
    ]
    for page in pages:
        response = client.get(page, follow=True)
        assert totp.key not in response.text, page
        assert "secret=" not in response.text, page
        assert "recov3ry9" not in response.text, page
    assert "Recovery codes left" in client.get(reverse("admin:otp_static_staticdevice_change", args=[static.pk])).text
    # A lost device can still be removed; none can be added or changed here.
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    client.post(reverse("admin:otp_totp_totpdevice_delete", args=[totp.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=totp.pk).exists()


# ---------------------------------------------------------------- only real page views are logged


@pytest.mark.parametrize(
    ("headers", "logged"),
    [
        ({}, True),  # a browser without Sec-Fetch headers
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, True),
        ({"HTTP_SEC_FETCH_SITE": "none", "HTTP_SEC_FETCH_USER": "?1"}, True),  # typed, or a bookmark
        ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_SEC_FETCH_USER": "?1"}, True),  # a link clicked elsewhere
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, False),  # another site's page opened it on its own
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, False),
        ({"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_SEC_PURPOSE": "prefetch"}, False),
    ],
)
def test_the_access_log_records_real_page_views_only(client, clinician, patient, headers, logged):
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    assert client.get(reverse("clinic:patient", args=[patient.pk]), **headers).status_code == 200
    assert AccessLogEntry.objects.filter(patient=patient).count() == (1 if logged else 0)


def test_a_head_request_is_not_a_view(client, clinician, patient):
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    for name in ("clinic:patient", "clinic:patient_json", "clinic:patient_report", "clinic:patient_export"):
        client.head(reverse(name, args=[patient.pk]))
    client.get(reverse("clinic:patient_export", args=[patient.pk]), HTTP_SEC_FETCH_SITE="cross-site")
    assert not AccessLogEntry.objects.exists()


# ---------------------------------------------------------------- gunicorn


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_gunicorn(tmp_path, env, requests):
    """Start gunicorn with the repository's config, send raw requests, return (statuses, access log)."""
    port, log = free_port(), tmp_path / "access.log"
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "TRUST_X_FORWARDED_PROTO"}}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "migraine_app.wsgi", "--config", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket", "--access-logfile", str(log)],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "migraine_app.settings",
            "DEBUG": "1",
            "SECURE_SSL_REDIRECT": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        statuses = []
        for raw in requests:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(raw.encode())
                answer = b""
                while chunk := sock.recv(65536):
                    answer += chunk
            statuses.append(int(answer.split()[1]))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return statuses, log.read_text()


def get(path, *headers):
    return "".join([f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n", *(h + "\r\n" for h in headers), "\r\n"])


TOKEN = "cz3abc-0123456789abcdef0123456789abcdef"


def test_gunicorn_logs_no_query_string_and_no_token_and_trusts_no_proxy_header_by_default(tmp_path):
    statuses, log = run_gunicorn(
        tmp_path,
        {},
        [
            get("/static/favicon.svg?q=alice@example.com"),
            get(f"/accounts/reset/MQ/{TOKEN}/"),
            get(f"/accounts/2fa/enrol/MQ/{TOKEN}/"),
            get("/healthz", "X-Forwarded-Proto: https"),  # believed, it would not be sent to https
            get("/" + "x" * 5000),
            get("/", *(f"X-Many-{n}: 1" for n in range(60))),
        ],
    )
    assert statuses[3] == 301
    assert statuses[4] >= 400 and statuses[5] >= 400  # gunicorn's limits
    assert '"GET /static/favicon.svg" 301' in log  # SECURE_SSL_REDIRECT: every request over plain HTTP
    assert "/accounts/reset/[hidden]/" in log and "/accounts/2fa/enrol/[hidden]/" in log
    for secret in ("alice", "q=", TOKEN, "MQ", "127.0.0.1"):
        assert secret not in log


@pytest.mark.parametrize(
    "prefix", ["/accounts/reset/", "/accounts/2fa/enrol/", "/accounts/confirm/", "/accounts/email/"]
)
def test_the_access_log_masks_every_emailed_link(prefix):
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert config["safe_path"](f"{prefix}MQ/abc-def/") == f"{prefix}[hidden]/"


def gunicorn_config(monkeypatch, **env):
    from gunicorn.config import Config

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_gunicorn_believes_x_forwarded_proto_only_with_trust_on(monkeypatch):
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert gunicorn_config(monkeypatch, TRUST_X_FORWARDED_PROTO="0").forwarded_allow_ips == []
    trusting = gunicorn_config(monkeypatch, TRUST_X_FORWARDED_PROTO="1")
    assert trusting.forwarded_allow_ips == ["127.0.0.1", "::1"]
    assert trusting.secure_scheme_headers == {"X-FORWARDED-PROTO": "https"}


def test_gunicorn_s_limits_and_log_format(monkeypatch):
    config = gunicorn_config(monkeypatch)
    assert (config.limit_request_line, config.limit_request_fields, config.limit_request_field_size) == (4094, 50, 8190)
    assert "%(q)s" not in config.access_log_format and "%(r)s" not in config.access_log_format
    assert config.logger_class.__name__ == "AccessLogger"
