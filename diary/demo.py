"""Deterministic, realistic demo diaries (for `make run`, `seed_demo` and the benchmark).

Each patient follows a story: a chronic baseline of about 20 headache days in 28, then
treatment sessions every 12 weeks and a response that depends on the story.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import PatientProfile
from core import timeutil
from diary.models import (
    SUGGESTED_FACTORS,
    Attack,
    AttackMedicine,
    EffectAnswer,
    Factor,
    FactorCheckIn,
    HeadacheFreeDay,
    Medicine,
    MenstruationDay,
    MidasAnswer,
    PreventiveCourse,
    SideEffectReport,
    TreatmentSession,
)

STORIES = ["responder", "partial", "non_responder", "episodic", "overuser", "gappy", "urgent"]

# Chance of a headache on a day: before treatment, and after each cycle (the last value holds).
HEADACHE_CHANCE = {
    "responder": [0.72, 0.42, 0.3, 0.26],
    "partial": [0.72, 0.62, 0.55, 0.52],
    "non_responder": [0.72, 0.7, 0.7, 0.68],
    "episodic": [0.7, 0.5, 0.38, 0.3],
    "overuser": [0.75, 0.66, 0.62, 0.6],
    "gappy": [0.7, 0.55, 0.45, 0.42],
    "urgent": [0.72, 0.5, 0.4, 0.36],
}
ZONES = ["Europe/London", "Europe/London", "Europe/London", "Europe/Dublin", "America/New_York", "Australia/Sydney"]


def _chance(story, cycle, day_in_cycle):
    chances = HEADACHE_CHANCE[story]
    base = chances[min(cycle, len(chances) - 1)]
    if story == "episodic" and cycle >= 3:
        base = 0.22
    if cycle >= 1 and day_in_cycle >= 70:  # the effect wears off before the next session
        base = min(0.95, base + 0.12)
    return base


def _completeness(story, days_before_today):
    if story == "gappy" and days_before_today < 40:
        return 0.55
    return 0.96


def build(story, first_day, today, now, tz, rng):
    """The rows of one demo diary as plain dicts (no database)."""
    sessions = []
    session_day = first_day + dt.timedelta(days=28)
    while session_day <= today - dt.timedelta(days=3):
        sessions.append(session_day)
        session_day += dt.timedelta(days=84 + rng.choice([-3, -1, 0, 0, 0, 2, 5]))
    attacks, marks = [], []
    day = first_day
    while day <= today:
        past = [s for s in sessions if s <= day]
        cycle = len(past)
        day_in_cycle = (day - past[-1]).days if past else 0
        if rng.random() > _completeness(story, (today - day).days):
            day += dt.timedelta(days=1)
            continue
        if rng.random() < _chance(story, cycle, day_in_cycle):
            attacks.append(_attack(story, day, tz, now, rng))
        elif day < today:
            marks.append(day)
        day += dt.timedelta(days=1)
    attacks = [a for a in attacks if a is not None]
    touched = set()
    for a in attacks:
        start = timeutil.to_instant(a["start_date"], a["start_time"], tz)
        touched.update(timeutil.days_touched(start, start + dt.timedelta(minutes=a["duration_minutes"]), tz))
    return sessions, attacks, [d for d in marks if d not in touched]


def _attack(story, day, tz, now, rng):
    hour = rng.choice([5, 6, 7, 8, 9, 10, 11, 13, 15, 16, 17, 18, 19, 20, 21, 22])
    start_time = dt.time(hour, rng.choice([0, 10, 15, 20, 30, 40, 45, 50]))
    if not timeutil.exists(day, start_time, tz):
        start_time = dt.time(hour + 1, start_time.minute)
    start = timeutil.to_instant(day, start_time, tz)
    if start >= now:
        return None
    minutes = int(min(4320, max(30, rng.lognormvariate(5.3, 0.75))))
    severity = rng.choices([1, 2, 3], weights=[3, 5, 2])[0]
    migrainous = rng.random() < 0.65
    features = {
        "one_sided": migrainous and rng.random() < 0.7,
        "throbbing": migrainous and rng.random() < 0.75,
        "worse_with_activity": rng.random() < 0.5,
        "nausea": migrainous and rng.random() < 0.6,
        "vomiting": migrainous and rng.random() < 0.12,
        "light_sensitivity": migrainous and rng.random() < 0.7,
        "sound_sensitivity": migrainous and rng.random() < 0.6,
        "aura": rng.random() < 0.08,
    }
    medicines = []
    triptan_chance = 0.95 if story == "overuser" else 0.35
    if severity >= 2 and rng.random() < triptan_chance:
        medicines.append(("triptan", "Sumatriptan 50 mg"))
    if rng.random() < (0.7 if story == "overuser" else 0.3):
        medicines.append(("simple_analgesic", "Ibuprofen 400 mg"))
    if start + dt.timedelta(minutes=minutes) > now:
        minutes = max(1, int((now - start).total_seconds() // 60))
    return {
        "start_date": day,
        "start_time": start_time,
        "duration_minutes": minutes,
        "severity": severity,
        "notes": "",
        "medicines": medicines,
        **features,
    }


@transaction.atomic
def seed_diary(user, story, years, rng, now=None):
    """Write one demo diary for a patient who has none. Returns the number of attacks."""
    now = now or timezone.now()
    profile, _ = PatientProfile.objects.get_or_create(user=user, defaults={"time_zone": rng.choice(ZONES)})
    if Attack.objects.filter(patient=user).exists():
        return 0
    tz = profile.tz
    today = timeutil.today(tz, now)
    first_day = today - dt.timedelta(days=int(365 * years))
    sessions, attacks, marks = build(story, first_day, today, now, tz, rng)
    Medicine.objects.bulk_create(
        [
            Medicine(patient=user, name="Sumatriptan 50 mg", medicine_class="triptan"),
            Medicine(patient=user, name="Ibuprofen 400 mg", medicine_class="simple_analgesic"),
        ],
        ignore_conflicts=True,
    )
    session_rows = TreatmentSession.objects.bulk_create(
        [TreatmentSession(patient=user, date=date, given_by="Headache clinic") for date in sessions]
    )
    rows = Attack.objects.bulk_create(
        [Attack(patient=user, **{k: v for k, v in a.items() if k != "medicines"}) for a in attacks], batch_size=2000
    )
    AttackMedicine.objects.bulk_create(
        [
            AttackMedicine(attack_id=row.pk, medicine_class=cls, name=name)
            for row, data in zip(rows, attacks, strict=True)
            for cls, name in data["medicines"]
        ],
        batch_size=5000,
    )
    HeadacheFreeDay.objects.bulk_create([HeadacheFreeDay(patient=user, date=d) for d in marks], batch_size=5000)
    if session_rows:
        SideEffectReport.objects.create(
            patient=user,
            session=session_rows[0],
            effect="neck_pain",
            severity=1,
            started_on=session_rows[0].date + dt.timedelta(days=2),
        )
        if story == "urgent":
            last = session_rows[-1]
            SideEffectReport.objects.create(
                patient=user,
                session=last,
                effect="swallowing_speaking_breathing",
                severity=2,
                started_on=min(today, last.date + dt.timedelta(days=1)),
            )
        answers = []
        for index, session in enumerate(session_rows):
            answered = session.date + dt.timedelta(days=75)
            if answered >= today:
                continue
            level = max(0, 12 - 3 * index) if story in ("responder", "episodic") else 14
            answers.append(
                MidasAnswer(
                    patient=user,
                    answered_on=answered,
                    missed_work=level // 3,
                    reduced_work=level // 3,
                    missed_household=level // 4,
                    reduced_household=level // 6,
                    missed_social=level // 4,
                    headache_days=40,
                    average_pain=6,
                )
            )
        MidasAnswer.objects.bulk_create(answers)
    return len(rows)


def seed_extras(user, rng, now=None):
    """What `make run`'s demo patient shows beyond the diary (issues #15 and #16), for a patient who
    has none of it: two other preventives tried and stopped before Botox, periods tracked for the
    last 9 months, 2-hour answers for the last 60 days' medicines and daily check-ins for the
    last 30 days. Returns whether anything was added."""
    now = now or timezone.now()
    profile = PatientProfile.objects.get(user=user)
    if PreventiveCourse.objects.filter(patient=user).exists() or Factor.objects.filter(patient=user).exists():
        return False
    today = timeutil.today(profile.tz, now)
    first_session = TreatmentSession.objects.filter(patient=user).order_by("date").values_list("date", flat=True)
    before = (first_session.first() or today) - dt.timedelta(days=60)
    PreventiveCourse.objects.bulk_create(
        [
            PreventiveCourse(
                patient=user,
                name="Propranolol 80 mg",
                drug_class="beta_blocker",
                start=before - dt.timedelta(days=400),
                stop=before - dt.timedelta(days=220),
                stop_reason="not_effective",
            ),
            PreventiveCourse(
                patient=user,
                name="Topiramate 50 mg",
                drug_class="antiepileptic",
                start=before - dt.timedelta(days=200),
                stop=before - dt.timedelta(days=90),
                stop_reason="side_effects",
            ),
        ]
    )
    profile.track_periods = True
    profile.save(update_fields=["track_periods"])
    period_days = set()
    start = today - dt.timedelta(days=270)
    while start <= today:
        period_days.update(start + dt.timedelta(days=offset) for offset in range(5))
        start += dt.timedelta(days=rng.choice([27, 28, 29, 30]))
    MenstruationDay.objects.bulk_create(
        [MenstruationDay(patient=user, date=day) for day in sorted(period_days) if day <= today], ignore_conflicts=True
    )
    recent = AttackMedicine.objects.filter(
        attack__patient=user,
        attack__start_date__gt=today - dt.timedelta(days=60),
        attack__duration_minutes__isnull=False,
    )
    answers = {"triptan": [EffectAnswer.PAIN_FREE, EffectAnswer.BETTER, EffectAnswer.BETTER, EffectAnswer.SAME]}
    answered = []
    for medicine in recent:
        medicine.answer = rng.choice(answers.get(medicine.medicine_class, [EffectAnswer.BETTER, EffectAnswer.SAME]))
        answered.append(medicine)
    AttackMedicine.objects.bulk_update(answered, ["answer"])
    Factor.objects.bulk_create([Factor(patient=user, name=name) for name in SUGGESTED_FACTORS])
    headache_days = set(Attack.objects.filter(patient=user).values_list("start_date", flat=True))
    checkins = []
    for offset in range(1, 31):
        day = today - dt.timedelta(days=offset)
        likely = 0.45 if day in headache_days else 0.2
        present = [name for name in SUGGESTED_FACTORS if rng.random() < likely]
        checkins.append(FactorCheckIn(patient=user, date=day, listed=list(SUGGESTED_FACTORS), present=present))
    FactorCheckIn.objects.bulk_create(checkins)
    return True
