"""The shared cache (CACHE_URL=redis://..., as .ci/run and production run): what one worker does,
every other sees.

A "worker" here is a test client; "another worker's cache" is a second RedisCache made from the
same settings with its own connection pool, as another gunicorn process would have. With local
memory these tests would prove nothing (one process, one memory), so they are skipped then.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import PatientProfile
from accounts.sessions import SessionStore
from core import ratelimit
from core.cache import RedisCache
from diary import progress_cache, services
from tests.conftest import NOW, PASSWORD
from tests.diary.factories import attack, headache_free, session, side_effect

pytestmark = pytest.mark.skipif(
    not settings.SHARED_CACHE,
    reason="CACHE_URL is not redis://: these tests need the shared cache (.ci/run sets "
    "CACHE_URL=redis://127.0.0.1:6379/15; run with it to include them)",
)


@pytest.fixture
def other_worker():
    """The default cache as another process opens it: the same settings, its own connections."""
    config = settings.CACHES["default"]
    worker = RedisCache(config["LOCATION"], {key: value for key, value in config.items() if key != "LOCATION"})
    yield worker
    worker.close()


def test_the_tests_run_on_redis():
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.RedisCache"
    assert settings.SESSION_ENGINE == "accounts.sessions"  # cached_db: sessions are read from Redis


def test_a_session_signed_out_in_one_worker_is_refused_by_another(patient, other_worker):
    first = Client()
    assert first.post(reverse("login"), {"username": patient.username, "password": PASSWORD}).status_code == 302
    session_key = first.cookies[settings.SESSION_COOKIE_NAME].value
    second = Client()  # the same browser's next request, answered by another worker
    second.cookies[settings.SESSION_COOKIE_NAME] = session_key
    assert second.get(reverse("diary:home")).status_code == 200
    stored = SessionStore(session_key=session_key).cache_key
    assert other_worker.get(stored) is not None  # the session is in Redis, for any process to read
    with CaptureQueriesContext(connection) as queries:
        assert second.get(reverse("diary:home")).status_code == 200
    assert not any("accounts_usersession" in query["sql"] for query in queries)  # read from Redis, not the database
    assert first.post(reverse("logout")).status_code == 302
    assert other_worker.get(stored) is None
    refused = second.get(reverse("diary:home"))
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("login"))


def test_rate_limit_counts_are_shared_by_workers(patient_client, patient, other_worker, settings, monkeypatch):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": 3}
    other = Client()
    other.force_login(patient)
    assert patient_client.get(reverse("diary:export")).status_code == 200
    assert other.get(reverse("diary:export")).status_code == 200
    # A third request counted by another process's cache: the count it sees is the same.
    monkeypatch.setattr(ratelimit, "cache", other_worker)
    limit, window = settings.RATE_LIMITS["export"], settings.RATE_LIMIT_WINDOW_SECONDS
    assert ratelimit.retry_after("export", f"user:{patient.pk}", limit, window) is None
    monkeypatch.undo()
    assert patient_client.get(reverse("diary:export")).status_code == 429
    assert other.get(reverse("diary:export")).status_code == 429


def test_a_patient_s_progress_round_trips_through_redis(patient, other_worker, frozen):
    PatientProfile.objects.create(user=patient)
    first = session(patient, "2023-10-01")
    for year in (2024, 2025, 2026):
        session(patient, f"{year}-01-10")
    side_effect(patient, first, effect="neck_pain", started_on="2023-10-03")
    for day in range(0, 3 * 365, 3):
        attack(patient, dt.date(2023, 10, 2) + dt.timedelta(days=day), medicines=[("triptan", "sumatriptan")])
    headache_free(patient, "2026-10-13", "2026-10-14")
    attack(patient, "2026-10-15", time="11:00", minutes=None)  # still going: grows with the clock
    profile = PatientProfile.objects.get(user=patient)
    made = progress_cache.load(patient, NOW, profile)
    assert made == services.load_progress(patient, now=NOW, profile=profile)
    key = progress_cache.key(patient.pk, profile.diary_version, made.progress.today, NOW)
    stored = other_worker.get(key)  # pickled into Redis by this worker, read by another
    assert stored is not None and stored.profile is None
    assert stored.progress == made.progress and stored.attacks == made.attacks
    assert stored.sessions == made.sessions and stored.side_effect_reports == made.side_effect_reports
    assert progress_cache.load(patient, NOW, profile) == made


def test_a_worker_keeps_one_redis_client_per_pool():
    """Django's client makes a new redis.Redis (and its table of callbacks) for every call."""
    client = cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client()  # one server: one pool
    cache.set("kept", 1)
    assert cache.get("kept") == 1


def pages_served(client, url):
    client.cookies.pop("messages", None)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.text, len(queries)


def test_a_page_served_again_comes_from_the_worker_s_memory_and_never_stale(patient_client, patient, other_worker):
    session(patient, "2026-10-01")
    patient_client.get(reverse("diary:home"))  # the CSRF cookie: signed-in pages are stored from now on
    rendered, rendering = pages_served(patient_client, reverse("diary:progress"))
    local = caches["pages"]
    stored = [key for key in local._cache if ":page:" in key]
    assert len(stored) == 1  # kept in this worker's memory, under the same key as in Redis
    page_key = stored[0].split(":", 2)[2]
    assert other_worker.get(page_key) is not None
    cache.delete(page_key)  # Redis forgets it (evicted, say)
    again, serving = pages_served(patient_client, reverse("diary:progress"))
    assert (again, serving) == (rendered, 1) and serving < rendering  # only the user: from memory
    attack(patient, "2026-10-14", severity=3)  # the diary changes: the key's version moves on
    services.diary_changed(patient)
    changed, count = pages_served(patient_client, reverse("diary:progress"))
    # Rendered again: as the first time, less the queries of the three features this diary holds
    # no row of (period days, check-ins, other preventives), which the write's flags now skip
    assert count == rendering - 3 and changed != rendered


def test_a_page_another_worker_stored_is_served_from_redis_and_kept(patient_client, patient):
    session(patient, "2026-10-01")
    patient_client.get(reverse("diary:home"))
    rendered, rendering = pages_served(patient_client, reverse("diary:progress"))
    caches["pages"].clear()  # this worker never saw it: another one rendered it
    again, serving = pages_served(patient_client, reverse("diary:progress"))
    assert again == rendered and serving < rendering
    assert any(":page:" in key for key in caches["pages"]._cache)
