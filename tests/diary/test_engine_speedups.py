"""What the engine's speed-ups must keep: slotted AttackData and DayInfo behave as the plain
dataclasses did, load_attack_data's shortcut for attacks without medicines gives the same values,
and the _DayTable's running totals count exactly what walking the dates counts."""

import dataclasses
import datetime as dt
import pickle

import pytest

from diary import cycles, summaries
from diary.cycles import AttackData, DayInfo
from diary.models import AttackMedicine
from tests.diary.factories import attack

UTC = dt.UTC
NOW = dt.datetime(2026, 10, 16, 12, 0, tzinfo=UTC)


def sample():
    return AttackData(
        dt.date(2026, 10, 1),
        dt.time(9, 0),
        90,
        2,
        nausea=True,
        medicine_classes=frozenset({"triptan"}),
        id=7,
        notes="a note",
        medicines=(("triptan", "sumatriptan"),),
        medicine_answers=("better",),
    )


def test_attack_data_is_still_frozen_hashable_and_compared_without_its_display_fields():
    one = sample()
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.severity = 3
    other = dataclasses.replace(one, id=8, notes="", medicines=(), medicine_answers=())
    assert one == other and hash(one) == hash(other)
    assert one != dataclasses.replace(one, severity=3)
    assert not hasattr(one, "__dict__")  # slots: nothing per attack but its fields


def test_attack_data_pickles_whole_for_the_progress_cache():
    one = sample()
    back = pickle.loads(pickle.dumps([one], pickle.HIGHEST_PROTOCOL))[0]  # noqa: S301 (made just above)
    assert repr(back) == repr(one)  # every field, the display ones too


def test_attack_data_still_checks_its_answers():
    with pytest.raises(ValueError, match="not taken"):
        AttackData(dt.date(2026, 10, 1), dt.time(9, 0), 60, 1, medicine_answers=("better",))


def test_day_info_keeps_a_set_of_its_own_per_date():
    first, second = DayInfo(dt.date(2026, 10, 1)), DayInfo(dt.date(2026, 10, 2))
    first.medicine_classes.add("triptan")
    assert second.medicine_classes == set()
    assert first == DayInfo(dt.date(2026, 10, 1), medicine_classes={"triptan"})


def test_load_attack_data_gives_attacks_without_medicines_the_empty_defaults(patient, other_patient):
    plain = attack(patient, "2026-10-01", notes="none taken")
    two = attack(patient, "2026-10-02", medicines=[("triptan", "sumatriptan"), ("simple_analgesic", "")])
    AttackMedicine.objects.filter(attack=two, medicine_class="triptan").update(answer="pain_free")
    other = attack(other_patient, "2026-10-03", medicines=[("gepant", "rimegepant")])
    loaded = summaries.load_attack_data([patient.pk, other_patient.pk])
    assert [repr(a) for a in loaded[patient.pk]] == [
        repr(
            AttackData(
                dt.date(2026, 10, 1),
                dt.time(9, 0),
                120,
                2,
                medicine_classes=frozenset(),
                id=plain.pk,
                notes="none taken",
                medicines=(),
                medicine_answers=(),
            )
        ),
        repr(
            AttackData(
                dt.date(2026, 10, 2),
                dt.time(9, 0),
                120,
                2,
                medicine_classes=frozenset({"triptan", "simple_analgesic"}),
                id=two.pk,
                medicines=(("triptan", "sumatriptan"), ("simple_analgesic", "")),
                medicine_answers=("pain_free", None),
            )
        ),
    ]
    assert [(a.id, a.medicines) for a in loaded[other_patient.pk]] == [(other.pk, (("gepant", "rimegepant"),))]


def test_the_day_table_counts_every_run_as_walking_its_dates_does():
    first, today = dt.date(2026, 6, 1), dt.date(2026, 10, 16)
    attacks = [
        AttackData(first + dt.timedelta(days=n), dt.time(20, 0), 60 * (n % 30), 1 + n % 3, nausea=n % 2 == 0)
        for n in range(0, 130, 3)
    ]
    free = {first + dt.timedelta(days=n) for n in range(1, 138, 4)}
    days = cycles._day_infos(
        attacks, [a.interval(UTC, NOW) for a in attacks], free, UTC, first, today, cycles.DEFAULT_RULES
    )
    assert list(days.values()) == cycles.day_infos(attacks, free, UTC, NOW, first, today)
    table, plain = cycles._DayTable(days), dict(days)
    for start in (first, dt.date(2026, 7, 3), dt.date(2026, 9, 30), today):
        for end in (start, start + dt.timedelta(days=6), dt.date(2026, 10, 15), today):
            if end < start or end > today:
                continue
            assert cycles._counted(table, start, end, today) == cycles._counted(plain, start, end, today)
