"""Each diary write is one service call in one transaction (diary.services, clinic.services.add_note).

For every write: done whole, it changes the diary and raises the data version; failing at its last
step (the version's raise in diary_changed), it leaves every row as it was: nothing half-saved.
And no module connects a signal to do domain work behind a view's back.
"""

import ast
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import profiles
from accounts.models import PatientProfile
from clinic import services as clinic_services
from clinic.models import ClinicianNote
from diary import services, summaries
from diary.csvio import HEADER
from diary.models import (
    Attack,
    AttackMedicine,
    HeadacheFreeDay,
    MidasAnswer,
    PatientSummary,
    SideEffectReport,
    TreatmentSession,
)
from tests.conftest import NOW
from tests.diary.factories import attack, headache_free, session, side_effect
from tests.test_architecture import read_tree

MIDAS = {
    "missed_work": 1,
    "reduced_work": 2,
    "missed_household": 0,
    "reduced_household": 0,
    "missed_social": 1,
    "headache_days": 30,
    "average_pain": 6,
}


def snapshot(patient):
    """Every row of the patient's diary, and the profile's figures-related columns."""
    return {
        "attacks": list(Attack.objects.filter(patient=patient).order_by("pk").values()),
        "medicines": list(AttackMedicine.objects.filter(attack__patient=patient).order_by("pk").values()),
        "marks": list(HeadacheFreeDay.objects.filter(patient=patient).order_by("pk").values()),
        "sessions": list(TreatmentSession.objects.filter(patient=patient).order_by("pk").values()),
        "side_effects": list(SideEffectReport.objects.filter(patient=patient).order_by("pk").values()),
        "midas": list(MidasAnswer.objects.filter(patient=patient).order_by("pk").values()),
        "notes": list(ClinicianNote.objects.filter(patient=patient).order_by("pk").values()),
        "profile": list(PatientProfile.objects.filter(user=patient).values("reported_baseline", "diary_version")),
    }


def csv_file():
    lines = [
        ",".join(HEADER),
        "headache,2026-10-12,08:00,120,moderate,1,0,0,1,0,0,0,0,triptan:Sumatriptan,,,",
        "headache_free,2026-10-11,,,,,,,,,,,,,,,",
        "treatment_session,2026-10-01,,,,,,,,,,,,,155,31,",
    ]
    return SimpleUploadedFile("diary.csv", ("\n".join(lines) + "\n").encode())


# Each write: (setup(patient, clinician) -> a call doing the write). The setups leave rows that the
# write would change or remove, so a half-done write shows.
def _new_attack(patient, clinician):
    headache_free(patient, "2026-10-14")  # the new headache's day: its mark goes
    row = Attack(
        patient=patient, start_date=dt.date(2026, 10, 14), start_time=dt.time(9), duration_minutes=60, severity=2
    )
    return lambda: services.save_attack(row, [("triptan", "Sumatriptan")], now=NOW)


def _changed_attack(patient, clinician):
    row = attack(patient, "2026-10-13", medicines=[("simple_analgesic", "Paracetamol")])
    headache_free(patient, "2026-10-14")

    def write():
        row.start_date = dt.date(2026, 10, 14)
        return services.save_attack(row, [("triptan", "Sumatriptan")], now=NOW)

    return write


def _headache_now(patient, clinician):
    row = Attack(patient=patient, severity=3, start_date=dt.date(2026, 10, 15), start_time=dt.time(13))
    return lambda: services.log_headache_now(row, now=NOW)


def _delete_attack(patient, clinician):
    row = attack(patient, "2026-10-13", medicines=[("triptan", "Sumatriptan")])
    return lambda: services.delete_attack(row)


def _end_attack(patient, clinician):
    row = attack(patient, "2026-10-15", time="10:00", minutes=None)
    return lambda: services.end_attack(row, now=NOW)


def _stop_attack(patient, clinician):
    row = attack(patient, "2026-10-15", time="10:00", minutes=None)
    return lambda: services.stop_attack(row, NOW - dt.timedelta(minutes=30), now=NOW)


def _mark(patient, clinician):
    return lambda: services.mark_headache_free(patient, [dt.date(2026, 10, 13), dt.date(2026, 10, 14)], now=NOW)


def _unmark(patient, clinician):
    headache_free(patient, "2026-10-13", "2026-10-14")
    return lambda: services.unmark_headache_free(patient, [dt.date(2026, 10, 13), dt.date(2026, 10, 14)])


def _new_session(patient, clinician):
    return lambda: services.save_session(TreatmentSession(patient=patient, date=dt.date(2026, 10, 1)))


def _changed_session(patient, clinician):
    row = session(patient, "2026-10-01")

    def write():
        row.units = 175
        return services.save_session(row)

    return write


def _delete_session(patient, clinician):
    row = session(patient, "2026-10-01")
    side_effect(patient, row)  # goes with it
    return lambda: services.delete_session(row)


def _clinic_session(patient, clinician):
    row = TreatmentSession(patient=patient, date=dt.date(2026, 10, 1))
    return lambda: services.record_clinic_session(row, clinician, "Chris Carter")


def _add_side_effect(patient, clinician):
    row = session(patient, "2026-10-01")
    report = SideEffectReport(
        patient=patient, session=row, effect="neck_pain", severity=1, started_on=dt.date(2026, 10, 2)
    )
    return lambda: services.add_side_effect(report)


def _delete_side_effect(patient, clinician):
    report = side_effect(patient, session(patient, "2026-10-01"))
    return lambda: services.delete_side_effect(report)


def _midas(patient, clinician):
    answer = MidasAnswer(patient=patient, answered_on=dt.date(2026, 10, 15), **MIDAS)
    return lambda: services.save_midas(answer)


def _reported_baseline(patient, clinician):
    profile = PatientProfile.objects.get(user=patient)

    def write():
        profile.reported_baseline = 20
        return services.save_reported_baseline(profile)

    return write


def _import(patient, clinician):
    headache_free(patient, "2026-10-12")  # the imported headache's day: its mark goes
    return lambda: services.import_diary(patient, csv_file(), now=NOW)


def _note(patient, clinician):
    note = ClinicianNote(patient=patient, author=clinician, author_name="Chris Carter", text="Discussed sleep")
    return lambda: clinic_services.add_note(note)


WRITES = {
    "save_attack (new)": _new_attack,
    "save_attack (changed)": _changed_attack,
    "log_headache_now": _headache_now,
    "delete_attack": _delete_attack,
    "end_attack": _end_attack,
    "stop_attack": _stop_attack,
    "mark_headache_free": _mark,
    "unmark_headache_free": _unmark,
    "save_session (new)": _new_session,
    "save_session (changed)": _changed_session,
    "delete_session": _delete_session,
    "record_clinic_session": _clinic_session,
    "add_side_effect": _add_side_effect,
    "delete_side_effect": _delete_side_effect,
    "save_midas": _midas,
    "save_reported_baseline": _reported_baseline,
    "import_diary": _import,
    "clinic add_note": _note,
}


@pytest.fixture
def with_profile(patient, frozen):
    PatientProfile.objects.create(user=patient)
    return patient


@pytest.mark.parametrize("name", WRITES)
def test_a_write_changes_the_diary_and_raises_the_version(name, with_profile, clinician):
    patient = with_profile
    write = WRITES[name](patient, clinician)
    before = snapshot(patient)
    write()
    after = snapshot(patient)
    assert after["profile"][0]["diary_version"] == before["profile"][0]["diary_version"] + 1
    changed = [table for table in before if before[table] != after[table] and table != "profile"]
    assert changed or name == "save_reported_baseline", "the write changed nothing: the test would prove nothing"


class Broken(Exception):
    pass


@pytest.mark.parametrize("name", WRITES)
def test_a_write_failing_at_its_last_step_leaves_nothing_half_saved(name, with_profile, clinician, monkeypatch):
    patient = with_profile
    write = WRITES[name](patient, clinician)
    before = snapshot(patient)

    def fail(user_id):
        raise Broken("the database went away")

    monkeypatch.setattr(profiles, "raise_version", fail)
    with pytest.raises(Broken):
        write()
    assert snapshot(patient) == before


def test_a_summary_is_remade_only_when_the_write_commits(with_profile, django_capture_on_commit_callbacks):
    patient = with_profile
    with django_capture_on_commit_callbacks() as callbacks:
        services.mark_headache_free(patient, [dt.date(2026, 10, 14)], now=NOW)
    # After the commit: the clinic's version (accounts.profiles), then this patient's summary.
    assert [getattr(callback, "func", callback) for callback in callbacks] == [
        profiles._raise_clinic_version,
        summaries.remake_patient,
    ]
    assert not PatientSummary.objects.exists()  # not committed yet
    for callback in callbacks:  # the commit
        callback()
    summary = PatientSummary.objects.get(patient=patient)
    assert summary.diary_version == PatientProfile.objects.get(user=patient).diary_version == 1
    assert summary.data["days"] is None  # no session: no cycle


# ---------------------------------------------------------------- no signals for domain logic

# The only receivers the project connects: Django's sign-in hook for session policy and colours.
ALLOWED_CONNECTIONS = {
    ("accounts/apps.py", "user_logged_in", "security.on_login"),
    ("accounts/apps.py", "user_logged_in", "theme.copy_to_session"),
}


def signal_connections(files):
    """(path, signal, receiver) for every `signal.connect(receiver)` and `@receiver(signal)` in files."""
    found = set()
    for path, source in files.items():
        for node in ast.walk(ast.parse(source, filename=path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect":
                target = ast.unparse(node.args[0]) if node.args else ast.unparse(node.keywords[0].value)
                found.add((path, ast.unparse(node.func.value), target))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    call = decorator if isinstance(decorator, ast.Call) else None
                    name = call and (getattr(call.func, "id", None) or getattr(call.func, "attr", None))
                    if name == "receiver":
                        for signal in call.args:
                            found.add((path, ast.unparse(signal), node.name))
    return found


def test_no_module_connects_a_signal_for_domain_logic():
    connections = signal_connections(read_tree())
    assert connections == ALLOWED_CONNECTIONS, (
        "Domain work belongs in a service call (diary.services), not in a signal receiver: "
        f"{sorted(connections - ALLOWED_CONNECTIONS)}"
    )


def test_the_signal_finder_sees_both_forms():
    files = {
        "diary/signals.py": (
            "from django.db.models import signals\n"
            "from django.dispatch import receiver\n"
            "@receiver(signals.post_save, sender='diary.Attack')\n"
            "def forget(sender, **kwargs):\n"
            "    pass\n"
            "signals.pre_delete.connect(receiver=forget, sender='diary.Attack')\n"
        )
    }
    assert signal_connections(files) == {
        ("diary/signals.py", "signals.post_save", "forget"),
        ("diary/signals.py", "signals.pre_delete", "forget"),
    }


def test_load_progress_gives_each_report_its_session_without_a_query(patient, django_assert_num_queries):
    first = session(patient, "2026-09-01")
    second = session(patient, "2026-11-24")
    side_effect(patient, first, "neck_pain", started_on="2026-09-03")
    side_effect(patient, second, "ptosis", started_on="2026-11-26")
    profile = PatientProfile.objects.create(user=patient)
    loaded = services.load_progress(patient, now=NOW, profile=profile)
    with django_assert_num_queries(0):
        dates = sorted((r.effect, r.session.date) for r in loaded.side_effect_reports)
        assert all(any(r.session is s for s in loaded.sessions) for r in loaded.side_effect_reports)
    assert dates == [("neck_pain", dt.date(2026, 9, 1)), ("ptosis", dt.date(2026, 11, 24))]
