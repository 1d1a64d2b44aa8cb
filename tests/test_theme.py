"""The page colours a person chooses (light, dim, or their device's): saved, remembered, cached right."""

import importlib.util
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import DisplayPreference
from clinic.models import Share
from tests.conftest import PASSWORD

URL = reverse("theme")
ROOT = Path(__file__).resolve().parents[1]


def theme_of(response):
    text = response.content.decode()
    start = text.index('data-bs-theme="') + len('data-bs-theme="')
    return text[start : text.index('"', start)]


def fresh_get(client, url):
    client.cookies.pop("messages", None)
    return client.get(url)


def test_pages_follow_the_device_by_default(patient_client):
    response = patient_client.get(reverse("diary:calendar"))
    assert theme_of(response) == "system"
    assert "css/theme-auto.css" in response.text


def test_the_switch_is_in_every_page_s_footer_and_on_the_profile(patient_client, client, clinician):
    assert 'action="/theme/"' in patient_client.get(reverse("diary:home")).text
    assert patient_client.get(reverse("profile")).text.count('action="/theme/"') == 2
    client.force_login(clinician)
    assert client.get(reverse("profile")).text.count('action="/theme/"') == 2


def test_choosing_saves_it_for_the_account_and_goes_back(patient_client, patient):
    response = patient_client.post(URL, {"theme": "dark", "next": "/diary/calendar/?month=2026-09"})
    assert response.status_code == 302
    assert response["Location"] == "/diary/calendar/?month=2026-09"
    assert DisplayPreference.objects.get(user=patient).theme == "dark"
    assert patient_client.session["theme"] == "dark"
    assert theme_of(patient_client.get(reverse("diary:calendar"))) == "dark"
    patient_client.post(URL, {"theme": "light", "next": "/"})
    assert DisplayPreference.objects.get(user=patient).theme == "light"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/diary/", "", "javascript:alert(1)"])
def test_it_only_goes_back_to_this_site(patient_client, target):
    response = patient_client.post(URL, {"theme": "dark", "next": target})
    assert response["Location"] == "/"


def test_an_unknown_theme_changes_nothing(patient_client, patient):
    response = patient_client.post(URL, {"theme": "neon", "next": "/diary/"})
    assert response["Location"] == "/diary/"
    assert not DisplayPreference.objects.filter(user=patient).exists()
    assert "theme" not in response.cookies


def test_it_takes_only_post(patient_client):
    assert patient_client.get(URL, {"theme": "dark"}).status_code == 405


@pytest.mark.django_db
def test_a_signed_out_visitor_s_choice_is_kept_by_their_browser_without_a_token():
    visitor = Client(enforce_csrf_checks=True)  # public pages are cached for all: no token of their own
    response = visitor.post(URL, {"theme": "dark", "next": "/learn/"})
    assert response.status_code == 302
    cookie = response.cookies["theme"]
    assert (cookie.value, cookie["httponly"], cookie["samesite"]) == ("dark", True, "Lax")
    assert cookie["max-age"] == 365 * 24 * 3600
    assert theme_of(visitor.get("/learn/")) == "dark"


def test_an_account_s_choice_needs_the_csrf_token(patient):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(patient)
    assert browser.post(URL, {"theme": "dark", "next": "/"}).status_code == 403
    assert not DisplayPreference.objects.filter(user=patient).exists()


def test_signing_in_brings_the_account_s_theme_and_pages_never_ask_for_it(patient, frozen):
    DisplayPreference.objects.create(user=patient, theme="dark")
    browser = Client()
    browser.cookies["theme"] = "light"  # this browser's last choice, signed out: the account's wins
    assert browser.post(reverse("login"), {"username": "alice@example.com", "password": PASSWORD}).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(reverse("diary:calendar"))
    assert theme_of(response) == "dark"
    assert not [q["sql"] for q in queries if "displaypreference" in q["sql"].lower()]


def test_without_a_choice_of_its_own_an_account_keeps_the_browser_s(patient, frozen):
    browser = Client()
    browser.cookies["theme"] = "dark"
    browser.post(reverse("login"), {"username": "alice@example.com", "password": PASSWORD})
    assert theme_of(browser.get(reverse("diary:home"))) == "dark"


def test_a_forged_cookie_gives_the_default(client, db):
    client.cookies["theme"] = '"><script>'
    assert theme_of(client.get("/learn/")) == "system"


# The page cache stores whole pages, <html data-bs-theme> included: the theme is in its key.


def test_a_cached_patient_page_shows_a_theme_chosen_after_it_was_cached(patient_client):
    url = reverse("diary:calendar")
    fresh_get(patient_client, url)
    assert theme_of(fresh_get(patient_client, url)) == "system"  # now from the page cache (CSRF cookie set)
    patient_client.post(URL, {"theme": "dark", "next": url})
    assert theme_of(fresh_get(patient_client, url)) == "dark"
    patient_client.post(URL, {"theme": "system", "next": url})
    assert theme_of(fresh_get(patient_client, url)) == "system"


def test_a_cached_public_page_shows_each_visitor_s_theme(db):
    Client().get("/learn/")  # cached for visitors with the default theme
    dim = Client()
    dim.post(URL, {"theme": "dark", "next": "/learn/"})
    assert theme_of(dim.get("/learn/")) == "dark"
    assert theme_of(Client().get("/learn/")) == "system"


def test_a_cached_worklist_shows_a_theme_chosen_after_it_was_cached(client, clinician, patient, frozen):
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    url = reverse("clinic:worklist")
    fresh_get(client, url)
    assert theme_of(fresh_get(client, url)) == "system"
    client.post(URL, {"theme": "light", "next": url})
    assert theme_of(fresh_get(client, url)) == "light"


def test_the_device_theme_css_is_made_from_the_current_stylesheets():
    spec = importlib.util.spec_from_file_location("build_theme_css", ROOT / "scripts" / "build_theme_css.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    made = script.build()
    assert (ROOT / "static/css/theme-auto.css").read_text(encoding="utf-8") == made, (
        "static/css/theme-auto.css is out of date: run .venv/bin/python scripts/build_theme_css.py"
    )
    dark, print_light = made.split("@media print")
    assert "[data-bs-theme=system]{color-scheme:dark;--bs-body-color:#dee2e6" in dark  # Bootstrap's
    assert "--app-severe-bg: #a52834" in dark  # the app's own dim colours
    assert "--bs-body-bg:#fff" in print_light and "--app-severe-bg: #842029" in print_light


def test_error_pages_follow_the_device_s_theme(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'data-bs-theme="system"' in response.text
    assert "css/theme-auto" in response.text
