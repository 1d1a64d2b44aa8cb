import pytest
from django.urls import reverse

from education.models import Section

SEEDED_SLUGS = ["introduction", "how-botox-works", "what-to-expect", "side-effects", "expected-results", "summary"]


@pytest.fixture
def draft(db):
    return Section.objects.create(
        title="Coming soon: travel and treatment", slug="travel", body="Draft text about travel.", order=99
    )


@pytest.mark.django_db
def test_the_seeded_guide_is_in_order():
    assert list(Section.objects.published().values_list("slug", flat=True)) == SEEDED_SLUGS


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SEEDED_SLUGS)
def test_every_seeded_section_renders_at_its_url(client, slug):
    section = Section.objects.get(slug=slug)
    response = client.get(f"/learn/{slug}/")
    assert response.status_code == 200
    assert section.title in response.text
    # The body's first words are on the page, rendered from Markdown.
    first_words = section.body.lstrip("# ").split()[0]
    assert first_words in response.text


@pytest.mark.django_db
def test_the_seed_typo_is_mended():
    body = Section.objects.get(slug="expected-results").body
    assert body.startswith("Migraine outcomes vary")
    assert "Migration" not in body


@pytest.mark.django_db
def test_what_to_expect_has_its_five_parts():
    html = Section.objects.get(slug="what-to-expect").body_html
    for heading in [
        "Preparation and consultation",
        "Number of sessions and injections",
        "The injection procedure",
        "After treatment",
        "Monitoring and follow-up",
    ]:
        assert f"<h2>{heading}</h2>" in html


@pytest.mark.django_db
def test_contents_lists_sections_in_order(client):
    response = client.get(reverse("education:guide"))
    assert response.status_code == 200
    positions = [response.text.index(Section.objects.get(slug=slug).title) for slug in SEEDED_SLUGS]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_section_links_previous_and_next(client):
    response = client.get("/learn/what-to-expect/")
    assert response.context["previous"].slug == "how-botox-works"
    assert response.context["next"].slug == "side-effects"
    first = client.get("/learn/introduction/")
    assert first.context["previous"] is None
    last = client.get("/learn/summary/")
    assert last.context["next"] is None


@pytest.mark.django_db
def test_section_shows_when_it_was_last_reviewed(client):
    Section.objects.filter(slug="side-effects").update(last_reviewed="2026-10-01", reviewed_by="Dr A. Khan")
    response = client.get("/learn/side-effects/")
    assert "Last reviewed 1 October 2026 by Dr A. Khan" in response.text


@pytest.mark.django_db
def test_an_unknown_section_is_404(client):
    assert client.get("/learn/no-such-section/").status_code == 404


def test_an_unpublished_section_is_404_for_the_public(client, draft):
    assert client.get("/learn/travel/").status_code == 404
    assert "Coming soon" not in client.get(reverse("education:guide")).text


def test_an_unpublished_section_is_404_for_a_patient(client, draft, patient):
    client.force_login(patient)
    assert client.get("/learn/travel/").status_code == 404


def test_staff_can_preview_an_unpublished_section(client, draft, editor):
    client.force_login(editor)
    response = client.get("/learn/travel/")
    assert response.status_code == 200
    assert "Draft preview" in response.text


def test_a_script_in_a_body_never_reaches_the_page(client, db):
    Section.objects.create(
        title="Hostile",
        slug="hostile",
        is_published=True,
        body='Hello <script>alert("x")</script> <img src=x onerror="alert(2)">',
    )
    response = client.get("/learn/hostile/")
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "onerror" not in response.text


@pytest.mark.django_db
def test_search_finds_a_section_by_a_word_from_its_body(client):
    response = client.get(reverse("education:search"), {"q": "pathogenesis"})
    assert [section.slug for section in response.context["results"]] == ["what-to-expect"]


@pytest.mark.django_db
def test_search_finds_nothing_for_an_absent_word(client):
    response = client.get(reverse("education:search"), {"q": "zebrafish"})
    assert response.context["results"] == []
    assert "No section of the guide matches" in response.text


def test_search_does_not_find_unpublished_sections_for_the_public(client, draft):
    response = client.get(reverse("education:search"), {"q": "travel"})
    assert response.context["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "\x00", "a" * 5000, "'; DROP TABLE education_section; --", "&|!:*"])
def test_search_survives_odd_queries(client, query):
    response = client.get(reverse("education:search"), {"q": query})
    assert response.status_code == 200


@pytest.mark.django_db
def test_home_page_leads_to_the_guide_and_the_diary(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/learn/"' in response.text
    assert 'href="/diary/"' in response.text
    assert "This app supports, and does not replace, your clinician's advice" in response.text
    assert '<html lang="en-GB"' in response.text
    assert 'href="#main"' in response.text
