"""Small helpers to make diary rows in tests."""

import datetime as dt

from diary.models import Attack, AttackMedicine, HeadacheFreeDay, SideEffectReport, TreatmentSession


def attack(patient, date, time="09:00", minutes=120, severity=2, medicines=(), **features):
    row = Attack.objects.create(
        patient=patient,
        start_date=dt.date.fromisoformat(date) if isinstance(date, str) else date,
        start_time=dt.time.fromisoformat(time) if isinstance(time, str) else time,
        duration_minutes=minutes,
        severity=severity,
        **features,
    )
    for medicine_class, name in medicines:
        AttackMedicine.objects.create(attack=row, medicine_class=medicine_class, name=name)
    return row


def headache_free(patient, *dates):
    return [HeadacheFreeDay.objects.create(patient=patient, date=dt.date.fromisoformat(d)) for d in dates]


def session(patient, date, units=155, sites=31, **extra):
    return TreatmentSession.objects.create(
        patient=patient, date=dt.date.fromisoformat(date), units=units, sites=sites, **extra
    )


def side_effect(patient, treatment_session, effect="neck_pain", started_on=None, severity=1):
    return SideEffectReport.objects.create(
        patient=patient,
        session=treatment_session,
        effect=effect,
        severity=severity,
        started_on=dt.date.fromisoformat(started_on) if started_on else treatment_session.date,
    )
