"""Issue #13 item 6: the account's signed-in browsers, and "sign out everywhere else"."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from accounts.browser_sessions import describe_device
from accounts.models import UserSession
from tests.conftest import PASSWORD

URL = reverse("signed_in_browsers")
ANDROID_FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:130.0) Gecko/130.0 Firefox/130.0"
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0"
)


def browser(user, user_agent):
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (ANDROID_FIREFOX, "Firefox on Android"),
        (MAC_SAFARI, "Safari on Mac"),
        (WINDOWS_EDGE, "Edge on Windows"),
        ("curl/8.0", "A browser"),
        ("", "A browser"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)", "A browser on iPhone"),
    ],
)
def test_a_browser_is_described_in_a_few_words(user_agent, expected):
    assert describe_device(user_agent) == expected


def test_it_lists_the_accounts_own_browsers_and_marks_this_one(patient, other_patient):
    phone = browser(patient, ANDROID_FIREFOX)
    browser(patient, MAC_SAFARI)
    browser(other_patient, WINDOWS_EDGE)
    page = phone.get(URL)
    assert page.status_code == 200
    sessions = page.context["sessions"]
    assert sorted(s["device"] for s in sessions) == ["Firefox on Android", "Safari on Mac"]
    assert [s["device"] for s in sessions if s["current"]] == ["Firefox on Android"]
    assert "Edge on Windows" not in page.text  # another account's browser
    assert "This browser" in page.text and "Sign out everywhere else" in page.text


def test_sign_out_everywhere_else_keeps_this_browser_and_other_accounts(patient, other_patient):
    phone = browser(patient, ANDROID_FIREFOX)
    laptop = browser(patient, MAC_SAFARI)
    bobs = browser(other_patient, WINDOWS_EDGE)
    response = phone.post(URL, follow=True)
    assert "Signed out of 1 other browser." in response.text
    assert UserSession.objects.filter(user=patient).count() == 1
    assert phone.get(reverse("diary:home")).status_code == 200
    assert laptop.get(reverse("diary:home"))["Location"].startswith(reverse("login"))
    assert bobs.get(reverse("diary:home")).status_code == 200
    assert "No other browser is signed in." in phone.get(URL).text


def test_it_requires_sign_in(client):
    assert client.get(URL)["Location"].startswith(reverse("login"))
    assert client.post(URL)["Location"].startswith(reverse("login"))


@override_settings(SESSIONS_PER_ACCOUNT=3)
def test_signing_in_again_and_again_keeps_only_the_newest_sessions(patient, other_patient):
    bobs = browser(other_patient, WINDOWS_EDGE)
    clients = [browser(patient, ANDROID_FIREFOX) for _ in range(5)]
    assert UserSession.objects.filter(user=patient).count() == 3
    assert [c.get(reverse("diary:home")).status_code for c in clients] == [302, 302, 200, 200, 200]
    assert bobs.get(reverse("diary:home")).status_code == 200
