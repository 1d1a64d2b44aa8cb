from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_healthz_answers_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    from django.contrib.auth import get_user_model

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    users = get_user_model().objects.filter(username__endswith="@example.com")
    assert users.count() == 3
    editor = users.get(username="editor@example.com")
    assert editor.is_staff and editor.groups.filter(name="Education editors").exists()


@pytest.mark.django_db
def test_the_demo_patient_shows_other_preventives_periods_answers_and_check_ins(client):
    """`make run`'s patient has what issues #15 and #16 added, not only a diary: each page has something to show."""
    from django.contrib.auth import get_user_model

    from diary.models import AttackMedicine, FactorCheckIn, MenstruationDay, PreventiveCourse

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # nothing twice
    patient = get_user_model().objects.get(username="patient@example.com")
    courses = PreventiveCourse.objects.filter(patient=patient)
    assert sorted(courses.values_list("stop_reason", flat=True)) == ["not_effective", "side_effects"]
    first_session = patient.treatment_sessions.order_by("date").first().date
    assert all(course.stop < first_session for course in courses)  # tried before Botox, as eligibility asks
    assert patient.patient_profile.track_periods is True
    assert MenstruationDay.objects.filter(patient=patient).count() >= 40
    assert AttackMedicine.objects.filter(attack__patient=patient).exclude(answer="").count() >= 5
    assert FactorCheckIn.objects.filter(patient=patient).count() == 30
    client.force_login(patient)
    page = client.get("/diary/progress/").text
    assert "Topiramate 50 mg" in page
