"""PatientProfile's feature flags (has_period_days, has_checkins, has_preventives).

Every diary write sets them from the rows there (services.rows_written, from diary_changed), and
the progress computation skips the query of a feature the diary holds no row of. They may never
hide a row: after every write the progress is the same as read with every flag on.
"""

import datetime as dt
import threading
import time
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections, transaction

from accounts.models import PatientProfile
from diary import preventives, services, tracking
from diary.models import FactorCheckIn, MenstruationDay, PreventiveCourse
from tests.diary.factories import attack, headache_free, session

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
FLAGS = ("has_period_days", "has_checkins", "has_preventives")


def stored_flags(patient):
    return PatientProfile.objects.values_list(*FLAGS).get(user=patient)


def rows_there(patient):
    """What each flag should say: whether the diary holds any row of its feature."""
    return tuple(
        model.objects.filter(patient=patient).exists() for model in (MenstruationDay, FactorCheckIn, PreventiveCourse)
    )


def progress_as_read(patient, **flags):
    profile = PatientProfile.objects.get(user=patient)
    for flag, value in flags.items():
        setattr(profile, flag, value)
    loaded = services.load_progress(patient, now=NOW, profile=profile)
    return repr(loaded.progress), repr(loaded.preventive_courses)


@pytest.fixture
def diary(patient):
    """Two cycles of a diary (sessions, headaches and marks), with the profile as sign-up makes it."""
    PatientProfile.objects.create(user=patient, time_zone="Europe/London", track_periods=True)
    session(patient, "2026-08-03")
    session(patient, "2026-10-26")
    for day in range(1, 120, 3):
        attack(patient, dt.date(2026, 7, 1) + dt.timedelta(days=day), minutes=180, severity=2)
    headache_free(patient, *((dt.date(2026, 7, 1) + dt.timedelta(days=day)).isoformat() for day in range(2, 120, 3)))
    return patient


def test_a_new_profile_reads_every_feature(patient):
    profile = PatientProfile.objects.create(user=patient)
    assert (profile.has_period_days, profile.has_checkins, profile.has_preventives) == (True, True, True)


def test_every_write_sets_the_flags_from_the_rows_and_no_figure_changes(diary):
    patient = diary
    all_on = dict.fromkeys(FLAGS, True)
    steps = []

    def check(step, expected):
        assert stored_flags(patient) == expected == rows_there(patient), step
        assert progress_as_read(patient) == progress_as_read(patient, **all_on), step
        steps.append(step)

    services.diary_changed(patient)
    check("a write with none of the three", (False, False, False))
    tracking.mark_period_started(patient, dt.date(2026, 10, 1), days=4, now=NOW)
    check("period days marked", (True, False, False))
    tracking.add_factors(patient, ["Stress", "Poor sleep"])
    check("factors listed, no check-in yet", (True, False, False))
    tracking.save_checkin(patient, dt.date(2026, 11, 29), ["Stress"], now=NOW)
    check("a check-in", (True, True, False))
    course = preventives.save_course(
        PreventiveCourse(patient=patient, name="Topiramate", drug_class="antiepileptic", start=dt.date(2026, 1, 5))
    )
    check("another preventive", (True, True, True))
    for day in range(1, 5):
        tracking.unmark_period_day(patient, dt.date(2026, 10, day))
        check(f"period day {day} unmarked", (day < 4, True, True))
    preventives.delete_course(course)
    check("the preventive deleted", (False, True, False))
    tracking.remove_factor(patient.factors.get(name="Stress"))
    check("a factor removed (its check-ins are kept)", (False, True, False))
    tracking.mark_period_day(patient, dt.date(2026, 11, 2), now=NOW)
    tracking.set_track_periods(patient, False)
    check("periods not tracked: the day is kept, and not counted", (True, True, False))
    assert len(steps) == 12


def test_a_feature_with_no_rows_costs_no_query(diary, django_assert_num_queries):
    patient = diary
    # attacks, marks, sessions, side-effect reports, MIDAS answers; then preventives, period days, check-ins
    profile = PatientProfile.objects.get(user=patient)
    with django_assert_num_queries(8):
        services.load_progress(patient, now=NOW, profile=profile)
    services.diary_changed(patient)
    profile = PatientProfile.objects.get(user=patient)
    with django_assert_num_queries(5):
        services.load_progress(patient, now=NOW, profile=profile)
    tracking.mark_period_day(patient, dt.date(2026, 11, 2), now=NOW)
    profile = PatientProfile.objects.get(user=patient)
    with django_assert_num_queries(6):
        loaded = services.load_progress(patient, now=NOW, profile=profile)
    assert progress_as_read(patient) == progress_as_read(patient, **dict.fromkeys(FLAGS, True))
    assert repr(loaded.progress) == progress_as_read(patient)[0]


def test_the_migration_sets_each_profiles_flags_from_its_rows(diary, other_patient):
    patient = diary
    PatientProfile.objects.create(user=other_patient)
    tracking.mark_period_day(patient, dt.date(2026, 11, 2), now=NOW)  # and sets the flags: undone below
    FactorCheckIn.objects.create(patient=other_patient, date=dt.date(2026, 11, 1), listed=["Stress"], present=[])
    PreventiveCourse.objects.create(
        patient=other_patient, name="Propranolol", drug_class="beta_blocker", start=dt.date(2025, 3, 1)
    )
    PatientProfile.objects.filter(user=patient).update(has_period_days=False, has_checkins=True, has_preventives=True)
    PatientProfile.objects.filter(user=other_patient).update(has_period_days=True, has_checkins=False)
    import_module("diary.migrations.0014_feature_flags").set_flags(apps, None)
    assert stored_flags(patient) == rows_there(patient) == (True, False, False)
    assert stored_flags(other_patient) == rows_there(other_patient) == (False, True, True)


@pytest.mark.django_db
def test_the_demo_data_sets_the_flags_it_loads_in_bulk():
    call_command("seed_demo", patients=2, years=1, stdout=StringIO())
    for user in get_user_model().objects.filter(patient_profile__isnull=False):
        assert stored_flags(user) == rows_there(user), user.username
    demo = get_user_model().objects.get(username="patient@example.com")
    assert stored_flags(demo) == (True, True, True)
    assert stored_flags(get_user_model().objects.get(username="demo-patient-001@example.com")) == (False, False, False)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's row-level concurrency")
def test_of_two_writes_at_once_the_last_to_commit_sets_the_flags_from_both(patient):
    """A marks a period day and holds its transaction open; B's write starts meanwhile and waits
    for A's lock on the profile. B's flags are read after A commits, so they see A's day. (Read in
    the same statement as the version's raise, they would come from B's snapshot, taken before A
    committed: has_period_days False beside a period day.)"""
    PatientProfile.objects.create(user=patient, track_periods=True)
    services.diary_changed(patient)
    assert stored_flags(patient) == (False, False, False)
    a_wrote, release_a = threading.Event(), threading.Event()
    failures = []

    def write_a():
        try:
            with transaction.atomic():
                MenstruationDay.objects.create(patient_id=patient.pk, date=dt.date(2026, 11, 2))
                services.rows_written(patient.pk)
                a_wrote.set()
                assert release_a.wait(30), "B never waited for A's lock"
        except Exception as error:  # noqa: BLE001 (reported below)
            failures.append(error)
            a_wrote.set()
        finally:
            connections.close_all()

    def write_b():
        try:
            assert a_wrote.wait(30)
            with transaction.atomic():
                services.rows_written(patient.pk)  # waits for A's commit
        except Exception as error:  # noqa: BLE001
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write_a), threading.Thread(target=write_b)]
    for thread in threads:
        thread.start()
    with connection.cursor() as cursor:
        for _ in range(300):  # until B's UPDATE waits for A's lock on the profile's row
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                break
            time.sleep(0.1)
        else:
            failures.append("B's write never waited for A's")
    release_a.set()
    for thread in threads:
        thread.join(60)
    assert not failures
    assert stored_flags(patient) == rows_there(patient) == (True, False, False)
