import pytest
from django.urls import reverse

from tests.diary.factories import attack, session

DIARY_ADMIN = [
    "diary_attack",
    "diary_headachefreeday",
    "diary_treatmentsession",
    "diary_sideeffectreport",
    "accounts_patientprofile",
    "diary_medicine",
]


@pytest.mark.parametrize("model", DIARY_ADMIN)
def test_an_editor_cannot_open_the_diary_s_admin_pages(client, editor, model):
    client.force_login(editor)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 403


def test_the_admin_index_shows_an_editor_only_the_guide(client, editor):
    client.force_login(editor)
    text = client.get(reverse("admin:index")).text
    assert "Patient guide" in text
    assert "Headache diary" not in text


@pytest.mark.parametrize("model", DIARY_ADMIN)
def test_a_superuser_can_view_diary_rows(client, superuser, model):
    client.force_login(superuser)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_patients_data_is_read_only_in_admin(client, superuser, patient):
    row = attack(patient, "2026-10-01", notes="original")
    client.force_login(superuser)
    url = reverse("admin:diary_attack_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="notes"' not in page.text  # shown, not editable
    client.post(url, {"notes": "changed"})
    row.refresh_from_db()
    assert row.notes == "original"
    assert client.get(reverse("admin:diary_attack_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:diary_treatmentsession_delete", args=[session(patient, "2026-09-01").pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_a_clinician_cannot_open_admin(client, clinician):
    client.force_login(clinician)
    assert client.get(reverse("admin:diary_attack_changelist")).status_code == 302
