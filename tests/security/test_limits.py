"""One user cannot slow the site for everyone (#13 item 4): a diary's size is capped, bodies above
the upload limit are refused unread, and the expensive pages answer so many requests an hour."""

import datetime as dt
import io

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.test.client import ClientHandler
from django.urls import reverse

from clinic.models import AccessLogEntry, Share
from diary import csvio
from diary.models import Attack, HeadacheFreeDay, TreatmentSession
from tests.conftest import PASSWORD
from tests.diary.factories import attack

NEW = reverse("diary:headache_new")
IMPORT = reverse("diary:import")
HEADER_LINE = ",".join(csvio.HEADER)


def rows(patient):
    return (
        Attack.objects.filter(patient=patient).count(),
        HeadacheFreeDay.objects.filter(patient=patient).count(),
        TreatmentSession.objects.filter(patient=patient).count(),
    )


def headache_line(day):
    return f"headache,2026-10-{day:02d},08:30,60,mild,0,0,0,0,0,0,0,0,,,,"


def csv_file(*lines):
    text = HEADER_LINE + "\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile("diary.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def full_diary(settings, patient):
    """A diary at its cap (3 here; 20,000 by default)."""
    settings.DIARY_MAX_ATTACKS = 3
    for day in (1, 2, 3):
        attack(patient, f"2026-10-0{day}")
    return patient


# ---------------------------------------------------------------- the cap on a diary's size


def test_the_cap_is_twenty_thousand_headaches_by_default():
    assert django_settings.DIARY_MAX_ATTACKS == 20000


def test_logging_a_headache_in_a_full_diary_is_refused_with_a_message(patient_client, full_diary):
    data = {"when": "1h", "duration_choice": "60", "severity": "2", "start_date": "", "start_time": ""}
    response = patient_client.post(NEW, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("diary:home")
    assert "Your diary already has 3 headaches, the most one diary can keep" in response.text
    assert rows(full_diary) == (3, 0, 0)


def test_the_quick_log_in_a_full_diary_is_refused_with_a_message(patient_client, full_diary):
    response = patient_client.post(NEW, {"quick": "now", "severity": "3"}, follow=True)
    assert "the most one diary can keep, so this one was not saved" in response.text
    assert rows(full_diary) == (3, 0, 0)


def test_a_full_diary_s_headaches_can_still_be_changed(patient_client, full_diary):
    first = Attack.objects.filter(patient=full_diary).earliest("start_date")
    data = {
        "when": "other",
        "start_date": "2026-10-01",
        "start_time": "09:00",
        "duration_choice": "exact",
        "duration_minutes": "45",
        "severity": "3",
    }
    response = patient_client.post(reverse("diary:headache_edit", args=[first.pk]), data)
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.duration_minutes, first.severity) == (45, 3)


def test_an_import_that_would_pass_the_cap_saves_nothing(patient_client, settings, patient):
    settings.DIARY_MAX_ATTACKS = 3
    attack(patient, "2026-10-01", time="08:30", minutes=60, severity=1)
    attack(patient, "2026-10-02")
    upload = csv_file(
        headache_line(1),  # already in the diary: skipped
        headache_line(3),
        headache_line(4),
        "headache_free,2026-10-05,,,,,,,,,,,,,,,",
        "treatment_session,2026-10-06,,,,,,,,,,,,,155,31,",
    )
    response = patient_client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert (
        "This file has 2 headaches not yet in your diary, which would take it past 3 headaches, the most one "
        "diary can keep. Nothing was imported." in response.text
    )
    assert rows(patient) == (2, 0, 0)


def test_an_import_up_to_the_cap_is_saved(patient_client, settings, patient):
    settings.DIARY_MAX_ATTACKS = 3
    attack(patient, "2026-10-02")
    response = patient_client.post(IMPORT, {"file": csv_file(headache_line(3), headache_line(4))})
    assert response.status_code == 302
    assert rows(patient) == (3, 0, 0)


# ---------------------------------------------------------------- request bodies


class CountingInput(io.RawIOBase):
    """wsgi.input that counts what is read from it (and has nothing to give)."""

    def __init__(self):
        self.reads = 0

    def read(self, size=-1):
        self.reads += 1
        return b""

    def readline(self, size=-1):
        return self.read(size)


def wsgi_post(path, content_length, cookies=""):
    body = CountingInput()
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(content_length),
        HTTP_COOKIE=cookies,
        **{"wsgi.input": body},
    )
    response = ClientHandler(enforce_csrf_checks=False)(environ)  # Django's handler, as the test client runs it
    return response.status_code, response.content.decode(), body.reads


def test_a_150_mb_upload_is_refused_before_its_body_is_read(patient_client, patient):
    cookie = (
        f"{django_settings.SESSION_COOKIE_NAME}={patient_client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    )
    status, page, reads = wsgi_post(IMPORT, 150 * 1024 * 1024, cookie)
    assert status == 413
    assert reads == 0
    assert "What you sent is larger than this site accepts" in page
    assert rows(patient) == (0, 0, 0)


def test_a_body_within_the_limit_is_read(patient_client, patient):
    cookie = (
        f"{django_settings.SESSION_COOKIE_NAME}={patient_client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    )
    _, _, reads = wsgi_post(IMPORT, 1000, cookie)
    assert reads > 0


def test_the_body_limit_leaves_room_for_a_2_mb_import_and_no_upload_goes_to_disk():
    assert csvio.MAX_BYTES < django_settings.REQUEST_BODY_MAX_BYTES <= csvio.MAX_BYTES + 64 * 1024
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == django_settings.REQUEST_BODY_MAX_BYTES
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE == django_settings.REQUEST_BODY_MAX_BYTES


# ---------------------------------------------------------------- rate limits


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {"import": 2, "export": 2, "data_download": 2, "signup": 2}
    return settings.RATE_LIMITS


def assert_too_many(response, done):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert f"There were 2 {done} in the last hour, the most we allow" in response.text
    assert "Nothing was changed" in response.text


def test_imports_are_limited_per_account_and_the_refused_one_saves_nothing(patient_client, patient, limits):
    for day in (1, 2):
        assert patient_client.post(IMPORT, {"file": csv_file(headache_line(day))}).status_code == 302
    response = patient_client.post(IMPORT, {"file": csv_file(headache_line(3))})
    assert_too_many(response, "imports")
    assert rows(patient) == (2, 0, 0)
    assert patient_client.get(IMPORT).status_code == 200  # the page itself is not counted


def test_the_limit_is_per_account(patient_client, patient, other_patient, limits):
    for day in (1, 2, 3):
        patient_client.post(IMPORT, {"file": csv_file(headache_line(day))})
    other = Client()
    other.force_login(other_patient)
    assert other.post(IMPORT, {"file": csv_file(headache_line(1))}).status_code == 302
    assert rows(other_patient) == (1, 0, 0)


def test_the_count_starts_again_in_the_next_hour(patient_client, patient, limits, frozen):
    for day in (1, 2, 3):
        patient_client.post(IMPORT, {"file": csv_file(headache_line(day))})
    response = patient_client.post(IMPORT, {"file": csv_file(headache_line(4))})
    assert response.status_code == 429
    # Frozen at 12:00:00 UTC: the window ends at 13:00:00.
    assert response["Retry-After"] == "3600"
    assert "You can try again in 60 minutes" in response.text
    frozen.shift(dt.timedelta(hours=1))
    assert patient_client.post(IMPORT, {"file": csv_file(headache_line(4))}).status_code == 302
    assert rows(patient) == (3, 0, 0)


def test_csv_exports_are_limited(patient_client, limits):
    for _ in range(2):
        assert patient_client.get(reverse("diary:export")).status_code == 200
    assert_too_many(patient_client.get(reverse("diary:export")), "diary downloads (CSV)")


def test_a_clinician_s_csv_exports_are_limited_and_the_refused_one_is_not_logged(client, clinician, patient, limits):
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    url = reverse("clinic:patient_export", args=[patient.pk])
    for _ in range(2):
        assert client.get(url).status_code == 200
    assert_too_many(client.get(url), "diary downloads (CSV)")
    assert AccessLogEntry.objects.filter(patient=patient).count() == 2


def test_data_downloads_are_limited(patient_client, limits):
    for _ in range(2):
        assert patient_client.get(reverse("data_download")).status_code == 200
    assert_too_many(patient_client.get(reverse("data_download")), "downloads of all your data")


def signup_data(email):
    return {"email": email, "password1": PASSWORD, "password2": PASSWORD, "time_zone": "Europe/London"}


@pytest.mark.django_db
def test_sign_ups_are_limited_per_address(limits):
    users = get_user_model().objects
    for number in (1, 2):
        response = Client(REMOTE_ADDR="203.0.113.7").post(reverse("signup"), signup_data(f"new{number}@example.com"))
        assert response.status_code == 302
    assert users.count() == 2
    response = Client(REMOTE_ADDR="203.0.113.7").post(reverse("signup"), signup_data("new3@example.com"))
    assert_too_many(response, "new accounts from your network")
    assert users.count() == 2
    # Another address is counted on its own; the sign-up page itself is never refused.
    assert Client(REMOTE_ADDR="203.0.113.7").get(reverse("signup")).status_code == 200
    response = Client(REMOTE_ADDR="198.51.100.1").post(reverse("signup"), signup_data("new3@example.com"))
    assert response.status_code == 302
    assert users.count() == 3


def test_the_default_limits():
    assert django_settings.RATE_LIMITS == {"import": 20, "export": 30, "data_download": 10, "signup": 10}
    assert django_settings.RATE_LIMIT_WINDOW_SECONDS == 3600
