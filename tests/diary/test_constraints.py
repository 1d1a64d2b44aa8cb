"""Data rules enforced by the database itself (issue: 'by the database as well as the forms')."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import PatientProfile
from diary.models import Attack, HeadacheFreeDay, SideEffectReport, TreatmentSession
from tests.diary.factories import attack, session


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.parametrize("severity", [0, 4])
def test_database_refuses_severity_out_of_range(patient, severity):
    refused(lambda: attack(patient, "2026-10-01", severity=severity))


@pytest.mark.parametrize("minutes", [0, 20161])
def test_database_refuses_duration_out_of_range(patient, minutes):
    refused(lambda: attack(patient, "2026-10-01", minutes=minutes))


@pytest.mark.parametrize("minutes", [1, 20160, None])
def test_database_accepts_durations_in_range_or_still_going(patient, minutes):
    attack(patient, "2026-10-01", minutes=minutes)
    assert Attack.objects.count() == 1


def test_database_refuses_a_second_session_on_the_same_date(patient):
    session(patient, "2026-06-01")
    refused(lambda: session(patient, "2026-06-01"))


def test_two_patients_may_have_sessions_on_the_same_date(patient, other_patient):
    session(patient, "2026-06-01")
    session(other_patient, "2026-06-01")
    assert TreatmentSession.objects.count() == 2


@pytest.mark.parametrize(("units", "sites"), [(196, 31), (0, 31), (155, 40), (155, 0)])
def test_database_refuses_units_or_sites_out_of_range(patient, units, sites):
    refused(lambda: session(patient, "2026-06-01", units=units, sites=sites))


def test_database_refuses_a_second_headache_free_mark_on_a_date(patient):
    HeadacheFreeDay.objects.create(patient=patient, date=dt.date(2026, 6, 1))
    refused(lambda: HeadacheFreeDay.objects.create(patient=patient, date=dt.date(2026, 6, 1)))


def test_database_refuses_the_same_attack_twice(patient):
    attack(patient, "2026-10-01", time="09:00", minutes=60, severity=2)
    refused(lambda: attack(patient, "2026-10-01", time="09:00", minutes=60, severity=2))


def test_database_refuses_a_reported_baseline_over_31(patient):
    refused(lambda: PatientProfile.objects.create(user=patient, reported_baseline=32))


def test_database_refuses_an_unknown_side_effect(patient):
    treatment = session(patient, "2026-06-01")
    refused(
        lambda: SideEffectReport.objects.create(
            patient=patient, session=treatment, effect="x", severity=1, started_on=dt.date(2026, 6, 2)
        )
    )


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite cannot hold a CHECK constraint that reads the clock"
)


@needs_postgresql
def test_postgresql_refuses_an_attack_dated_beyond_any_zone_s_today(patient):
    far = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)
    refused(lambda: attack(patient, far))


@needs_postgresql
def test_postgresql_refuses_marks_sessions_and_side_effects_in_the_future(patient):
    far = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)
    refused(lambda: HeadacheFreeDay.objects.create(patient=patient, date=far))
    refused(lambda: TreatmentSession.objects.create(patient=patient, date=far))
    treatment = session(patient, "2026-06-01")
    refused(
        lambda: SideEffectReport.objects.create(
            patient=patient, session=treatment, effect="fatigue", severity=1, started_on=far
        )
    )
