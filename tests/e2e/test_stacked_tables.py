"""The tables that carry decisions, on a phone: stacked rows, no sideways scroll, URGENT in view.

The worklist, the progress figures and the clinic patient's diary at 390 x 844; at 1280 x 800
they stay ordinary tables. With SHOTS_DIR set, each page is saved there as a screenshot.
"""

import datetime as dt
import os
import random
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import PatientProfile
from core import timeutil
from diary import demo
from diary.models import Attack, HeadacheFreeDay, TreatmentSession
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def early_in_cycle_2(patient):
    """Baseline (28 days): a headache every other day, 14 per 28. Cycle 1 (84 days): every third
    day, 28 in 84 = 9.3 per 28, 33% fewer. Cycle 2 began 5 days ago: headaches 4 and 2 days ago,
    the other days marked headache-free, so 2 headache days in 5 days."""
    profile = PatientProfile.objects.create(user=patient, phone="07700 900123")
    today = timeutil.today(profile.tz, dt.datetime.now(dt.UTC))
    second = today - dt.timedelta(days=5)
    first = second - dt.timedelta(days=84)
    TreatmentSession.objects.bulk_create([TreatmentSession(patient=patient, date=d) for d in (first, second)])
    headache, free = [], []
    for date in (first - dt.timedelta(days=28) + dt.timedelta(days=n) for n in range(28 + 84 + 5)):
        if date < first:
            has_headache = (first - date).days % 2 == 0
        elif date < second:
            has_headache = (date - first).days % 3 == 0
        else:
            has_headache = (date - second).days in (1, 3)
        (headache if has_headache else free).append(date)
    Attack.objects.bulk_create(
        [
            Attack(patient=patient, start_date=d, start_time=dt.time(8), duration_minutes=300, severity=2)
            for d in headache
        ]
    )
    HeadacheFreeDay.objects.bulk_create([HeadacheFreeDay(patient=patient, date=d) for d in free])


def no_sideways_scroll(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways: {width} px wide in a {inner} px window"


def inside_the_width(page, locator):
    inner = page.evaluate("window.innerWidth")
    for index in range(locator.count()):
        if not locator.nth(index).is_visible():  # an empty cell, left out of the stacked row
            continue
        box = locator.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= inner, (
            f"{locator} #{index} is outside the {inner} px window: {box}"
        )


def shot(page, name):
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{page.viewport_name}.png"), full_page=True)
        width, height = page.evaluate("[window.innerWidth, document.documentElement.scrollHeight]")
        for part, top in enumerate(range(0, height, 1200)):  # in pieces short enough to read
            clip = {"x": 0, "y": top, "width": width, "height": min(1200, height - top)}
            page.screenshot(
                path=str(Path(folder) / f"{name}-{page.viewport_name}-{part}.png"), full_page=True, clip=clip
            )


@pytest.fixture
def clinic(browser_page):
    clinician = make_user("dr.stack@example.com", role="clinician", first_name="Dee", last_name="Stack")
    urgent = make_user("urgent.patient@example.com", first_name="Una", last_name="Urgent")
    demo.seed_diary(urgent, "urgent", 1, random.Random(3))
    PatientProfile.objects.filter(user=urgent).update(phone="07700 900123")
    early = make_user("early.patient@example.com", first_name="Eli", last_name="Early")
    early_in_cycle_2(early)
    for patient in (urgent, early):
        patient.shares_given.create(clinician=clinician)
    for index in range(2):
        other = make_user(f"other{index}@example.com", first_name=f"Other{index}", last_name="Patient")
        demo.seed_diary(other, "responder", 0.5, random.Random(index))
        other.shares_given.create(clinician=clinician)
    return {"clinician": clinician, "urgent": urgent, "early": early}


@pytest.mark.parametrize("viewport", ["phone"])
def test_on_a_phone_the_worklist_and_the_patient_page_stack_with_urgent_in_view(browser_page, clinic):
    page = browser_page
    sign_in(page, "dr.stack@example.com", PASSWORD)
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    check(page)
    no_sideways_scroll(page)
    urgent_badge = page.locator("table.worklist .flag-urgent_side_effect")
    expect(urgent_badge).to_have_count(1)
    inside_the_width(page, urgent_badge)
    inside_the_width(page, page.locator("table.worklist td"))
    expect(page.locator("table.worklist tbody tr").first).to_contain_text("Una Urgent")
    shot(page, "worklist")

    page.get_by_role("link", name="Una Urgent").click()
    expect(page.get_by_role("heading", name="Urgent side effect reported")).to_be_visible()
    expect(page.locator(".urgent-banner")).to_contain_text("contact the patient now")
    expect(page.get_by_role("link", name="07700 900123").first).to_be_visible()
    check(page)
    no_sideways_scroll(page)
    inside_the_width(page, page.locator("table.diary-table td, table.period-table td"))
    shot(page, "clinic-patient")


@pytest.mark.parametrize("viewport", ["phone"])
def test_on_a_phone_the_progress_figures_stack_early_in_a_cycle(browser_page, clinic):
    page = browser_page
    sign_in(page, "early.patient@example.com", PASSWORD)
    page.goto(page.base + "/diary/progress/")
    expect(page.locator("p.lead")).to_contain_text("2 headache days in the 5 days since your session.")
    check(page)
    no_sideways_scroll(page)
    inside_the_width(page, page.locator("table.period-table td"))
    shot(page, "progress-early")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_on_a_desktop_the_tables_stay_tables(browser_page, clinic):
    page = browser_page
    sign_in(page, "dr.stack@example.com", PASSWORD)
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    display = page.locator("table.worklist td").first.evaluate("cell => getComputedStyle(cell).display")
    assert display == "table-cell"
    check(page)
    shot(page, "worklist")
    page.get_by_role("link", name="Una Urgent").click()
    check(page)
    shot(page, "clinic-patient")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "early.patient@example.com", PASSWORD)
    page.goto(page.base + "/diary/progress/")
    expect(page.locator("p.lead")).to_contain_text("2 headache days in the 5 days since your session.")
    check(page)
    shot(page, "progress-early")
