"""Other preventives, eligibility and By guideline (issue #15) in a real browser, at a desktop size
and on a phone, each page checked by `check` (axe in light and dim, no console error, nothing from
another host; screenshots with SAVE_SCREENSHOTS=1).

1. A patient adds a preventive from the suggestions, says it has stopped, and sees it under the
   cycles on the progress page, with the By guideline panel.
2. A refused course is summarised on the first screen and nothing is saved.
3. A clinician the patient shares with reads the eligibility checklist and the By guideline
   panel, and adds a course for the patient.
"""

import datetime as dt
import os
import random
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from clinic.models import Share
from core import timeutil
from diary import demo
from diary.models import MidasAnswer, PreventiveCourse, TreatmentSession
from tests.conftest import PASSWORD, make_user
from tests.diary.test_preventives import guideline_diary
from tests.e2e import conftest as e2e
from tests.e2e import test_phone_layout as layout
from tests.e2e.conftest import check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def screenshots_elsewhere(monkeypatch):
    """PREVENTIVE_SHOTS=<folder>: this file's screenshots go there (the sign-in page's included),
    so that the README's own in docs/screenshots are not made again by these tests."""
    folder = os.environ.get("PREVENTIVE_SHOTS")
    if folder:
        monkeypatch.setattr(e2e, "SCREENSHOTS", Path(folder))
        monkeypatch.setenv("SAVE_SCREENSHOTS", "1")


def london_today():
    return timeutil.today(timeutil.zone("Europe/London"), dt.datetime.now(dt.UTC))


@pytest.fixture
def guideline_patient(migrated_rows):
    """The hand-worked diary of tests/diary/test_preventives.py, moved to the real today."""
    patient = make_user("preventive.patient@example.com", first_name="Pat", last_name="Preventive")
    guideline_diary(patient, today=london_today())
    return patient


def test_a_patient_adds_a_preventive_stops_it_and_sees_it_under_the_cycles(browser_page, guideline_patient):
    page = browser_page
    today = london_today()
    sign_in(page, guideline_patient.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/diary/$"))

    # From the sessions page, where the treatment is.
    page.goto(page.base + "/diary/sessions/")
    page.get_by_role("link", name="Other preventive medicines").click()
    expect(page.get_by_role("heading", name="Other preventive medicines")).to_be_visible()
    check(page, "preventives")

    page.get_by_role("link", name="Add a medicine").click()
    check(page, "preventive-add")
    page.get_by_label("Medicine").fill("Erenumab (Aimovig)")  # one of the suggestions; the type left out
    start = today - dt.timedelta(days=30)
    page.get_by_label("Started on").fill(start.isoformat())
    expect(page.locator("#id_stop_reason_0")).to_be_checked()  # "Still taking it", already chosen
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Erenumab (Aimovig) saved.")).to_be_visible()
    check(page)
    added = PreventiveCourse.objects.get(patient=guideline_patient, name="Erenumab (Aimovig)")
    assert (added.drug_class, added.start, added.stop) == ("cgrp_antibody", start, None)

    page.get_by_role("link", name="It has stopped taking Erenumab (Aimovig)").click()
    check(page, "preventive-stop")
    stop = today - dt.timedelta(days=3)
    page.get_by_label("Stopped on").fill(stop.isoformat())
    page.get_by_text("Side effects", exact=True).click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Erenumab (Aimovig): stopped on")).to_be_visible()
    added.refresh_from_db()
    assert (added.stop, added.stop_reason) == (stop, "side_effects")
    page.get_by_role("link", name="Change Erenumab (Aimovig)").click()
    expect(page.locator("#id_stop_reason_2")).to_be_checked()  # as saved: stopped for side effects
    check(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Delete Erenumab (Aimovig)").click()
    check(page)
    page.get_by_role("link", name="No, keep it").click()
    assert PreventiveCourse.objects.filter(pk=added.pk).exists()

    page.goto(page.base + "/diary/progress/")
    timeline = page.locator(f"svg.timeline-{'phone' if page.viewport_name == 'phone' else 'wide'}")
    expect(timeline).to_be_visible()
    expect(timeline.locator("text.timeline-name", has_text="Erenumab (Aimovig)")).to_have_count(1)
    note = "Another preventive was started or stopped in this cycle: compare it with care."
    expect(page.get_by_text(note).first).to_be_visible()
    panel = page.locator("#by-guideline")
    expect(panel).to_contain_text("By the American Headache Society's measure, the treatment is helping")
    expect(panel).to_contain_text("64% fewer moderate or severe days")
    expect(panel).to_contain_text("Discuss with your clinician")
    check(page, "progress-preventives")


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_course_that_stops_before_it_starts_is_refused_on_the_first_screen(browser_page, guideline_patient):
    page = browser_page
    sign_in(page, guideline_patient.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/diary/$"))
    before = PreventiveCourse.objects.count()
    page.goto(page.base + "/diary/preventives/new/")
    page.get_by_label("Medicine").fill("Propranolol 40 mg")
    page.get_by_label("Started on").fill("2026-03-10")
    page.get_by_text("Stopped: it did not help enough").click()
    page.get_by_label("Stopped on").fill("2026-03-01")
    page.get_by_role("button", name="Save").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport(ratio=1)
    expect(summary).to_contain_text("It cannot have stopped before it started (10 March 2026)")
    expect(page.locator("#id_stop")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name")).to_have_value("Propranolol 40 mg")
    expect(page.locator("#id_stop_reason_1")).to_be_checked()
    check(page, "preventive-refused")
    assert PreventiveCourse.objects.count() == before
    for label in page.locator(".choice-buttons label").all():  # big targets
        box = label.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, f"{label.inner_text()} is {box}"


def test_a_clinician_reads_the_eligibility_and_by_guideline_and_adds_a_course(browser_page, guideline_patient):
    page = browser_page
    clinician = make_user("preventive.clinician@example.com", role="clinician", first_name="Cleo", last_name="Lin")
    Share.objects.create(patient=guideline_patient, clinician=clinician)
    sign_in(page, clinician.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/clinic/"))
    page.goto(page.base + f"/clinic/patients/{guideline_patient.pk}/")

    checklist = page.locator("#eligibility")
    expect(checklist).to_contain_text("✓ Chronic migraine by the diary: Yes.")
    expect(checklist).to_contain_text("21.4 headache days and 21.4 migraine days per 30 days in the baseline")
    expect(checklist).to_contain_text("✓ 3 preventives failed before Botox: Yes.")
    expect(checklist).to_contain_text("Propranolol")
    expect(checklist).to_contain_text("✓ Medication overuse at baseline: No.")
    expect(checklist).to_contain_text("This informs a decision that remains the clinician's.")
    panel = page.locator("#by-guideline")
    expect(panel).to_contain_text("Cycle 2: 30% fewer headache days: meets NICE's 30%.")
    expect(panel).to_contain_text("Benefit in cycle 2: 64% fewer moderate or severe days.")
    page.locator("#by-guideline summary", has_text="Thresholds this clinic uses").click()
    expect(panel).to_contain_text("DIARY_EPISODIC_THRESHOLD")
    check(page, "clinic-eligibility")

    page.get_by_role("link", name="Add a preventive treatment").first.click()
    check(page, "clinic-preventive-add")
    page.get_by_label("Medicine").fill("Flunarizine")
    page.get_by_label("Started on").fill((london_today() - dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Flunarizine saved.")).to_be_visible()
    expect(page.locator("#preventives")).to_contain_text("Flunarizine")
    saved = PreventiveCourse.objects.get(patient=guideline_patient, name="Flunarizine")
    assert (saved.drug_class, saved.recorded_by) == ("flunarizine", clinician)
    check(page)
    for view in ("stop", "edit", "delete"):
        page.goto(page.base + f"/clinic/patients/{guideline_patient.pk}/preventives/{saved.pk}/{view}/")
        check(page)
    page.goto(page.base + f"/clinic/patients/{guideline_patient.pk}/")
    page.get_by_role("link", name="Record a MIDAS").click()
    check(page, "clinic-midas")
    for field in page.locator("input[type=number]").all():
        field.fill("3")
    page.get_by_role("button", name="Save MIDAS").click()
    expect(page.get_by_text("saved: score 15.")).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop"])
def test_the_report_of_3_years_with_preventives_is_one_a4_page(browser_page, migrated_rows):
    page = browser_page
    patient = make_user("three.years.preventives@example.com", first_name="Tia", last_name="Threeyears")
    demo.seed_diary(patient, "overuser", 3, random.Random(5))
    sessions = sorted(TreatmentSession.objects.filter(patient=patient).values_list("date", flat=True))
    first = sessions[0]
    for number, (name, drug_class) in enumerate(
        [("Propranolol", "beta_blocker"), ("Topiramate", "antiepileptic"), ("Amitriptyline", "antidepressant")]
    ):
        start = first - dt.timedelta(days=400 - 120 * number)
        PreventiveCourse.objects.create(
            patient=patient, name=name, drug_class=drug_class, start=start,
            stop=start + dt.timedelta(days=90), stop_reason="not_effective",
        )  # fmt: skip
    for session_date in sessions[2:6]:  # a start and a stop in several cycles
        start = session_date + dt.timedelta(days=10)
        PreventiveCourse.objects.create(
            patient=patient, name="Candesartan 8 mg", drug_class="candesartan", start=start,
            stop=start + dt.timedelta(days=30), stop_reason="side_effects",
        )  # fmt: skip
    PreventiveCourse.objects.create(
        patient=patient, name="Erenumab (Aimovig)", drug_class="cgrp_antibody", start=sessions[-2]
    )
    sign_in(page, patient.email, PASSWORD)
    page.goto(page.base + "/diary/report/")
    expect(page.get_by_role("heading", name="Eligibility for Botox (NICE TA260)")).to_be_visible()
    check(page, "report-preventives")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the report printed on {pages} pages"


def test_a_patient_before_their_first_session_answers_the_midas_from_the_progress_page(browser_page, migrated_rows):
    page = browser_page
    patient = make_user("before.botox@example.com")
    sign_in(page, patient.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/diary/$"))
    page.get_by_role("link", name="Progress").click()
    offer = page.locator(".baseline-midas-offer")
    expect(offer).to_contain_text("Before your first treatment")
    expect(page.get_by_role("link", name="Add other preventive medicines")).to_be_visible()
    check(page, "progress-before-treatment")
    offer.get_by_role("link").click()
    for field in page.locator("input[type=number]").all():
        field.fill("2")
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Thank you. Your MIDAS score is 10.")).to_be_visible()
    expect(page.locator(".baseline-midas")).to_contain_text("score 10")
    expect(page.locator(".baseline-midas-offer")).to_have_count(0)
    check(page)
    assert MidasAnswer.objects.get(patient=patient).answered_on == london_today()


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_preventive_pages_have_big_targets_and_no_sideways_scroll(browser_page, guideline_patient):
    page = browser_page
    sign_in(page, guideline_patient.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/diary/$"))
    mine = PreventiveCourse.objects.filter(patient=guideline_patient, stop__isnull=True).first()
    urls = ["/diary/preventives/", "/diary/preventives/new/", "/diary/progress/"]
    urls += [f"/diary/preventives/{mine.pk}/{view}/" for view in ("edit", "stop", "delete")]
    offenders = {}
    for url in urls:
        page.goto(page.base + url)
        result = page.evaluate(layout.TARGETS, layout.MINIMUM)
        if result["offenders"]:
            offenders[url] = result["offenders"]
        assert not layout.scrolls_sideways(page), url
    assert offenders == {}, f"controls smaller than {layout.MINIMUM} px: {offenders}"
