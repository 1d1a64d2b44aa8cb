import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import PatientProfile
from clinic.models import Share
from diary.models import SideEffectReport
from tests.diary.factories import attack, headache_free, session


def run():
    call_command("send_reminders", stdout=io.StringIO())


@pytest.fixture
def opted_in(patient):
    PatientProfile.objects.create(user=patient, email_reminders=True)
    return patient


def test_a_patient_who_opted_in_is_reminded_of_an_unrecorded_yesterday(opted_in, frozen):
    run()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    body = mail.outbox[0].body
    assert "Yesterday is not in your headache diary yet" in body
    assert "http://127.0.0.1:8000/diary/" in body


def test_run_twice_on_the_same_day_sends_each_email_once(opted_in, frozen):
    run()
    run()
    assert len(mail.outbox) == 1


def test_the_next_day_sends_again(opted_in, frozen):
    run()
    frozen.shift(dt.timedelta(days=1))
    run()
    assert len(mail.outbox) == 2


def test_no_reminder_when_yesterday_is_recorded(opted_in, frozen):
    headache_free(opted_in, "2026-10-14")
    run()
    assert mail.outbox == []


def test_an_attack_from_the_day_before_touching_yesterday_records_it(opted_in, frozen):
    attack(opted_in, "2026-10-13", time="23:00", minutes=120)
    run()
    assert mail.outbox == []


def test_no_reminder_without_opting_in(patient, frozen):
    PatientProfile.objects.create(user=patient, email_reminders=False)
    run()
    assert mail.outbox == []


def test_session_due_at_11_weeks_once_per_session(opted_in, frozen):
    headache_free(opted_in, "2026-10-14")
    session(opted_in, "2026-07-30")  # 77 days
    run()
    run()
    subjects = [m.subject for m in mail.outbox]
    assert subjects == ["Your next treatment session"]


def test_no_session_reminder_before_11_weeks(opted_in, frozen):
    headache_free(opted_in, "2026-10-14")
    session(opted_in, "2026-07-31")  # 76 days
    run()
    assert mail.outbox == []


def test_a_clinician_gets_one_digest_of_new_urgent_side_effects(patient, other_patient, clinician, frozen):
    for p in (patient, other_patient):
        Share.objects.create(patient=p, clinician=clinician)
        treatment = session(p, "2026-10-10")
        SideEffectReport.objects.create(
            patient=p,
            session=treatment,
            effect="swallowing_speaking_breathing",
            severity=2,
            started_on=dt.date(2026, 10, 14),
        )
    run()
    run()
    digests = [m for m in mail.outbox if m.to == ["dr.carter@example.com"]]
    assert len(digests) == 1
    body = digests[0].body
    assert "2 patients" in body
    # Never a diagnosis or a name in an email: only a link to sign in.
    assert "Alice" not in body and "swallow" not in body.lower()
    assert "/clinic/" in body


def test_no_digest_for_old_or_non_urgent_reports(patient, clinician, frozen):
    Share.objects.create(patient=patient, clinician=clinician)
    treatment = session(patient, "2026-10-10")
    SideEffectReport.objects.create(
        patient=patient, session=treatment, effect="neck_pain", severity=2, started_on=dt.date(2026, 10, 14)
    )
    run()
    assert mail.outbox == []
