"""The main navigation: the link of the page a person is on is marked with aria-current.

"page" on the link's own page, "true" on a page within its section (editing a session is
under Sessions). The whole page is cached per address, so the mark must survive the cache.
"""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from clinic.models import Share
from core.context_processors import nav
from tests.diary.factories import attack, session

MARKED = re.compile(r'<(?:a|summary)\b[^>]*\baria-current="(page|true)"[^>]*>([^<]+)<')


def marks(response):
    """The navigation's marked links, as (label, aria-current) pairs."""
    assert response.status_code == 200
    header = response.text.split('<header class="site-header', 1)[1].split("</header>", 1)[0]
    return [(label.strip(), value) for value, label in MARKED.findall(header)]


def fresh_get(client, url):
    client.cookies.pop("messages", None)
    return client.get(url)


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("diary:home", "Diary"),
        ("diary:progress", "Progress"),
        ("diary:calendar", "Calendar"),
        ("diary:sessions", "Sessions"),
        ("sharing:page", "Sharing"),
        ("education:guide", "Guide"),
        ("profile", "Profile"),
    ],
)
def test_a_patients_page_marks_its_own_link_as_the_current_page(patient_client, url_name, label):
    assert marks(patient_client.get(reverse(url_name))) == [(label, "page")]


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("/diary/headaches/new/", "Diary"),
        ("/diary/import/", "Diary"),
        ("/diary/days/2026-10-14/", "Calendar"),
        ("/diary/sessions/new/", "Sessions"),
        ("/diary/report/", "Progress"),
        ("/diary/midas/", "Progress"),
        ("/learn/what-to-expect/", "Guide"),
        ("/accounts/password_change/", "Profile"),
    ],
)
def test_a_page_within_a_section_marks_the_sections_link(patient_client, url, label):
    assert marks(patient_client.get(url)) == [(label, "true")]


def test_the_edit_pages_of_a_headache_and_a_session_come_under_diary_and_sessions(patient_client, patient):
    headache = attack(patient, "2026-10-14")
    treatment = session(patient, "2026-10-01")
    assert marks(patient_client.get(reverse("diary:headache_edit", args=[headache.pk]))) == [("Diary", "true")]
    assert marks(patient_client.get(reverse("diary:session_side_effects", args=[treatment.pk]))) == [
        ("Sessions", "true")
    ]


def test_a_cached_page_carries_its_own_mark_not_the_one_of_the_page_before(patient_client):
    for _ in range(2):  # the second round is served from the page cache
        assert marks(fresh_get(patient_client, reverse("diary:calendar"))) == [("Calendar", "page")]
        assert marks(fresh_get(patient_client, reverse("diary:progress"))) == [("Progress", "page")]
        assert marks(fresh_get(patient_client, reverse("diary:home"))) == [("Diary", "page")]


def test_the_clinicians_worklist_and_patient_page_come_under_worklist(client, clinician, patient, frozen):
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    assert marks(client.get(reverse("clinic:worklist"))) == [("Worklist", "page")]
    assert marks(client.get(reverse("clinic:patient", args=[patient.pk]))) == [("Worklist", "true")]


@pytest.mark.django_db
def test_a_visitor_sees_the_sign_in_link_marked_on_the_sign_in_page(client):
    assert marks(client.get(reverse("login"))) == [("Sign in", "page")]
    assert marks(client.get(reverse("signup"))) == [("Create account", "page")]


@pytest.mark.django_db
def test_the_home_page_marks_no_link(client):
    assert marks(client.get(reverse("home"))) == []


def test_a_page_with_no_resolved_address_marks_nothing():
    request = RequestFactory().get("/no-such-page/")  # as an error page sees it: no resolver_match
    assert nav(request)["nav_current"] == {}


def test_the_rest_of_a_patients_links_are_in_a_menu_that_needs_no_javascript(patient_client):
    header = patient_client.get(reverse("diary:home")).text.split("</header>", 1)[0]
    menu = header.split('<details class="site-menu', 1)[1].split("</details>", 1)[0]
    assert "<summary" in menu and ">Menu</summary>" in menu
    for label in ("Sessions", "Sharing", "Guide", "Profile", "Sign out"):
        assert f">{label}<" in menu
    assert "<script" not in header


def test_when_the_current_page_is_in_the_menu_the_menu_says_so(patient_client):
    header = patient_client.get(reverse("diary:sessions")).text.split("</header>", 1)[0]
    assert '<details class="site-menu holds-current">' in header
    header = patient_client.get(reverse("diary:calendar")).text.split("</header>", 1)[0]
    assert '<details class="site-menu">' in header
