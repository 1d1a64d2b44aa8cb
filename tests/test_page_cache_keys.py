"""Issue #13: the page cache cannot be bypassed with made-up query parameters, and cached pages keep
their headers; every signed-in page says `Cache-Control: private, no-store`."""

import dataclasses
import datetime as dt
import pickle
from fractions import Fraction

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import PatientProfile
from accounts.profiles import clinic_version, raise_version
from accounts.views import delete_account_and_records
from clinic import pages as clinic_pages
from clinic import services as clinic_services
from clinic.models import ClinicianProfile, Share
from core import theme as core_theme
from diary import pages as diary_pages
from diary import progress_cache, services, summaries
from diary.models import MidasAnswer
from education import pages as education_pages
from education.models import Section
from tests.conftest import NOW, TODAY, make_user
from tests.diary.factories import attack, headache_free, session, side_effect


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


# ------------------------------------------------------------------ every part of every cache key
#
# Each case renders a page (or computes a patient's progress) once, shows that asking again in
# the same situation is served from the cache (so the case can fail), then changes one part of the
# situation alone and checks that the other situation's entry is not served: a key without that
# part fails here. The pages are counting views under the real decorators, so that "rendered
# anew" is seen whatever the page shows.

SECRET = "a" * 32  # a CSRF secret as the middleware reads it from the cookie
OTHER_SECRET = "b" * 32
AT = dt.datetime(2026, 10, 15, 12, 5, tzinfo=dt.UTC)  # 13:05 in London, inside a quarter hour


def counting_view(name="page"):
    def view(request, *args, **kwargs):
        view.calls += 1
        return HttpResponse(f"rendered {view.calls}")

    view.calls = 0
    view.__name__ = view.__qualname__ = name
    return view


def get(path="/page/", data=None, *, user=None, now=AT, theme=None, csrf=SECRET, **attributes):
    request = RequestFactory().get(path, data or {})
    request.user = user if user is not None else AnonymousUser()
    request.session = {}
    request.now = now
    if theme is not None:
        request.COOKIES[core_theme.COOKIE_NAME] = theme
    if csrf is not None:
        request.META["CSRF_COOKIE"] = csrf
    for name, value in attributes.items():
        setattr(request, name, value)
    return request


def assert_part_is_in_the_key(page, base, variant):
    """`base()` and `variant()` make requests alike but for one part of the key."""
    assert page(base()).content == b"rendered 1"
    assert page(base()).content == b"rendered 1"  # from the cache: without the part, variant() would be too
    assert page(variant()).content == b"rendered 2"
    assert page(variant()).content == b"rendered 2"


# A patient's own pages (diary.pages.patient_page).


@pytest.fixture
def patient_page(patient, other_patient):
    profile = PatientProfile(user=patient, diary_version=3)

    def request(path="/diary/page/", data=None, *, user=patient, version=3, today=TODAY, **options):
        profile.diary_version = version
        return get(path, data, user=user, profile=profile, today=today, **options)

    return request


PATIENT_PAGE_PARTS = {
    "user": {"user": "other_patient"},
    "diary_version": {"version": 4},
    "today": {"today": TODAY + dt.timedelta(days=1)},
    "quarter hour": {"now": AT + dt.timedelta(minutes=15)},
    "theme": {"theme": "dark"},
    "address": {"path": "/diary/other/"},
    "known query parameter": {"data": {"month": "2026-09"}},
    "CSRF secret": {"csrf": OTHER_SECRET},
}


@pytest.mark.parametrize("part", PATIENT_PAGE_PARTS)
def test_every_part_of_a_patient_page_s_key_keeps_pages_apart(patient_page, other_patient, part):
    change = dict(PATIENT_PAGE_PARTS[part])
    if change.get("user") == "other_patient":
        change["user"] = other_patient
    page = diary_pages.patient_page(counting_view(), query=("month",))
    assert_part_is_in_the_key(
        page,
        lambda: patient_page(data={"month": "2026-10"}),
        lambda: patient_page(**{"data": {"month": "2026-10"}, **change}),
    )


def test_two_views_of_the_same_name_in_two_modules_do_not_share_pages(patient_page):
    first, second = counting_view("report"), counting_view("report")
    second.__module__ = "clinic.somewhere_else"
    first_page, second_page = diary_pages.patient_page(first), diary_pages.patient_page(second)
    assert first_page(patient_page()).content == b"rendered 1"
    assert first_page(patient_page()).content == b"rendered 1"
    assert second_page(patient_page()).content == b"rendered 1"
    assert (first.calls, second.calls) == (1, 1)


def test_a_signed_in_page_for_a_browser_without_a_csrf_secret_is_never_stored(patient_page):
    """Its forms carry tokens of the secret this response's cookie hands out: another browser
    without a cookie must not be given them (its form would be refused)."""
    page = diary_pages.patient_page(counting_view())
    assert page(patient_page(csrf=None)).content == b"rendered 1"
    assert page(patient_page(csrf=None)).content == b"rendered 2"
    replaced = patient_page()  # a cookie the middleware found malformed and is replacing
    replaced.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert page(replaced).content == b"rendered 3"
    assert page(patient_page()).content == b"rendered 4"
    assert page(patient_page()).content == b"rendered 4"


# A shared patient's pages for a clinician (clinic.pages.clinic_patient_page).


@pytest.fixture
def clinic_patient_page(patient, other_patient, clinician):
    def request(path="/clinic/patients/1/", *, user=clinician, shared=patient, version=3, zone="Europe/London", **kw):
        profile = PatientProfile(user=shared, diary_version=version, time_zone=zone)
        return get(path, user=user, patient=shared, profile=profile, **kw)

    return request


CLINIC_PATIENT_PAGE_PARTS = {
    "clinician": {"user": "other_clinician"},
    "patient": {"shared": "other_patient"},
    "patient's diary_version": {"version": 4},
    # 12:05 UTC is 02:05 the next day in Kiritimati (UTC+14): the same instant, another date.
    "patient's today": {"zone": "Pacific/Kiritimati"},
    "quarter hour": {"now": AT + dt.timedelta(minutes=15)},
    "theme": {"theme": "dark"},
    "address": {"path": "/clinic/patients/1/other/"},
    "CSRF secret": {"csrf": OTHER_SECRET},
}


@pytest.mark.parametrize("part", CLINIC_PATIENT_PAGE_PARTS)
def test_every_part_of_a_clinic_patient_page_s_key_keeps_pages_apart(clinic_patient_page, other_patient, part):
    change = dict(CLINIC_PATIENT_PAGE_PARTS[part])
    if change.get("user") == "other_clinician":
        change["user"] = make_user("dr.other@example.com", role="clinician")
    if change.get("shared") == "other_patient":
        change["shared"] = other_patient
    page = clinic_pages.clinic_patient_page(counting_view())
    assert_part_is_in_the_key(page, clinic_patient_page, lambda: clinic_patient_page(**change))


# The clinician's worklist (clinic.pages.worklist_page), keyed by worklist_version().


@pytest.fixture
def worklist_page(clinician):
    def request(data=None, *, user=clinician, **options):
        return get("/clinic/", data, user=user, **options)

    return request


WORKLIST_PARTS = {
    "clinician": {"user": "other_clinician"},
    "quarter hour": {"now": AT + dt.timedelta(minutes=15)},
    "theme": {"theme": "dark"},
    "q": {"data": {"q": "Bob"}},
    "flag": {"data": {"flag": "overuse"}},
    "page": {"data": {"page": "2"}},
    "CSRF secret": {"csrf": OTHER_SECRET},
}


@pytest.mark.parametrize("part", WORKLIST_PARTS)
def test_every_part_of_the_worklist_s_key_keeps_pages_apart(worklist_page, clinician, part):
    change = dict(WORKLIST_PARTS[part])
    if change.get("user") == "other_clinician":
        change["user"] = make_user("dr.other@example.com", role="clinician")
        # No patients yet for either: the same worklist version, only the clinician differs.
        assert clinic_pages.worklist_version(change["user"]) == clinic_pages.worklist_version(clinician)
    page = clinic_pages.worklist_page(counting_view(), query=("q", "flag", "page"))
    assert_part_is_in_the_key(page, worklist_page, lambda: worklist_page(**change))


# Every change a worklist shows raises accounts.ClinicVersion once it commits, and a cached worklist
# is rendered again; reading the version is one query, whatever the number of patients.


def _make_a_share(clinician, patient):
    share_code = ClinicianProfile.objects.get_or_create(user=clinician)[0].share_code
    clinic_services.share_with(patient, share_code)


def _end_a_share(clinician, patient):
    clinic_services.stop_sharing(Share.objects.get(clinician=clinician, patient=patient))


def _change_the_diary(clinician, patient):
    services.mark_headache_free(patient, [TODAY], now=NOW)


def _remake_a_summary(clinician, patient):
    summaries.remake_patient(patient.pk, now=NOW)


def _delete_the_account(clinician, patient):
    delete_account_and_records(patient)


CLINIC_VERSION_CHANGES = {
    "a share made": (_make_a_share, False),
    "a share ended": (_end_a_share, True),
    "a diary changed": (_change_the_diary, True),
    "a summary made again": (_remake_a_summary, True),
    "an account deleted": (_delete_the_account, True),
}


@pytest.mark.parametrize("change", CLINIC_VERSION_CHANGES)
def test_every_change_a_worklist_shows_raises_the_clinic_version_and_renders_it_again(
    worklist_page, clinician, patient, change, django_capture_on_commit_callbacks
):
    make, shared_before = CLINIC_VERSION_CHANGES[change]
    PatientProfile.objects.get_or_create(user=patient)
    if shared_before:
        Share.objects.create(clinician=clinician, patient=patient)
    page = clinic_pages.worklist_page(counting_view())
    assert page(worklist_page()).content == b"rendered 1"
    assert page(worklist_page()).content == b"rendered 1"
    before = clinic_version()
    with django_capture_on_commit_callbacks(execute=True):
        make(clinician, patient)
    assert clinic_version() > before
    assert page(worklist_page()).content == b"rendered 2"


def test_the_clinic_version_is_raised_only_once_the_write_commits(patient, django_capture_on_commit_callbacks):
    before = clinic_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        raise_version(patient.pk)
        assert clinic_version() == before  # not while the write's transaction is open
    for callback in callbacks:
        callback()
    assert clinic_version() == before + 1


@pytest.mark.parametrize("patients", [1, 30])
def test_a_cached_worklist_s_version_is_one_query_whatever_the_number_of_patients(clinician, patients):
    for n in range(patients):
        Share.objects.create(clinician=clinician, patient=make_user(f"p{n}@example.com"))
    with CaptureQueriesContext(connection) as reading:
        clinic_pages.worklist_version(clinician)
    assert len(reading) == 1 and "clinic_share" not in reading[0]["sql"]


# Visitors' pages (education.pages.public_page): the guide's version, the theme, the address.


@pytest.mark.parametrize(
    "part",
    [
        "guide version",
        "theme",
        "address",
        "known query parameter",
    ],
)
@pytest.mark.django_db
def test_every_part_of_a_public_page_s_key_keeps_pages_apart(part):
    page = education_pages.public_page(counting_view(), query=("q",))
    base = {"path": "/learn/x/", "data": {"q": "neck"}, "csrf": None}
    variants = {
        "theme": {**base, "theme": "dark"},
        "address": {**base, "path": "/learn/y/"},
        "known query parameter": {**base, "data": {"q": "sleep"}},
        "guide version": base,
    }
    assert page(get(**base)).content == b"rendered 1"
    assert page(get(**base)).content == b"rendered 1"
    if part == "guide version":
        section = Section.objects.first()
        section.body += " Edited."
        section.save()
    assert page(get(**variants[part])).content == b"rendered 2"


# A patient's computed progress (diary.progress_cache).


@pytest.fixture
def computations(monkeypatch):
    """The calls to services.load_progress (the computation the cache saves)."""
    calls = []
    real = services.load_progress

    def counted(patient, now=None, profile=None):
        calls.append(patient.pk)
        return real(patient, now=now, profile=profile)

    monkeypatch.setattr(services, "load_progress", counted)
    return calls


@pytest.fixture
def diaries(patient, other_patient):
    for who, day in ((patient, "2026-10-05"), (other_patient, "2026-10-06")):
        PatientProfile.objects.create(user=who)
        session(who, "2026-09-01")
        attack(who, day)
    return {user.pk: PatientProfile.objects.get(user=user) for user in (patient, other_patient)}


def test_every_part_of_the_progress_key_keeps_figures_apart(
    patient, other_patient, diaries, computations, settings, monkeypatch
):
    alice, bob = diaries[patient.pk], diaries[other_patient.pk]
    assert alice.diary_version == bob.diary_version  # only the patient tells them apart below

    def load(who=patient, profile=None, now=AT):
        profile = profile or PatientProfile.objects.get(user=who)
        return progress_cache.load(who, now, profile)

    first = load()
    assert load().attacks == first.attacks and computations == [patient.pk]  # from the cache
    # The patient: the same version, date and quarter hour, another diary.
    assert [a.start_date for a in load(other_patient).attacks] == [dt.date(2026, 10, 6)]
    assert computations == [patient.pk, other_patient.pk]
    # The diary version.
    raise_version(patient.pk)
    load()
    assert len(computations) == 3
    # The patient's today: the same instant, another date (02:05 tomorrow in Kiritimati).
    profile = PatientProfile.objects.get(user=patient)
    profile.time_zone = "Pacific/Kiritimati"
    assert load(profile=profile).progress.today == TODAY + dt.timedelta(days=1)
    assert len(computations) == 4
    # The quarter hour: the same date, 15 minutes on.
    load(now=AT + dt.timedelta(minutes=15))
    assert len(computations) == 5
    load(now=AT + dt.timedelta(minutes=9))  # 12:14: the same quarter hour as 12:05
    assert len(computations) == 5
    # The clinical rules in settings.
    settings.DIARY_RULES = {**settings.DIARY_RULES, "enough_data_per_28": 20}
    load()
    assert len(computations) == 6
    # The code that makes the figures (another deploy).
    with monkeypatch.context() as deploy:
        deploy.setattr(progress_cache, "CODE_DIGEST", "another-deploy")
        load()
    assert len(computations) == 7
    load()
    assert len(computations) == 7  # and each situation's entry is still there


def test_a_changed_threshold_never_serves_old_figures(patient, diaries, settings):
    for day in range(1, 11):
        headache_free(patient, f"2026-09-{day:02d}")
    profile = PatientProfile.objects.get(user=patient)
    before = progress_cache.load(patient, AT, profile).progress.periods[1].enough_data
    settings.DIARY_RULES = {**settings.DIARY_RULES, "enough_data_per_28": 1}
    after = progress_cache.load(patient, AT, profile).progress.periods[1].enough_data
    assert (before, after) == (False, True)


def test_the_cached_progress_pickles_whole_and_holds_no_user(patient, diaries):
    treatment = session(patient, "2026-06-01")
    side_effect(patient, treatment, effect="swallowing_speaking_breathing", started_on="2026-10-14")
    attack(
        patient, "2026-10-07", medicines=[("triptan", "sumatriptan"), ("simple_analgesic", "ibuprofen")], notes="A note"
    )
    headache_free(patient, "2026-10-08")
    midas = dict(missed_work=3, reduced_work=2, missed_household=2, reduced_household=1, missed_social=1)
    MidasAnswer.objects.create(patient=patient, answered_on=TODAY, headache_days=30, average_pain=6, **midas)
    profile = PatientProfile.objects.get(user=patient)
    profile.phone = "+44 20 7946 0000"
    loaded = services.load_progress(patient, now=AT, profile=profile)
    assert loaded.progress.baseline_rate is None or isinstance(loaded.progress.baseline_rate, Fraction)
    stored = pickle.dumps(dataclasses.replace(loaded, profile=None), pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(stored) == dataclasses.replace(loaded, profile=None)  # noqa: S301 (made just above)
    assert patient.password.encode() not in stored and patient.email.encode() not in stored
    # Read back, it carries the profile of the request that reads it: the current phone number.
    progress_cache.load(patient, AT, profile)
    profile.phone = "+44 20 7946 0999"
    again = progress_cache.load(patient, AT, profile)
    assert again.profile.phone == "+44 20 7946 0999"
    assert again.urgent_side_effects and again.progress == loaded.progress
