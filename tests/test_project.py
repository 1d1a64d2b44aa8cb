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
