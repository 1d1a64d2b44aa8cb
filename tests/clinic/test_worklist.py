import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from accounts.models import PatientProfile
from clinic.models import Share
from clinic.services import clinician_profile
from diary import summaries
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


def test_a_new_day_shows_the_summary_of_its_date_until_refresh_summaries_remakes_it(
    clinician_client, clinician, flagged, frozen, django_capture_on_commit_callbacks
):
    clinician_client.get(WORKLIST)
    assert PatientSummary.objects.get(patient=flagged["settled"]).computed_for == TODAY
    frozen.shift(dt.timedelta(days=76))  # Sally's session of 1 October is 90 days old
    clinician_client.force_login(clinician)  # the sign-in of 15 October has expired by now
    response = clinician_client.get(WORKLIST, {"q": "Sally"})
    [row] = response.context["page"].object_list
    # Shown as it is, the day it was made for said plainly; not recomputed on the request path.
    assert row["data"]["flags"] == []
    assert row["state"] == summaries.EARLIER
    assert "figures from Thursday 15 October" in response.text
    assert PatientSummary.objects.get(patient=flagged["settled"]).computed_for == TODAY
    with django_capture_on_commit_callbacks(execute=True):  # the command commits: the worklists' version rises
        call_command("refresh_summaries", stdout=io.StringIO())
    response = clinician_client.get(WORKLIST, {"q": "Sally"})
    [row] = response.context["page"].object_list
    assert row["data"]["flags"] == ["diary_gap", "session_due", "overdue"]
    assert row["state"] == summaries.FRESH
    assert "figures from" not in response.text
    assert PatientSummary.objects.get(patient=flagged["settled"]).computed_for == dt.date(2026, 12, 30)


def behind(patients):
    """The patients' summaries, made now, then left one version behind their profiles (as after a
    change the diary did not write, such as the profile page)."""
    summaries.remake(PatientProfile.objects.filter(user__in=patients))
    PatientProfile.objects.filter(user__in=patients).update(diary_version=F("diary_version") + 1)


def test_a_view_remakes_at_most_its_limit_and_marks_the_rest_as_being_updated(clinician_client, clinician):
    limit = summaries.REMAKES_PER_VIEW
    patients = [sharing_patient(clinician, f"p{index:02d}@example.com", f"P{index:02d}") for index in range(limit + 5)]
    for patient in patients:
        session(patient, "2026-10-01")
    behind(patients[:limit])  # limit summaries one version behind, and 5 patients with none at all
    response = clinician_client.get(WORKLIST)
    states = {row["patient"].pk: row["state"] for row in response.context["page"].paginator.object_list}
    # The 5 missing ones first (nothing is known of them), then limit - 5 of those behind.
    assert all(states[p.pk] == summaries.FRESH for p in patients[limit:])
    assert [states[p.pk] for p in patients[:limit]].count(summaries.FRESH) == limit - 5
    assert [states[p.pk] for p in patients[:limit]].count(summaries.UPDATING) == 5
    assert PatientSummary.objects.count() == limit + 5
    current = PatientSummary.objects.filter(diary_version=F("patient__patient_profile__diary_version"))
    assert current.count() == limit
    assert "5 patients are being updated" in response.text
    assert response.text.count("being updated: figures from Thursday 15 October") == 5
    # The next view remakes the rest (again at most the limit) and marks nothing.
    response = clinician_client.get(WORKLIST)
    assert current.count() == limit + 5
    assert "being updated" not in response.text


def test_a_missing_summary_beyond_the_limit_shows_the_patient_with_no_figures(clinician_client, clinician):
    limit = summaries.REMAKES_PER_VIEW
    for index in range(limit + 1):
        sharing_patient(clinician, f"p{index:02d}@example.com", f"P{index:02d}")
    response = clinician_client.get(WORKLIST)
    rows = response.context["page"].paginator.object_list
    assert len(rows) == limit + 1  # everyone is listed
    [waiting] = [row for row in rows if row["state"] == summaries.UPDATING]
    assert waiting["data"]["flags"] == [] and waiting["per_28"] == "–"
    assert "being updated: no figures yet" in response.text
    assert PatientSummary.objects.count() == limit


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
    clinician_profile(clinician)  # the share code, made with the clinician (add_user)
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
    # First view, no summary made yet: at most REMAKES_PER_VIEW of them are made, whatever the count.
    # 1 the signed-in user with role and profile (the session itself comes from the cache,
    # accounts.sessions' cached_db), 2 the clinic's version for the page cache's key
    # (accounts.ClinicVersion), 3 the shares with patients, profiles and summaries, then the
    # summaries to make (diary.summaries.remake): 4 attacks with medicines, 5 headache-free marks, 6
    # sessions, 7 side effects, 8 one upsert; 9 the share code.
    with django_assert_num_queries(9):
        assert clinician_client.get(WORKLIST).status_code == 200
    assert PatientSummary.objects.count() == min(count, summaries.REMAKES_PER_VIEW)  # 20 of 200, not 200

    # Every summary made (as refresh_summaries does at night), then the date moves on: all are
    # stale by date, and the worklist shows them as they are, marked, recomputing none.
    summaries.remake(PatientProfile.objects.all())
    PatientSummary.objects.update(computed_for=F("computed_for") - dt.timedelta(days=1))
    # Now with the browser's CSRF cookie (part of the cache key): 1 the user, 2 the clinic's
    # version, 3 the shares with patients, profiles and summaries, 4 the share code. Nothing is
    # remade.
    with django_assert_num_queries(4):
        response = clinician_client.get(WORKLIST)
    assert {row["state"] for row in response.context["page"].paginator.object_list} == {summaries.EARLIER}
    assert "figures from Wednesday 14 October" in response.text
    assert PatientSummary.objects.filter(computed_for=TODAY).count() == 0
    # The same page once more comes from the page cache: 1 the user, 2 the clinic's version.
    with django_assert_num_queries(2):
        assert clinician_client.get(WORKLIST).status_code == 200
