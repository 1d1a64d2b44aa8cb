import pytest
from django.urls import reverse

from education.models import Section


def _form_data(section, **changes):
    data = {
        "title": section.title,
        "slug": section.slug,
        "summary": section.summary,
        "body": section.body,
        "order": section.order,
        "is_published": "on" if section.is_published else "",
        "last_reviewed": section.last_reviewed.isoformat() if section.last_reviewed else "",
        "reviewed_by": section.reviewed_by,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_an_edit_made_in_admin_appears_on_the_site(client, editor):
    section = Section.objects.get(slug="side-effects")
    client.force_login(editor)
    response = client.post(
        reverse("admin:education_section_change", args=[section.pk]),
        _form_data(section, body="Tell your clinician about **any** new weakness."),
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body_html == "<p>Tell your clinician about <strong>any</strong> new weakness.</p>"
    client.logout()
    assert "Tell your clinician about <strong>any</strong> new weakness." in client.get("/learn/side-effects/").text


def test_the_admin_form_leaves_out_the_rendered_html(client, editor):
    client.force_login(editor)
    section = Section.objects.get(slug="summary")
    response = client.get(reverse("admin:education_section_change", args=[section.pk]))
    assert response.status_code == 200
    assert 'name="body_html"' not in response.text
    assert "View on site" in response.text


def test_admin_list_edits_order_and_published(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:education_section_changelist"))
    assert response.status_code == 200
    assert 'name="form-0-order"' in response.text
    assert 'name="form-0-is_published"' in response.text


def test_restoring_an_earlier_version_brings_its_text_back(client, editor):
    section = Section.objects.get(slug="summary")
    original_body = section.body
    client.force_login(editor)
    client.post(reverse("admin:education_section_change", args=[section.pk]), _form_data(section, body="A worse text."))
    section.refresh_from_db()
    assert section.body == "A worse text."

    earliest = section.history.earliest()
    assert earliest.body == original_body
    url = reverse("admin:education_section_simple_history", args=[section.pk, earliest.history_id])
    form = client.get(url).context["adminform"].form
    response = client.post(url, _form_data(form.instance))
    assert response.status_code == 302

    section.refresh_from_db()
    assert section.body == original_body
    assert "In summary, Botox therapy" in section.body_html
    assert section.history.count() == 3  # seeded, edited, restored


def test_every_save_keeps_the_previous_version(client, editor):
    section = Section.objects.get(slug="introduction")
    client.force_login(editor)
    client.post(reverse("admin:education_section_change", args=[section.pk]), _form_data(section, title="Intro v2"))
    titles = list(section.history.order_by("history_date").values_list("title", flat=True))
    assert titles == ["An introduction to Botox for migraine relief", "Intro v2"]


def test_the_slug_search_is_reserved(client, editor):
    section = Section.objects.get(slug="summary")
    client.force_login(editor)
    response = client.post(
        reverse("admin:education_section_change", args=[section.pk]), _form_data(section, slug="search")
    )
    assert response.status_code == 200
    assert "This address is used by the guide itself." in response.text
    section.refresh_from_db()
    assert section.slug == "summary"


def test_an_editor_cannot_open_user_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_a_patient_cannot_open_admin(client, patient):
    client.force_login(patient)
    response = client.get(reverse("admin:education_section_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_the_anonymous_cannot_open_admin(client):
    response = client.get(reverse("admin:education_section_changelist"))
    assert response.status_code == 302
