"""Error pages leak nothing: no stack trace, no setting, no personal data."""

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path


def crash(request):
    raise RuntimeError("secret detail alice@example.com SECRET_KEY")


def bad_request(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("suspicious detail")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [path("crash/", crash), path("bad/", bad_request), path("fine/", fine)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.security.test_errors")
def test_a_server_error_page_shows_nothing_of_the_error():
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    for leak in ["secret detail", "alice@example.com", "SECRET_KEY", "Traceback", "RuntimeError"]:
        assert leak not in response.text


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.security.test_errors")
def test_a_bad_request_page():
    response = Client().get("/bad/")
    assert response.status_code == 400
    assert "Bad request" in response.text
    assert "suspicious detail" not in response.text


@pytest.mark.django_db
def test_the_not_found_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "/no/such/page/" not in response.text


def test_the_forbidden_page(client, clinician):
    client.force_login(clinician)
    response = client.get("/diary/")
    assert response.status_code == 403
    assert "You do not have access to this page." in response.text
    assert "Only patients have a diary." not in response.text


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_plain_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Please try again" in response.text


def test_logs_hold_no_personal_data(client, patient, caplog):
    """The suite-wide check (tests/conftest.py) in one place: a failed sign-in and a 404 log no email."""
    client.post("/accounts/login/", {"username": "alice@example.com", "password": "wrong"})
    client.force_login(patient)
    client.get("/diary/headaches/999999/edit/")
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "Not Found" in messages or "AXES" in messages  # something was logged...
    assert "alice@example.com" not in messages  # ...and not the email


def test_an_error_page_drawn_before_the_user_is_known_renders(rf):
    """A 400 raised before the authentication middleware (a bad Host, a too-large body) has no request.user."""
    from django.template.loader import render_to_string

    request = rf.get("/")
    assert not hasattr(request, "user")
    html = render_to_string("400.html", request=request)
    assert "does not replace, your clinician's advice" in html
