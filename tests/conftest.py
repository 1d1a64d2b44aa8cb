"""Standing users for every test: a patient, a second patient (the stranger), a clinician,
an education editor and a superuser."""

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.test import override_settings

from accounts.roles import assign_role

PASSWORD = "correct-horse-battery-staple"

# A fixed "now" for diary tests: Thursday 15 October 2026, 13:00 in London (12:00 UTC, BST).
NOW = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 10, 15)


def make_user(email, role="patient", **extra):
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD, **extra)
    assign_role(user, role)
    return user


@pytest.fixture
def patient(db):
    return make_user("alice@example.com", first_name="Alice", last_name="Ashworth")


@pytest.fixture
def other_patient(db):
    return make_user("bob@example.com", first_name="Bob", last_name="Barnes")


@pytest.fixture
def clinician(db):
    return make_user("dr.carter@example.com", role="clinician", first_name="Chris", last_name="Carter")


@pytest.fixture
def editor(db):
    return make_user("editor@example.com", role="editor", first_name="Eve", last_name="Editor")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        username="root@example.com", email="root@example.com", password=PASSWORD
    )


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def patient_client(client, patient, frozen):
    client.force_login(patient)
    return client


EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Notes that tests write into diaries: none may reach a log.
SENSITIVE_TEXTS = ["After a long shift", "Private note", "Started at a party", "First session", "Discussed sleep"]


@pytest.fixture(autouse=True)
def no_personal_data_in_logs(caplog):
    """Every test: whatever the app logs at the production level (INFO) holds no email and no note."""
    caplog.set_level(logging.INFO)
    yield
    for record in caplog.records:
        if record.name.startswith("django.db.backends"):
            continue
        message = record.getMessage()
        assert not EMAIL.search(message), f"an email address in a log: {record.name}: {message}"
        for text in SENSITIVE_TEXTS:
            assert text not in message, f"diary text in a log: {record.name}"


def pytest_collection_modifyitems(items):
    """Tests that flush the database (transaction=True) run last, after every test that needs the
    rows the migrations made (the guide, the groups). pytest-django orders tests by the fixtures it
    sees at collection; this keeps the order even for tests that ask for users at run time."""

    def flushes(item):
        marker = item.get_closest_marker("django_db")
        return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))

    items.sort(key=flushes)


# What a test that moves the clock (time_machine) is given instead of Redis.
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": "md"}}


@pytest.fixture(autouse=True)
def fresh_page_cache(request):
    """Each test starts and ends with an empty cache (pages, computed progress, sessions, rate-limit
    counts): the worker's memory or, with CACHE_URL=redis://..., the tests' Redis database (FLUSHDB).

    A test that moves the clock by days (the time_machine fixture) is given local memory instead:
    Redis expires keys by its own clock, which time_machine cannot move, so a session idle for 15
    days of the test's clock would live on there (as it rightly does not on a real clock)."""
    if settings.SHARED_CACHE and "time_machine" in request.fixturenames:
        with override_settings(CACHES=LOCAL_CACHE):
            cache.clear()
            yield
            cache.clear()
        return
    _clear()
    yield
    _clear()


def _clear():
    cache.clear()
    if "pages" in settings.CACHES:  # each worker's own memory of pages, in front of Redis
        caches["pages"].clear()
