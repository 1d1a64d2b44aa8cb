"""`manage.py refresh_summaries`: the cron job that remakes stale worklist summaries in bounded batches."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from accounts.models import PatientProfile
from diary import summaries
from diary.models import PatientSummary
from tests.conftest import NOW, TODAY, make_user
from tests.diary.factories import attack, headache_free, session

MARKER = {**summaries.NOTHING_KNOWN, "flags": ["left alone"]}


def patients(count, time_zone="Europe/London"):
    made = []
    for index in range(count):
        user = make_user(f"p{index}-{time_zone.replace('/', '-').lower()}@example.com")
        PatientProfile.objects.create(user=user, time_zone=time_zone)
        session(user, "2026-09-01")
        attack(user, "2026-10-10")
        headache_free(user, "2026-10-11")
        made.append(user)
    return made


def refresh(*args):
    out = io.StringIO()
    call_command("refresh_summaries", *args, stdout=out)
    return out.getvalue()


def current(patient):
    summary = PatientSummary.objects.get(patient=patient)
    profile = PatientProfile.objects.get(user=patient)
    return summary.diary_version == profile.diary_version and summary.computed_for == TODAY


@pytest.fixture
def five(db, frozen):
    return patients(5)


def test_it_makes_every_missing_summary_in_batches_of_a_fixed_number_of_queries(five):
    now = NOW
    stale = summaries.stale_profiles(now)  # one query: the time zones in use
    counts, queries = [], []
    batches = summaries.batches(2, now=now, profiles=stale)
    while True:
        with CaptureQueriesContext(connection) as captured:
            try:
                counts.append(next(batches))
            except StopIteration:
                break
        queries.append(len(captured))
    assert counts == [2, 2, 1]
    # Each batch: 1 the next stale profiles (by patient id), then remake(): 2 attacks with
    # medicines, 3 headache-free marks, 4 sessions, 5 side effects, 6 one upsert. The last batch is
    # short, so nothing more is asked.
    assert queries == [6, 6, 6]
    assert PatientSummary.objects.count() == 5
    assert all(current(patient) for patient in five)
    data = PatientSummary.objects.get(patient=five[0]).data
    assert (data["cycle_number"], data["headache_days"]) == (1, 1)


def test_the_command_counts_and_times_its_work(five, django_assert_num_queries):
    # 1 the time zones in use, then 3 batches of 6 (2, 2 and 1 patients).
    with django_assert_num_queries(1 + 3 * 6):
        output = refresh("--batch-size", "2")
    assert output.startswith("Remade 5 summaries in ")
    assert output.rstrip().endswith(" s.")


def test_a_full_last_batch_asks_once_more_and_finds_nothing(db, frozen, django_assert_num_queries):
    patients(4)
    # 1 the time zones, 2 batches of 6, 1 the third batch's profiles: none.
    with django_assert_num_queries(1 + 2 * 6 + 1):
        assert refresh("--batch-size", "2").startswith("Remade 4 summaries")


def test_it_is_idempotent(five, django_assert_num_queries):
    refresh("--batch-size", "2")
    remade = list(PatientSummary.objects.order_by("pk").values())
    with django_assert_num_queries(2):  # the time zones, the first batch's profiles: none
        assert refresh("--batch-size", "2").startswith("Remade 0 summaries")
    assert list(PatientSummary.objects.order_by("pk").values()) == remade


def test_it_leaves_fresh_summaries_alone_and_remakes_the_stale_ones(db, frozen):
    london = patients(3)
    auckland = patients(2, "Pacific/Auckland")  # 13:00 in London is 01:00 on the 16th there
    summaries.remake(PatientProfile.objects.all(), now=NOW - dt.timedelta(hours=2))  # made for the 15th
    PatientSummary.objects.update(data=MARKER)
    missing, behind, fresh = london
    PatientSummary.objects.filter(patient=missing).delete()
    PatientProfile.objects.filter(user=behind).update(diary_version=F("diary_version") + 1)  # the profile page
    assert refresh().startswith("Remade 4 summaries")  # missing, behind, and both of Auckland's (a new day there)
    assert PatientSummary.objects.get(patient=fresh).data == MARKER  # the 15th in London: still today
    for patient in (missing, behind, *auckland):
        summary = PatientSummary.objects.get(patient=patient)
        assert summary.data != MARKER
        assert summary.diary_version == PatientProfile.objects.get(user=patient).diary_version
    assert [PatientSummary.objects.get(patient=p).computed_for for p in auckland] == [dt.date(2026, 10, 16)] * 2


def test_a_summary_from_before_versions_were_kept_is_stale(db, frozen):
    [patient] = patients(1)
    summaries.remake(PatientProfile.objects.all())
    PatientSummary.objects.update(diary_version=None)  # as migration 0012 leaves older summaries
    assert refresh().startswith("Remade 1 summary in ")
    assert PatientSummary.objects.get(patient=patient).diary_version == 0


def test_the_batch_size_must_be_positive(db):
    with pytest.raises(CommandError, match="at least 1"):
        refresh("--batch-size", "0")
