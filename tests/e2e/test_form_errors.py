"""A refused form in a real browser at phone size (390 x 844), light and dark: the error summary is
focused and on the first screen, its links take the person to the field with its question in
view, what was typed is kept, nothing is saved, and axe (WCAG 2.2 AA) finds nothing.

With ERROR_SHOTS=<folder>, each refused page's screenshot is saved there to be looked at.
"""

import datetime as dt
import os
import re
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core import timeutil
from diary.models import SideEffectReport, TreatmentSession
from tests.conftest import PASSWORD, make_user
from tests.diary.factories import session
from tests.e2e.conftest import AXE, VIEWPORTS, Watch, check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
THEMES = ["light", "dark"]


def shot(page, name):
    folder = os.environ.get("ERROR_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{page.viewport_name}.png"))


@cache
def _axe_source():
    return AXE.read_text() + "\n;window.axe = axe;"


def assert_accessible(page):
    check(page)  # WCAG 2.1, console errors, other hosts
    page.evaluate(_axe_source())
    result = page.evaluate(f"axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})")
    violations = [f"{v['id']}: {v['help']}" for v in result["violations"]]
    assert violations == [], f"accessibility violations on {page.url}: {violations}"


def assert_summary_focused_on_the_first_screen(page, script=True):
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport(ratio=1)  # waits for a smooth scroll to end
    if script:  # the page's own view of it (page.evaluate needs the page's JavaScript)
        assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    box = summary.bounding_box()
    height = page.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"the summary is at {box}, off the first screen"
    return summary


def assert_link_reaches(page, link_text, field_selector, question_selector):
    page.locator("[data-error-summary]").get_by_role("link", name=link_text).click()
    expect(page.locator(field_selector)).to_be_focused()
    question = page.locator(question_selector).bounding_box()
    assert 0 <= question["y"] < page.viewport_size["height"], f"the field's question is off screen: {question}"


def london_today():
    return timeutil.today(timeutil.zone("Europe/London"), dt.datetime.now(dt.UTC))


@pytest.fixture
def theme(request):
    return request.param


@pytest.fixture
def patient_with_a_session(browser_page, theme):
    page = browser_page
    if theme == "dark":
        page.emulate_media(color_scheme="dark")
    user = make_user("refused.patient@example.com")
    treatment = session(user, (london_today() - dt.timedelta(days=3)).isoformat())
    sign_in(page, user.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/diary/$"))
    return page, user, treatment


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize("theme", THEMES, indirect=True)
def test_a_refused_session_form_is_summarised_on_the_first_screen(patient_with_a_session, theme):
    page, user, _ = patient_with_a_session
    page.goto(page.base + "/diary/sessions/new/")
    page.locator("#id_date").fill("")
    page.locator("#id_units").fill("300")
    page.locator("#id_given_by").fill("Nurse Kept")
    page.get_by_role("button", name="Save session").click()

    summary = assert_summary_focused_on_the_first_screen(page)
    expect(summary).to_contain_text("Give the date of the session.")
    expect(summary).to_contain_text("Units can be at most 195")
    expect(page.locator("#id_units")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_units")).to_have_value("300")
    expect(page.locator("#id_given_by")).to_have_value("Nurse Kept")
    assert_accessible(page)
    shot(page, f"session-refused-{theme}")
    assert TreatmentSession.objects.filter(patient=user).count() == 1  # the fixture's only

    assert_link_reaches(page, "Units can be at most 195", "#id_units", "label[for=id_units]")


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize("theme", THEMES, indirect=True)
def test_a_refused_side_effect_is_summarised_on_the_first_screen(patient_with_a_session, theme):
    page, user, treatment = patient_with_a_session
    page.goto(page.base + f"/diary/sessions/{treatment.pk}/side-effects/")
    page.get_by_text("Moderate", exact=True).click()  # no side effect chosen
    page.locator("#id_notes").fill("Kept note")
    page.get_by_role("button", name="Save side effect").click()

    summary = assert_summary_focused_on_the_first_screen(page)
    expect(summary).to_contain_text("Choose what you noticed")
    expect(page.locator("#id_effect_0")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_severity_1")).to_be_checked()
    expect(page.locator("#id_notes")).to_have_value("Kept note")
    assert_accessible(page)
    shot(page, f"side-effect-refused-{theme}")
    assert not SideEffectReport.objects.filter(patient=user).exists()

    assert_link_reaches(page, "Choose what you noticed", "#id_effect_0", "fieldset:has(#id_effect_0) legend")


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize("theme", ["light"], indirect=True)
def test_the_side_effect_choices_are_large_toggle_buttons(patient_with_a_session, theme):
    page, user, treatment = patient_with_a_session
    page.goto(page.base + f"/diary/sessions/{treatment.pk}/side-effects/")
    for label in page.locator(".choice-buttons label").all():
        box = label.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, f"{label.inner_text()} is {box}"
    page.get_by_text("Neck pain or stiffness").click()
    page.get_by_text("Mild", exact=True).click()
    page.get_by_role("button", name="Save side effect").click()
    expect(page.get_by_text("Side effect saved.")).to_be_visible()
    report = SideEffectReport.objects.get(patient=user)
    assert (report.effect, report.severity) == ("neck_pain", 1)


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize("theme", ["light"], indirect=True)
def test_a_refused_form_low_on_a_long_page_is_brought_into_view(patient_with_a_session, theme):
    page, user, _ = patient_with_a_session
    page.goto(page.base + "/accounts/profile/")
    page.locator("#id_medicine_class").select_option("triptan")
    page.get_by_role("button", name="Add medicine").click()  # no name
    summary = assert_summary_focused_on_the_first_screen(page)
    expect(summary).to_contain_text("Give the medicine's name")
    expect(page.locator("#id_medicine_class")).to_have_value("triptan")
    assert not user.medicines.exists()


@pytest.fixture
def no_script_page(browser, live_server, migrated_rows):
    context = browser.new_context(
        viewport=VIEWPORTS["phone"], locale="en-GB", timezone_id="Europe/London", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.watch = Watch(page, live_server.url)
    page.viewport_name = "phone"
    page.base = live_server.url
    yield page
    context.close()


def test_without_javascript_the_summary_is_still_focused(no_script_page):
    page = no_script_page
    user = make_user("no.script.refused@example.com")
    treatment = session(user, (london_today() - dt.timedelta(days=3)).isoformat())
    page.goto(page.base + "/accounts/login/")  # not sign_in(): its axe check needs the page's JavaScript
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/diary/$"))
    page.goto(page.base + f"/diary/sessions/{treatment.pk}/side-effects/")
    page.get_by_role("button", name="Save side effect").click()
    assert_summary_focused_on_the_first_screen(page, script=False)
    assert not SideEffectReport.objects.exists()
