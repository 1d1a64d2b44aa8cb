"""The page cache never serves a page that a change has made stale."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.middleware import http as http_middleware
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import PatientProfile
from clinic.models import AccessLogEntry
from core import pagecache
from education.models import Section
from tests.conftest import PASSWORD
from tests.diary.factories import session


def fresh_get(client, url):
    """A GET like a browser's on a later visit: no one-time message pending."""
    client.cookies.pop("messages", None)
    return client.get(url)


def test_a_diary_change_shows_at_once_on_cached_pages(patient_client, patient):
    session(patient, "2026-10-01")
    for url in (reverse("diary:home"), reverse("diary:progress")):
        fresh_get(patient_client, url)
    before = fresh_get(patient_client, reverse("diary:progress_json")).json()["periods"][1]["days_recorded"]
    patient_client.post(reverse("diary:headache_free_mark"), {"dates": ["2026-10-13", "2026-10-14"]})
    after = fresh_get(patient_client, reverse("diary:progress_json")).json()["periods"][1]["days_recorded"]
    assert after == before + 2
    assert "Today is marked" not in fresh_get(patient_client, reverse("diary:home")).text
    patient_client.post(reverse("diary:headache_free_mark"), {"dates": ["2026-10-15"]})
    assert "Today is marked: no headache." in fresh_get(patient_client, reverse("diary:home")).text


def test_one_patient_never_gets_another_s_cached_page(patient, other_patient, frozen):
    """Two patients alike in every part of the page key but their id: the same diary_version, the
    same date and quarter hour, the same theme and address, and the same CSRF cookie (two browsers
    that happen to hold one secret). Only the user's id in the key keeps Alice's page from Bob."""
    session(patient, "2026-10-01", given_by="Nurse Alpha")
    for user in (patient, other_patient):
        PatientProfile.objects.create(user=user)
    browsers = {}
    for user in (patient, other_patient):
        browsers[user.pk] = Client()
        browsers[user.pk].force_login(user)
        browsers[user.pk].cookies[settings.CSRF_COOKIE_NAME] = "s" * 32
    alice, bob = browsers[patient.pk], browsers[other_patient.pk]
    versions = PatientProfile.objects.filter(user__in=[patient, other_patient]).values_list("diary_version", flat=True)
    assert len(set(versions)) == 1
    url = reverse("diary:sessions")
    with CaptureQueriesContext(connection) as rendered:
        assert "Nurse Alpha" in alice.get(url).text
    with CaptureQueriesContext(connection) as cached:
        assert "Nurse Alpha" in alice.get(url).text
    assert len(cached) < len(rendered)  # Alice's page is in the cache, under her key
    page = bob.get(url)
    assert page.status_code == 200
    assert "Nurse Alpha" not in page.text


def test_a_browser_without_a_csrf_cookie_gets_a_page_whose_forms_work(patient, frozen):
    """A signed-in page rendered for a browser with no CSRF cookie yet carries tokens of the secret
    its response hands out: another such browser (the same person on a new device) must get its
    own, not that page from the cache, or its first form is refused (403)."""
    for _ in range(2):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(patient)
        page = browser.get(reverse("diary:home"))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        assert browser.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302


# Cached pages keep their view's headers; visitors' pages get an ETag and a 304.


@pytest.mark.django_db
def test_a_visitor_s_page_from_the_cache_has_an_etag_and_answers_304(client, monkeypatch):
    url = "/learn/summary/"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    hashed = []
    monkeypatch.setattr(http_middleware, "set_response_etag", lambda response: hashed.append(response) or response)
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url)
    assert again["ETag"] == first["ETag"] and again.content == first.content
    assert len(cached) == 1  # the guide's version: the page came from the cache
    assert hashed == []  # with the ETag stored beside it: not hashed again
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    # An edit to the guide: another page, another ETag, so the old one is answered in full.
    section = Section.objects.get(slug="summary")
    section.body = "A new summary."
    section.save()
    edited = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert edited.status_code == 200 and edited["ETag"] != first["ETag"]


def test_signed_in_pages_have_no_etag_cached_or_not(patient_client):
    patient_client.get(reverse("diary:home"))  # sets the CSRF cookie: the pages after it are cached
    for _ in range(2):
        response = patient_client.get(reverse("diary:progress"))
        assert response.status_code == 200 and not response.has_header("ETag")
    response = patient_client.get(reverse("diary:progress"), HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_cached_page_keeps_the_headers_its_view_set_and_the_middleware_s_are_set_again():
    def view(request):
        view.calls += 1
        response = HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")
        response["Content-Language"] = "en-GB"
        response["Vary"] = "Accept-Language"
        response["X-Page"] = "kept"
        response["Cache-Control"] = "max-age=60"
        response["Date"] = "Thu, 15 Oct 2026 12:00:00 GMT"  # of one exchange: not kept
        return response

    view.calls = 0
    page = pagecache.page_decorator(
        lambda view, query: lambda request: pagecache.serve("page:test", request, lambda: view(request))
    )
    cached = page(view)
    request = RequestFactory().get("/page/")
    request.user = AnonymousUser()
    rendered, served = cached(request), cached(request)
    assert view.calls == 1
    for name in ("Content-Type", "Content-Language", "Vary", "X-Page", "Cache-Control", "ETag"):
        assert served[name] == rendered[name], name
    assert not served.has_header("Date")
    # Through the middleware: a cached guide page gets the security headers on every request.
    client = Client()
    for _ in range(2):
        response = client.get("/learn/summary/")
        assert response["X-Frame-Options"] == "DENY" and "default-src" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_guide_edit_shows_at_once_to_visitors(client):
    url = "/learn/summary/"
    assert "In summary" in client.get(url).text
    section = Section.objects.get(slug="summary")
    section.body = "A new summary."
    section.save()
    assert "A new summary." in client.get(url).text


def test_a_cached_clinic_page_still_logs_every_view(client, clinician, patient, frozen):
    from clinic.models import Share

    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    url = reverse("clinic:patient", args=[patient.pk])
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert AccessLogEntry.objects.filter(patient=patient, clinician=clinician).count() == 3


def test_saving_the_profile_never_writes_back_an_old_diary_version(patient):
    from accounts.forms import ProfileForm, ReportedBaselineForm
    from accounts.models import PatientProfile

    stale = PatientProfile.objects.create(user=patient)  # read with diary_version 0
    PatientProfile.objects.filter(user=patient).update(diary_version=41)  # raised by another request meanwhile
    form = ProfileForm({"email": "alice@example.com", "time_zone": "Europe/Paris"}, instance=stale, user=patient)
    assert form.is_valid(), form.errors
    form.save()
    baseline = ReportedBaselineForm({"reported_baseline": "12"}, instance=stale)
    assert baseline.is_valid()
    baseline.save()
    profile = PatientProfile.objects.get(user=patient)
    assert (profile.time_zone, str(profile.reported_baseline)) == ("Europe/Paris", "12.0")
    assert profile.diary_version == 41


# The worklist is cached by the clinician's worklist_version, raised after each change commits.


@pytest.fixture
def worklist(client, clinician, patient, frozen, django_capture_on_commit_callbacks):
    from clinic.models import Share

    with django_capture_on_commit_callbacks(execute=True):
        Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)

    def view():
        return fresh_get(client, reverse("clinic:worklist")).text

    return view


def test_a_shared_diary_change_shows_at_once_on_the_worklist(worklist, patient, django_capture_on_commit_callbacks):
    from django.test import Client

    treatment = session(patient, "2026-10-01")
    assert "flag-urgent_side_effect" not in worklist()
    assert "flag-urgent_side_effect" not in worklist()  # now from the page cache (the CSRF cookie is set)
    phone = Client()
    phone.force_login(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(
            reverse("diary:session_side_effects", args=[treatment.pk]),
            {"effect": "swallowing_speaking_breathing", "started_on": "2026-10-14", "severity": "3"},
        )
    assert response.status_code == 302
    assert "flag-urgent_side_effect" in worklist()


def test_a_new_share_and_an_ended_share_show_at_once_on_the_worklist(
    worklist, clinician, patient, other_patient, django_capture_on_commit_callbacks
):
    from clinic import services as clinic_services
    from clinic.models import ClinicianProfile, Share

    assert "Alice Ashworth" in worklist() and "Bob Barnes" not in worklist()
    share_code = ClinicianProfile.objects.get_or_create(user=clinician)[0].share_code
    with django_capture_on_commit_callbacks(execute=True):
        clinic_services.share_with(other_patient, share_code)
    assert "Bob Barnes" in worklist()
    with django_capture_on_commit_callbacks(execute=True):
        clinic_services.stop_sharing(Share.objects.get(patient=patient))
    assert "Ashworth" not in worklist()


def test_signing_in_does_not_make_the_clinicians_worklists_stale(
    worklist, clinician, patient, django_capture_on_commit_callbacks
):
    from django.test import Client

    from clinic.pages import worklist_version

    before = worklist_version(clinician)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in = Client().post(reverse("login"), {"username": "alice@example.com", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert worklist_version(clinician) == before


def test_a_clinic_page_shown_with_a_message_is_logged_too(client, clinician, patient, frozen):
    from clinic.models import Share

    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    saved = client.post(reverse("clinic:note_new", args=[patient.pk]), {"text": "Seen today."}, follow=True)
    assert "Note saved." in saved.text  # the page came with its one-time message: not from the cache
    assert AccessLogEntry.objects.filter(patient=patient, clinician=clinician).count() == 1
