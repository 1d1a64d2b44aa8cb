import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import PatientProfile
from clinic.models import Share
from diary.models import Attack, AttackMedicine, HeadacheFreeDay, PatientSummary, TreatmentSession
from tests.conftest import make_user
from tests.diary.conftest import TODAY
from tests.diary.factories import session, side_effect

WORKLIST = reverse("clinic:worklist")


def days(first, count):
    return [dt.date.fromisoformat(first) + dt.timedelta(days=i) for i in range(count)]


def headaches(patient, dates, medicine=None):
    rows = Attack.objects.bulk_create(
        [Attack(patient=patient, start_date=d, start_time=dt.time(9), duration_minutes=60, severity=2) for d in dates]
    )
    if medicine:
        AttackMedicine.objects.bulk_create([AttackMedicine(attack=row, medicine_class=medicine) for row in rows])


def free(patient, dates):
    HeadacheFreeDay.objects.bulk_create([HeadacheFreeDay(patient=patient, date=d) for d in dates])


def sharing_patient(clinician, email, first_name):
    patient = make_user(email, first_name=first_name, last_name="Test")
    PatientProfile.objects.create(user=patient)
    Share.objects.create(patient=patient, clinician=clinician)
    return patient


@pytest.fixture
def flagged(clinician):
    """Patients made to carry each flag (today is 15 October 2026)."""
    made = {}
    p = made["settled"] = sharing_patient(clinician, "settled@example.com", "Sally")
    session(p, "2026-10-01")
    free(p, days("2026-10-01", 14))
    p = made["gap"] = sharing_patient(clinician, "gap@example.com", "Gary")
    session(p, "2026-10-01")  # nothing recorded since
    p = made["overdue"] = sharing_patient(clinician, "overdue@example.com", "Olga")
    session(p, "2026-07-20")  # 87 days
    free(p, days("2026-07-20", 87))
    p = made["overuse"] = sharing_patient(clinician, "overuse@example.com", "Max")
    headaches(p, days("2026-10-05", 10), medicine="triptan")
    p = made["not_responding"] = sharing_patient(clinician, "nar@example.com", "Nadia")
    for date in ["2026-03-01", "2026-05-24", "2026-08-16"]:
        session(p, date)
    headaches(p, days("2026-03-01", 168))  # cycles 1 and 2: a headache every day
    free(p, days("2026-08-16", 60))
    PatientProfile.objects.filter(user=p).update(reported_baseline=25)
    p = made["urgent"] = sharing_patient(clinician, "urgent@example.com", "Uma")
    treatment = session(p, "2026-10-01")
    free(p, days("2026-10-01", 14))
    side_effect(p, treatment, effect="swallowing_speaking_breathing", started_on="2026-10-02")
    return made


def names(response):
    return [row["patient"].first_name for row in response.context["page"].object_list]


def test_it_requires_login(client, db):
    assert client.get(WORKLIST).status_code == 302


@pytest.mark.parametrize("role", ["patient", "editor"])
def test_it_is_for_clinicians_only(db, client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(WORKLIST).status_code == 403


def test_it_shows_the_share_code(clinician_client, clinician):
    from clinic.services import clinician_profile

    assert clinician_profile(clinician).display_code in clinician_client.get(WORKLIST).text


def test_each_flag_is_carried_by_its_patient(clinician_client, flagged):
    response = clinician_client.get(WORKLIST)
    flags = {row["patient"].first_name: row["data"]["flags"] for row in response.context["page"].object_list}
    assert flags["Sally"] == []
    assert flags["Gary"] == ["diary_gap"]
    assert flags["Olga"] == ["session_due", "overdue"]
    assert flags["Max"] == ["medication_overuse_risk"]
    assert flags["Nadia"][0] == "not_adequately_responding"
    assert flags["Uma"] == ["urgent_side_effect"]


def test_the_worklist_is_sorted_by_need(clinician_client, flagged):
    assert names(clinician_client.get(WORKLIST)) == ["Uma", "Nadia", "Max", "Olga", "Gary", "Sally"]


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("urgent_side_effect", ["Uma"]),
        ("diary_gap", ["Gary"]),
        ("overdue", ["Olga"]),
        ("changed_to_episodic", []),
    ],
)
def test_filter_by_flag(clinician_client, flagged, flag, expected):
    assert names(clinician_client.get(WORKLIST, {"flag": flag})) == expected


def test_an_unknown_flag_filter_shows_everyone(clinician_client, flagged):
    assert len(names(clinician_client.get(WORKLIST, {"flag": "nonsense"}))) == 6


def test_search_by_name_or_email(clinician_client, flagged):
    assert names(clinician_client.get(WORKLIST, {"q": "olga"})) == ["Olga"]
    assert names(clinician_client.get(WORKLIST, {"q": "nar@example"})) == ["Nadia"]
    assert names(clinician_client.get(WORKLIST, {"q": "\x00"})) != []


def test_only_patients_who_share_are_listed(clinician_client, flagged, other_patient):
    assert "Bob" not in names(clinician_client.get(WORKLIST))


def test_another_clinician_sees_none_of_them(client, flagged, other_clinician):
    client.force_login(other_clinician)
    assert names(client.get(WORKLIST)) == []


def test_a_change_in_the_diary_shows_at_once(clinician_client, clinician, flagged):
    gary = flagged["gap"]
    assert "diary_gap" in clinician_client.get(WORKLIST, {"q": "Gary"}).context["page"].object_list[0]["data"]["flags"]
    clinician_client.force_login(gary)
    clinician_client.post(
        reverse("diary:headache_free_mark"), {"dates": [d.isoformat() for d in days("2026-10-01", 14)]}
    )
    clinician_client.force_login(clinician)
    assert clinician_client.get(WORKLIST, {"q": "Gary"}).context["page"].object_list[0]["data"]["flags"] == []


def test_summaries_are_remade_on_a_new_day(clinician_client, clinician, flagged, frozen):
    clinician_client.get(WORKLIST)
    assert PatientSummary.objects.get(patient=flagged["settled"]).computed_for == TODAY
    frozen.shift(dt.timedelta(days=76))  # Sally's session of 1 October is 90 days old
    clinician_client.force_login(clinician)  # the sign-in of 15 October has expired by now
    response = clinician_client.get(WORKLIST, {"q": "Sally"})
    assert response.context["page"].object_list[0]["data"]["flags"] == ["diary_gap", "session_due", "overdue"]
    assert PatientSummary.objects.get(patient=flagged["settled"]).computed_for == dt.date(2026, 12, 30)


def test_the_worklist_is_paginated(clinician_client, clinician):
    for index in range(30):
        sharing_patient(clinician, f"p{index:02d}@example.com", f"P{index:02d}")
    first = clinician_client.get(WORKLIST)
    assert len(first.context["page"].object_list) == 25
    second = clinician_client.get(WORKLIST, {"page": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("count", [2, 200])
def test_a_fixed_number_of_queries_whatever_the_number_of_patients(
    clinician_client, clinician, django_assert_num_queries, count
):
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"many{i}@example.com", email=f"many{i}@example.com", first_name=f"M{i}") for i in range(count)]
    )
    PatientProfile.objects.bulk_create([PatientProfile(user=u) for u in users])
    Share.objects.bulk_create([Share(patient=u, clinician=clinician) for u in users])
    TreatmentSession.objects.bulk_create([TreatmentSession(patient=u, date=dt.date(2026, 9, 1)) for u in users])
    Attack.objects.bulk_create(
        [
            Attack(patient=u, start_date=d, start_time=dt.time(9), duration_minutes=60, severity=2)
            for u in users
            for d in days("2026-09-01", 5)
        ]
    )
    # First view, summaries to make: 1 session with its user, role and worklist version
    # (accounts.sessions), 2 shares with patients, profiles and summaries, 3 attacks with
    # medicines, 4 marks, 5 sessions, 6 side effects, 7 the summaries' upsert, 8 share code
    with django_assert_num_queries(8):
        assert clinician_client.get(WORKLIST).status_code == 200
    # Again, now with the browser's CSRF cookie (part of the cache key), the summaries are fresh:
    # 1 session with user, role and worklist version, 2 shares with summaries, 3 share code
    with django_assert_num_queries(3):
        assert clinician_client.get(WORKLIST).status_code == 200
    # The same page once more comes from the page cache: the session with user and worklist version
    with django_assert_num_queries(1):
        assert clinician_client.get(WORKLIST).status_code == 200
