"""Issue #13: the page cache cannot be bypassed with made-up query parameters, and cached pages keep
their headers; every signed-in page says `Cache-Control: private, no-store`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import Share
from tests.diary.factories import attack, session


def queries_for(client, url):
    client.cookies.pop("messages", None)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("/diary/progress/?anything=1", "/diary/progress/"),
        ("/diary/?x=1&y=2", "/diary/"),
        ("/diary/calendar/?month=2026-09&junk=3", "/diary/calendar/?month=2026-09"),
        ("/diary/progress.json?n=4", "/diary/progress.json"),
    ],
)
def test_a_query_parameter_the_page_does_not_read_is_redirected_away(patient_client, url, clean):
    response = patient_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == clean


@pytest.mark.django_db
def test_the_guide_search_keeps_its_query_and_drops_the_rest(client):
    response = client.get("/learn/search/?q=neck&utm_source=x")
    assert (response.status_code, response["Location"]) == (302, "/learn/search/?q=neck")
    assert client.get("/learn/search/?q=neck").status_code == 200


def test_a_new_value_of_a_made_up_parameter_does_not_render_the_page_again(patient_client, patient):
    session(patient, "2026-10-01")
    attack(patient, "2026-10-05")
    first, rendered = queries_for(patient_client, "/diary/progress/")
    again, cached = queries_for(patient_client, "/diary/progress/")
    assert cached < rendered  # the second came from the cache
    for n in range(3):
        response, count = queries_for(patient_client, f"/diary/progress/?anything={n}")
        assert response.status_code == 302 and count <= cached


def test_the_calendar_s_month_is_part_of_the_key(patient_client, patient):
    attack(patient, "2026-09-10", severity=3)
    patient_client.get("/diary/calendar/")  # sets the CSRF cookie: pages after it can be cached
    september = patient_client.get("/diary/calendar/?month=2026-09").text
    october = patient_client.get("/diary/calendar/?month=2026-10").text
    assert "September 2026" in september and "October 2026" in october
    assert "September 2026" not in october
    assert patient_client.get("/diary/calendar/?month=2026-09").text == september  # from the cache


def test_progress_json_keeps_no_store_when_it_comes_from_the_cache(patient_client, patient):
    session(patient, "2026-10-01")
    first, rendered = queries_for(patient_client, reverse("diary:progress_json"))
    second, cached = queries_for(patient_client, reverse("diary:progress_json"))
    assert cached < rendered
    for response in (first, second):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("name", ["diary:home", "diary:progress", "diary:calendar", "diary:sessions", "profile"])
def test_every_signed_in_page_is_private_and_not_stored_cached_or_not(patient_client, name):
    for _ in range(2):  # rendered, then from the page cache
        patient_client.cookies.pop("messages", None)
        response = patient_client.get(reverse(name))
        assert response.status_code == 200
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives


def test_the_clinician_s_pages_are_private_and_not_stored(client, clinician, patient, frozen):
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    for url in (reverse("clinic:worklist"), reverse("clinic:patient", args=[patient.pk])):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_visitor_s_guide_page_may_be_kept(client):
    response = client.get(reverse("education:guide"))
    assert "no-store" not in response.get("Cache-Control", "")
