import datetime as dt
import io
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import enrolment_link
from tests.conftest import PASSWORD, make_user

LOGIN = reverse("login")


def sign_in(client, username, password="wrong-password", ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_production_hashes_passwords_with_argon2():
    from migraine_app import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_django_s_password_validators_are_on():
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


def test_an_account_is_locked_after_5_failures_with_a_message_saying_how_long(client, patient):
    for attempt in range(5):
        assert sign_in(client, "alice@example.com", ip=f"10.0.0.{attempt}").status_code in (200, 429)
    response = sign_in(client, "alice@example.com", PASSWORD, ip="10.0.1.1")
    assert response.status_code == 429
    assert "paused for 15 minutes" in response.text
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_after_5_failures_on_any_accounts(client, patient):
    for index in range(5):
        sign_in(client, f"nobody{index}@example.com", ip="10.9.9.9")
    response = sign_in(client, "alice@example.com", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    other_address = sign_in(client, "alice@example.com", PASSWORD, ip="10.9.9.10")
    assert other_address.status_code == 302


def test_four_failures_do_not_lock(client, patient):
    for _ in range(4):
        sign_in(client, "alice@example.com")
    assert sign_in(client, "alice@example.com", PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_failures_against_another(client, patient, other_patient):
    """Issue #13: 4 wrong guesses at alice, 1 sign-in as bob from the same address, repeated."""
    for _ in range(4):
        sign_in(client, "alice@example.com", ip="10.7.7.7")
    assert sign_in(client, "bob@example.com", PASSWORD, ip="10.7.7.7").status_code == 302
    client.logout()
    assert (
        sum(AccessAttempt.objects.filter(username="alice@example.com").values_list("failures_since_start", flat=True))
        == 4
    )
    sign_in(client, "alice@example.com", ip="10.7.7.7")  # the fifth guess
    # alice's account is paused wherever the right password comes from, and so is the address.
    assert sign_in(client, "alice@example.com", PASSWORD, ip="10.8.8.8").status_code == 429
    assert sign_in(client, "bob@example.com", PASSWORD, ip="10.7.7.7").status_code == 429


def test_a_sign_in_clears_that_accounts_own_failures_from_that_address(client, patient, other_patient):
    for _ in range(3):
        sign_in(client, "alice@example.com", ip="10.7.7.7")
    sign_in(client, "bob@example.com", ip="10.7.7.7")
    assert sign_in(client, "alice@example.com", PASSWORD, ip="10.7.7.7").status_code == 302
    left = AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")
    assert list(left) == [("bob@example.com", "10.7.7.7", 1)]


def test_the_lock_lifts_after_the_cool_off(client, patient, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC), tick=False)
    for _ in range(5):
        sign_in(client, "alice@example.com")
    assert sign_in(client, "alice@example.com", PASSWORD).status_code == 429
    time_machine.shift(dt.timedelta(minutes=16))
    assert sign_in(client, "alice@example.com", PASSWORD).status_code == 302


def test_a_patient_session_lasts_2_weeks_of_inactivity(client, patient):
    sign_in(client, "alice@example.com", PASSWORD)
    assert client.session.get_expiry_age() == 14 * 24 * 3600


@pytest.mark.parametrize("role", ["clinician", "editor", "superuser"])
def test_clinicians_and_staff_sessions_last_12_hours(db, client, role, request):
    user = request.getfixturevalue(role)
    sign_in(client, user.username, PASSWORD)
    assert client.session.get_expiry_age() == 12 * 3600


def test_an_idle_session_ends_and_an_active_one_goes_on(client, patient, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC), tick=False)
    sign_in(client, "alice@example.com", PASSWORD)
    time_machine.shift(dt.timedelta(days=10))
    assert client.get("/diary/").status_code == 200  # active: the idle timer starts again
    time_machine.shift(dt.timedelta(days=10))
    assert client.get("/diary/").status_code == 200  # 20 days after sign-in, 10 after the last visit
    time_machine.shift(dt.timedelta(days=15))
    assert client.get("/diary/").status_code == 302  # 15 idle days: signed out


def test_changing_the_password_signs_out_other_sessions(client, patient):
    other = Client()
    other.force_login(patient)
    assert other.get("/diary/").status_code == 200
    client.force_login(patient)
    client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-9",
            "new_password2": "a-new-long-passphrase-9",
        },
    )
    assert client.get("/diary/").status_code == 200  # this session goes on
    assert other.get("/diary/").status_code == 302  # the other one is signed out


# ---------------------------------------------------------------- two-factor sign-in


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def follow_enrolment_link(client):
    """Ask for the set-up link by email and open it: the set-up page then shows the QR code."""
    mail.outbox.clear()
    sent = client.post("/accounts/2fa/setup/email/", {"next": "/clinic/"})
    assert sent["Location"].startswith("/accounts/2fa/setup/?sent=1")
    assert "Check your email" in client.get(sent["Location"]).text
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/2fa/enrol/\S+/)", message.body).group(1)
    assert client.get(link)["Location"] == "/accounts/2fa/setup/"
    return link


@override_settings(REQUIRE_2FA=True)
def test_a_clinician_must_set_up_two_factor_sign_in_first(client, clinician, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC), tick=False)
    sign_in(client, clinician.username, PASSWORD)
    response = client.get("/clinic/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/?next=/clinic/")
    setup = client.get("/accounts/2fa/?next=/clinic/", follow=True)
    assert "Set up two-factor sign-in" in setup.text
    assert "Email me a set-up link" in setup.text
    follow_enrolment_link(client)
    assert "scanning this code" in client.get("/accounts/2fa/setup/?next=/clinic/").text
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    wrong = client.post("/accounts/2fa/setup/", {"token": "000000", "next": "/clinic/"})
    assert "That code did not work" in wrong.text
    time_machine.shift(dt.timedelta(seconds=5))  # django-otp slows down guessing after a failure
    done = client.post("/accounts/2fa/setup/", {"token": current_code(device), "next": "/clinic/"})
    assert "Your recovery codes" in done.text
    assert len(done.context["codes"]) == 10
    assert client.get("/clinic/").status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_each_sign_in_asks_for_a_code(client, clinician):
    device = TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    sign_in(client, clinician.username, PASSWORD)
    assert client.get("/clinic/")["Location"].startswith("/accounts/2fa/")
    assert "Confirm it is you" in client.get("/accounts/2fa/").text
    response = client.post("/accounts/2fa/", {"token": current_code(device), "next": "/clinic/"})
    assert response["Location"] == "/clinic/"
    assert client.get("/clinic/").status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_a_session_key_planted_before_the_code_is_not_verified_by_it(client, clinician):
    """Issue #13: sign in with the password, keep the cookie; the real clinician's code must not verify it."""
    device = TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    sign_in(client, clinician.username, PASSWORD)
    planted = client.cookies[settings.SESSION_COOKIE_NAME].value
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted
    response = victim.post("/accounts/2fa/", {"token": current_code(device), "next": "/clinic/"})
    assert response["Location"] == "/clinic/"
    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != planted
    assert victim.get("/clinic/").status_code == 200
    # The attacker's copy of the old key is no longer signed in at all.
    assert client.get("/clinic/")["Location"].startswith("/accounts/login/")


@override_settings(REQUIRE_2FA=True, SITE_URL="https://diary.example.org")
def test_the_password_alone_cannot_add_the_first_device(client, clinician):
    """Issue #13 item 7: without the emailed one-time link the set-up page shows no key."""
    sign_in(client, clinician.username, PASSWORD)
    page = client.get("/accounts/2fa/setup/")
    assert "Email me a set-up link" in page.text
    assert "data:image/svg+xml" not in page.text
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert client.post("/accounts/2fa/setup/", {"token": "123456"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    client.post("/accounts/2fa/setup/email/")
    (message,) = mail.outbox
    assert message.to == [clinician.email]
    assert "https://diary.example.org/accounts/2fa/enrol/" in message.body  # from SITE_URL, not the request


@override_settings(REQUIRE_2FA=True)
def test_an_enrolment_link_works_only_for_its_account_and_once(client, clinician, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC), tick=False)
    other = make_user("dr.other@example.com", role="clinician")
    sign_in(client, other.username, PASSWORD)
    with override_settings(SITE_URL="http://testserver"):
        link = enrolment_link(clinician).removeprefix("http://testserver")
    assert "This link does not work" in client.get(link).text
    assert "Email me a set-up link" in client.get("/accounts/2fa/setup/").text
    client.post(reverse("logout"))
    sign_in(client, clinician.username, PASSWORD)
    assert client.get(link)["Location"] == "/accounts/2fa/setup/"
    assert "data:image/svg+xml" in client.get("/accounts/2fa/setup/").text
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    client.post("/accounts/2fa/setup/", {"token": current_code(device), "next": "/clinic/"})
    assert TOTPDevice.objects.get(user=clinician).confirmed
    client.post(reverse("logout"))
    sign_in(client, clinician.username, PASSWORD)
    assert "This link does not work" in client.get(link).text  # spent once a device is confirmed
    assert "This link does not work" in client.get(link.replace("/enrol/", "/enrol/x")).text


def test_an_administrator_can_print_an_enrolment_link(clinician):
    out = io.StringIO()
    call_command("two_factor_link", clinician.email.upper(), stdout=out)
    assert "/accounts/2fa/enrol/" in out.getvalue()
    TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    with pytest.raises(CommandError, match="already has an authenticator app"):
        call_command("two_factor_link", clinician.email)
    with pytest.raises(CommandError, match="No account"):
        call_command("two_factor_link", "nobody@example.com")


@override_settings(REQUIRE_2FA=True)
def test_setting_up_two_factor_gives_a_new_session_key(client, clinician, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC), tick=False)
    sign_in(client, clinician.username, PASSWORD)
    follow_enrolment_link(client)
    client.get("/accounts/2fa/setup/")
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    done = client.post("/accounts/2fa/setup/", {"token": current_code(device), "next": "/clinic/"})
    assert "Your recovery codes" in done.text
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert client.get("/clinic/").status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_a_recovery_code_works_once(client, clinician):
    TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    from django_otp.plugins.otp_static.models import StaticDevice

    static = StaticDevice.objects.create(user=clinician, name="Recovery codes")
    static.token_set.create(token="recover1")
    sign_in(client, clinician.username, PASSWORD)
    assert client.post("/accounts/2fa/", {"token": "recover1"}).status_code == 302
    assert not StaticToken.objects.exists()
    client.logout()
    client.post(LOGIN, {"username": clinician.username, "password": PASSWORD})
    again = client.post("/accounts/2fa/", {"token": "recover1"})
    assert "That code did not work" in again.text


@override_settings(REQUIRE_2FA=True)
def test_a_second_device_cannot_be_added_with_the_password_alone(client, clinician):
    TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    sign_in(client, clinician.username, PASSWORD)
    response = client.get("/accounts/2fa/setup/")
    assert response["Location"] == reverse("two_factor")
    assert TOTPDevice.objects.filter(user=clinician).count() == 1


@override_settings(REQUIRE_2FA=True)
@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_staff_need_two_factor_for_admin(db, client, role, request):
    user = request.getfixturevalue(role)
    sign_in(client, user.username, PASSWORD)
    assert client.get("/admin/")["Location"].startswith("/accounts/2fa/")


@override_settings(REQUIRE_2FA=True)
def test_patients_do_not_need_two_factor(client, patient):
    sign_in(client, patient.username, PASSWORD)
    assert client.get("/diary/").status_code == 200


def test_two_factor_is_required_by_default_in_production():
    from migraine_app import settings as production

    assert production.DEBUG is False
    assert production.REQUIRE_2FA is True
