"""Bad input, property-tested: never a server error, always a clear message, nothing half-saved."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.models import ClinicianNote, Share
from diary.csvio import HEADER
from diary.models import Attack, AttackMedicine, HeadacheFreeDay, MidasAnswer, SideEffectReport, TreatmentSession
from tests.diary.factories import attack, session

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# Anything a browser or a script could send in a form field.
junk = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["", " ", "\x00", "=cmd|' /C calc'!A0", "+1", "@SUM(1)", "-1", "'; DROP TABLE diary_attack; --"]),
)


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Each test sends all its examples from one account in one frozen hour: these tests are about
    input, and the rate limits have their own (tests/security/test_limits.py)."""
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, 10**6)


def counts():
    return tuple(
        model.objects.count()
        for model in (
            Attack,
            AttackMedicine,
            HeadacheFreeDay,
            TreatmentSession,
            SideEffectReport,
            MidasAnswer,
            ClinicianNote,
            Share,
        )
    )


def post_and_check(client, url, data, **kwargs):
    before = counts()
    response = client.post(url, data, **kwargs)
    assert response.status_code < 500
    if response.status_code != 302:
        # Refused: the page says why, and nothing was saved.
        assert response.status_code in (200, 400, 403, 404, 405, 413, 429)
        assert counts() == before
    return response


@PROPERTY
@given(
    data=st.fixed_dictionaries(
        {
            "when": st.one_of(st.sampled_from(["now", "1h", "other"]), junk),
            "start_date": junk,
            "start_time": st.one_of(st.sampled_from(["00:00", "23:59", "01:30", "25:00"]), junk),
            "duration_choice": st.one_of(st.sampled_from(["ongoing", "60", "exact"]), junk),
            "duration_minutes": junk,
            "severity": st.one_of(st.sampled_from(["1", "2", "3"]), junk),
            "nausea": junk,
            "medicines": junk,
            "other_medicine_name": junk,
            "other_medicine_class": st.one_of(st.sampled_from(["triptan", ""]), junk),
            "notes": junk,
        }
    )
)
def test_the_headache_form_survives_anything(patient_client, data):
    response = post_and_check(patient_client, reverse("diary:headache_new"), data)
    if response.status_code == 200:
        assert "is-invalid" in response.text or "alert-danger" in response.text or "invalid-feedback" in response.text


@PROPERTY
@given(data=st.fixed_dictionaries({"date": junk, "units": junk, "sites": junk, "given_by": junk, "notes": junk}))
def test_the_session_form_survives_anything(patient_client, data):
    response = post_and_check(patient_client, reverse("diary:session_new"), data)
    if response.status_code == 200:
        assert response.context["form"].errors


@pytest.fixture
def treatment(patient):
    return session(patient, "2026-10-01")


@PROPERTY
@given(data=st.fixed_dictionaries({"effect": junk, "severity": junk, "started_on": junk, "notes": junk}))
def test_the_side_effect_form_survives_anything(patient_client, treatment, data):
    response = post_and_check(patient_client, reverse("diary:session_side_effects", args=[treatment.pk]), data)
    if response.status_code == 200:
        assert response.context["form"].errors


@PROPERTY
@given(data=st.fixed_dictionaries({"dates": st.lists(junk, max_size=5), "next": junk}))
def test_marking_days_survives_anything(patient_client, data):
    post_and_check(patient_client, reverse("diary:headache_free_mark"), data, follow=False)


@PROPERTY
@given(content=st.binary(max_size=2000))
def test_the_import_survives_any_bytes(patient_client, content):
    response = post_and_check(
        patient_client, reverse("diary:import"), {"file": SimpleUploadedFile("x.csv", content, content_type="text/csv")}
    )
    assert response.status_code == 200
    assert response.context["errors"]


cell = st.one_of(junk, st.sampled_from(["headache", "headache_free", "treatment_session", "mild", "1", "0", "08:30"]))


@PROPERTY
@given(rows=st.lists(st.lists(cell, min_size=15, max_size=19), min_size=1, max_size=5))
def test_the_import_survives_any_csv(patient_client, rows):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    upload = SimpleUploadedFile("x.csv", buffer.getvalue().encode("utf-8", "surrogatepass"), content_type="text/csv")
    post_and_check(patient_client, reverse("diary:import"), {"file": upload})


QUERY_URLS = [
    "/learn/search/",
    "/diary/",
    "/diary/calendar/",
    "/diary/headaches/new/",
    "/diary/progress/",
    "/diary/progress.json",
    "/diary/report/",
    "/diary/import/",
    "/accounts/2fa/",
    "/accounts/login/",
]


@PROPERTY
@given(
    url=st.sampled_from(QUERY_URLS),
    params=st.dictionaries(st.sampled_from(["q", "month", "date", "page", "flag", "next", "x"]), junk, max_size=4),
)
def test_every_query_parameter_survives_anything(patient_client, url, params):
    response = patient_client.get(url, params)
    assert response.status_code < 500


@PROPERTY
@given(params=st.dictionaries(st.sampled_from(["q", "flag", "page"]), junk, max_size=3))
def test_the_worklist_s_query_parameters_survive_anything(client, clinician, params):
    client.force_login(clinician)
    assert client.get("/clinic/", params).status_code == 200


@PROPERTY
@given(day=junk)
def test_a_day_page_survives_any_date(patient_client, day):
    url = "/diary/days/" + "".join(ch for ch in day if ch not in "/?#%\\\x00") + "/"
    assert patient_client.get(url).status_code in (200, 404)


def test_a_50_mb_upload_is_refused_with_a_message(patient_client, patient):
    before = counts()
    big = SimpleUploadedFile("big.csv", b",".join([b"x"] * (25 * 1024 * 1024)), content_type="text/csv")
    response = patient_client.post(reverse("diary:import"), {"file": big})
    assert response.status_code == 413  # unread: tests/security/test_limits.py
    assert "CSV files of 2 MB or less" in response.text
    assert counts() == before


def test_dates_far_in_the_past_are_refused_with_a_message(patient_client, patient):
    response = post_and_check(
        patient_client,
        reverse("diary:headache_new"),
        {"when": "other", "start_date": "0001-01-01", "start_time": "00:00", "duration_choice": "60", "severity": "2"},
    )
    assert "Dates before 1 January 2000 are not accepted" in response.text


def test_a_formula_in_notes_is_kept_but_exported_harmlessly(patient_client, patient):
    attack(patient, "2026-10-02", notes="=cmd|' /C calc'!A0")
    assert Attack.objects.get().notes == "=cmd|' /C calc'!A0"
    exported = patient_client.get(reverse("diary:export")).content.decode()
    assert "'=cmd|' /C calc'!A0" in exported
    for line in exported.splitlines()[1:]:
        for value in line.split(","):
            assert not value.startswith(("=", "+", "@")) or value.startswith("'")
