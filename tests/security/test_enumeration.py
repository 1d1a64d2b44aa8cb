"""Issue #13 item 3 and the email change of item 5: nobody learns from sign-up or the profile
whether an address has an account here (having one discloses a health condition)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from accounts.models import PatientProfile
from clinic.models import Share
from clinic.services import clinician_profile
from tests.conftest import PASSWORD, make_user

SIGNUP = reverse("signup")
PROFILE = reverse("profile")
LINK = re.compile(r"https://diary\.example\.org(/accounts/(?:confirm|email)/[^/\s]+/[^/\s]+/)")


def sign_up(client, email, password=PASSWORD):
    return client.post(SIGNUP, {"email": email, "password1": password, "password2": password, "time_zone": "UTC"})


def link_in(message):
    return LINK.search(message.body).group(1)


@override_settings(SITE_URL="https://diary.example.org")
def test_sign_up_answers_the_same_for_a_known_and_an_unknown_address(client, patient, mailoutbox):
    users_before = get_user_model().objects.count()
    known = sign_up(client, "ALICE@example.com", "another-long-passphrase-1")
    unknown = sign_up(client, "newcomer@example.com", "another-long-passphrase-1")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    page = client.get(known["Location"])
    assert "Check your email" in page.text
    assert "already" not in client.get(unknown["Location"]).text.split("If that address")[0]
    assert get_user_model().objects.count() == users_before + 1  # only the new address made an account
    assert get_user_model().objects.get(username="alice@example.com").check_password(PASSWORD)  # untouched
    to_known, to_new = mailoutbox
    assert (to_known.to, to_known.subject) == (["alice@example.com"], "You already have an account")
    assert "https://diary.example.org/accounts/login/" in to_known.body
    assert "https://diary.example.org/accounts/password_reset/" in to_known.body
    assert (to_new.to, to_new.subject) == (["newcomer@example.com"], "Confirm your email address")


@override_settings(SITE_URL="https://diary.example.org")
def test_a_new_account_is_used_only_after_its_link_is_opened(db, client, mailoutbox):
    sign_up(client, "newcomer@example.com")
    refused = client.post(reverse("login"), {"username": "newcomer@example.com", "password": PASSWORD})
    assert "Confirm your email address first" in refused.text
    assert "_auth_user_id" not in client.session
    link = link_in(mailoutbox[0])
    page = client.get(link)  # a mail scanner opening the link confirms nothing
    assert "Confirm and open my diary" in page.text
    assert not PatientProfile.objects.get(user__username="newcomer@example.com").email_confirmed
    response = client.post(link)
    assert response["Location"] == reverse("diary:home")
    assert PatientProfile.objects.get(user__username="newcomer@example.com").email_confirmed
    assert client.get(reverse("diary:home")).status_code == 200
    assert "This link does not work" in client.get(link).text  # once only
    client.post(reverse("logout"))
    assert client.post(reverse("login"), {"username": "newcomer@example.com", "password": PASSWORD}).status_code == 302


@override_settings(SITE_URL="https://diary.example.org")
def test_signing_up_again_with_an_unconfirmed_address_sends_a_new_link(db, client, mailoutbox):
    sign_up(client, "newcomer@example.com")
    sign_up(client, "newcomer@example.com", "a-different-passphrase-9")
    assert [m.subject for m in mailoutbox] == ["Confirm your email address"] * 2
    assert get_user_model().objects.filter(username="newcomer@example.com").count() == 1


@pytest.mark.django_db
def test_a_forged_or_wrong_confirmation_link_does_nothing(client):
    user = make_user("newcomer@example.com")
    PatientProfile.objects.update_or_create(user=user, defaults={"email_confirmed": False})
    for uid, token in [("MQ", "bad-token"), ("not-base64!", "x"), ("OTk5OQ", "abc-def")]:
        url = reverse("signup_confirm", kwargs={"uidb64": uid, "token": token})
        assert "This link does not work" in client.get(url).text
        client.post(url)
    assert not PatientProfile.objects.get(user=user).email_confirmed
    assert "_auth_user_id" not in client.session


def test_an_unconfirmed_account_cannot_share_its_diary(client, patient, clinician):
    PatientProfile.objects.update_or_create(user=patient, defaults={"email_confirmed": False})
    client.force_login(patient)
    code = clinician_profile(clinician).share_code
    response = client.post(reverse("sharing:page"), {"code": code})
    assert "Confirm your email address first" in response.text
    assert not Share.objects.exists()


# ---------------------------------------------------------------- changing the address


@override_settings(SITE_URL="https://diary.example.org")
def test_changing_the_email_needs_the_password_and_the_new_address_s_link(client, patient, mailoutbox):
    client.force_login(patient)
    form = {"email": "alice.new@example.com", "time_zone": "Europe/London"}
    no_password = client.post(PROFILE, form)
    assert "Give your current password to change your email address." in no_password.text
    wrong = client.post(PROFILE, {**form, "current_password": "not-it"})
    assert "That is not your current password." in wrong.text
    assert not mailoutbox
    saved = client.post(PROFILE, {**form, "current_password": PASSWORD}, follow=True)
    assert "open the link we have sent to alice.new@example.com" in saved.text
    patient.refresh_from_db()
    assert patient.email == patient.username == "alice@example.com"  # not yet
    notice, confirm = mailoutbox
    assert notice.to == ["alice@example.com"] and "asked to change its email address" in notice.body
    assert confirm.to == ["alice.new@example.com"]
    link = link_in(confirm)
    assert "alice.new@example.com" in client.get(link).text
    client.post(link)
    patient.refresh_from_db()
    assert patient.email == patient.username == "alice.new@example.com"
    assert "This link does not work" in client.get(link).text


@override_settings(SITE_URL="https://diary.example.org")
def test_changing_to_another_account_s_address_answers_the_same_and_changes_nothing(
    client, patient, other_patient, mailoutbox
):
    client.force_login(patient)
    form = {"email": "BOB@example.com", "time_zone": "Europe/London", "current_password": PASSWORD}
    saved = client.post(PROFILE, form, follow=True)
    assert "open the link we have sent to bob@example.com" in saved.text
    assert "Another account" not in saved.text
    notice, to_bob = mailoutbox
    assert to_bob.to == ["bob@example.com"] and to_bob.subject == "You already have an account"
    assert not LINK.search(to_bob.body)
    patient.refresh_from_db()
    assert patient.email == "alice@example.com"


@override_settings(SITE_URL="https://diary.example.org")
def test_a_change_link_works_only_for_its_own_account(client, patient, other_patient, mailoutbox):
    client.force_login(patient)
    client.post(PROFILE, {"email": "alice.new@example.com", "time_zone": "UTC", "current_password": PASSWORD})
    link = link_in(mailoutbox[1])
    client.force_login(other_patient)
    assert "This link does not work" in client.get(link).text
    client.post(link)
    other_patient.refresh_from_db()
    assert other_patient.email == "bob@example.com"


def test_wrong_current_passwords_in_the_profile_are_throttled_like_sign_in(client, patient):
    client.force_login(patient)
    form = {"email": "alice.new@example.com", "time_zone": "UTC", "current_password": "guess"}
    statuses = [client.post(PROFILE, form).status_code for _ in range(6)]
    assert statuses[-1] == 429
    paused = client.post(PROFILE, {**form, "current_password": PASSWORD})
    assert paused.status_code == 429
    assert not PatientProfile.objects.get(user=patient).pending_email
