"""People's whole paths through the app in a real browser, at a desktop size and on a phone.

Every page visited is checked by `check`: axe-core (WCAG 2.1 A and AA) finds no violation, the
console has no error, and nothing is requested from another host.
"""

import datetime as dt
import json
import random
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from accounts.models import PatientProfile
from clinic.models import AccessLogEntry
from clinic.services import clinician_profile
from core import timeutil
from diary import demo
from diary.models import Attack, AttackMedicine, HeadacheFreeDay, TreatmentSession
from education.models import Section
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_menu(page):
    """On a phone the navigation's less used links are under "Menu" (a <details>): open it."""
    menu = page.locator("details.site-menu")
    if menu.locator("> summary").is_visible() and not menu.evaluate("m => m.open"):
        menu.locator("> summary").click()


def sign_out(page):
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_new_patient_signs_up_logs_marks_and_sees_their_cycle(browser_page):
    page = browser_page
    page.goto(page.base + "/")
    check(page, "home")
    page.goto(page.base + "/accounts/signup/")
    check(page, "sign-up")
    page.get_by_label("Email address").fill("new.patient@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    expect(page.get_by_label("Your time zone")).to_have_value("Europe/London")  # guessed from the browser
    page.get_by_role("button", name="Create account").click()

    # The same answer as for an address that has an account: the link in the email finishes it.
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    check(page, "sign-up-sent")
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", message.body).group(1)
    page.goto(page.base + link)
    page.get_by_role("button", name="Confirm and open my diary").click()

    expect(page.get_by_text("Your diary is ready")).to_be_visible()
    check(page, "diary-home")

    # Log a headache from the home page: the form, then home again.
    page.get_by_role("link", name="Log a headache").click()
    check(page, "log-headache")
    page.get_by_text("About 2 hours ago").click()
    page.get_by_text("1 hour", exact=True).click()
    page.get_by_text("Moderate: It got in the way").click()
    page.locator("summary", has_text="What was it like?").click()  # folded until wanted
    page.get_by_text("Feeling sick").click()
    page.get_by_role("button", name="Save headache").click()
    expect(page.get_by_text("Headache saved:")).to_be_visible()
    check(page)

    # Three past days without a headache, in one step.
    boxes = page.locator(".week-list input[type=checkbox]")
    for index in range(3):
        boxes.nth(index).check()
    page.get_by_role("button", name="Mark ticked days: no headache").click()
    expect(page.get_by_text("Saved: 3 days without a headache.")).to_be_visible()
    check(page)
    user = get_user_model().objects.get(username="new.patient@example.com")
    assert HeadacheFreeDay.objects.filter(patient=user).count() == 3
    assert Attack.objects.filter(patient=user, nausea=True).count() == 1

    page.goto(page.base + "/diary/calendar/")
    check(page, "calendar")

    # A treatment session, then the side-effect question.
    page.goto(page.base + "/diary/sessions/")
    check(page)
    page.get_by_role("link", name="Add a treatment session").click()
    check(page, "add-session")
    expect(page.get_by_label("Units")).to_have_value("155")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Any side effects since your session")).to_be_visible()
    check(page, "side-effects")
    page.get_by_text("Neck pain or stiffness").click()
    page.get_by_text("Mild", exact=True).click()
    page.get_by_role("button", name="Save side effect").click()
    expect(page.get_by_text("Side effect saved.")).to_be_visible()
    check(page)

    page.get_by_role("link", name="Progress").click()
    expect(page.get_by_text("Cycle 1, day 1.")).to_be_visible()
    check(page)

    page.goto(page.base + "/learn/what-to-expect/")
    check(page, "guide-section")


@pytest.fixture
def totp_clinician(settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.REQUIRE_2FA = True
    clinician = make_user("dr.jones@example.com", role="clinician", first_name="Rhiannon", last_name="Jones")
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    return clinician, device


def current_code(device):
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_patient_shares_and_the_clinician_reviews_and_records_a_session(browser_page, totp_clinician):
    page = browser_page
    clinician, device = totp_clinician
    patient = make_user("sharing.patient@example.com", first_name="Sam", last_name="Sharer")
    demo.seed_diary(patient, "urgent", 1, random.Random(3))
    for index in range(3):  # other patients of the same clinician, with fewer needs
        other = make_user(f"other{index}@example.com", first_name=f"Other{index}")
        demo.seed_diary(other, "responder", 0.5, random.Random(index))
        other.shares_given.create(clinician=clinician)

    sign_in(page, "sharing.patient@example.com", PASSWORD)
    expect(page.get_by_text("Seek urgent medical care now")).to_be_visible()
    check(page, "urgent")
    open_menu(page)
    page.get_by_role("link", name="Sharing").click()
    check(page)
    page.get_by_label("Your clinician's share code").fill(clinician_profile(clinician).display_code)
    page.get_by_role("button", name="Share my diary").click()
    expect(page.get_by_text("Your diary is now shared with Rhiannon Jones.")).to_be_visible()
    check(page, "sharing")
    sign_out(page)

    sign_in(page, "dr.jones@example.com", PASSWORD)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    check(page)
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    check(page, "worklist")
    page.get_by_label("Show").select_option("urgent_side_effect")
    page.get_by_role("button", name="Filter").click()
    first_row = page.locator("table.worklist tbody tr").first
    expect(first_row).to_contain_text("Sam Sharer")
    expect(first_row).to_contain_text("URGENT side effect")
    check(page)
    first_row.get_by_role("link", name="Sam Sharer").click()
    expect(page.get_by_role("heading", name="Progress, as the patient sees it")).to_be_visible()
    check(page, "clinic-patient")

    page.get_by_role("link", name="Record a treatment session").click()
    check(page)
    today = timeutil.today(PatientProfile.objects.get(user=patient).tz, dt.datetime.now(dt.UTC))
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text(f"Treatment session of {today.day} {today:%B %Y} recorded.")).to_be_visible()
    check(page)
    assert TreatmentSession.objects.filter(patient=patient, date=today, recorded_by=clinician).exists()
    sign_out(page)

    sign_in(page, "sharing.patient@example.com", PASSWORD)
    page.goto(page.base + "/diary/sharing/")
    log = page.locator("table").last
    expect(log).to_contain_text("Rhiannon Jones")
    expect(log).to_contain_text("Diary and progress page")
    check(page)
    assert AccessLogEntry.objects.filter(patient=patient, clinician=clinician).exists()


def test_an_editor_changes_the_guide_and_restores_the_earlier_version(browser_page):
    page = browser_page
    make_user("guide.editor@example.com", role="editor")
    original = Section.objects.get(slug="summary").body

    sign_in(page, "guide.editor@example.com", PASSWORD)
    expect(page.get_by_role("link", name="Patient guide")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Sections").click()
    check(page)
    page.get_by_role("link", name="In summary").click()
    check(page)
    page.locator("#id_body").fill("Botox can help. **Keep your diary** and talk to your clinician.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    page.goto(page.base + "/learn/summary/")
    expect(page.locator(".section-body strong")).to_have_text("Keep your diary")
    check(page)

    page.goto(page.base + f"/admin/education/section/{Section.objects.get(slug='summary').pk}/history/")
    check(page)
    page.locator("#change-history a").last.click()  # the oldest version: the seeded text
    check(page)
    page.get_by_role("button", name="Revert").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert Section.objects.get(slug="summary").body == original
    page.goto(page.base + "/learn/summary/")
    expect(page.get_by_text("In summary, Botox therapy for chronic migraines")).to_be_visible()


def _plain_diary(patient, years=0.6, seed=11):
    """A diary of attacks, marks and sessions only: what the CSV carries."""
    profile = PatientProfile.objects.create(user=patient)
    now = dt.datetime.now(dt.UTC)
    today = timeutil.today(profile.tz, now)
    sessions, attacks, marks = demo.build(
        "partial", today - dt.timedelta(days=int(365 * years)), today, now, profile.tz, random.Random(seed)
    )
    TreatmentSession.objects.bulk_create([TreatmentSession(patient=patient, date=d) for d in sessions])
    rows = Attack.objects.bulk_create(
        [Attack(patient=patient, **{k: v for k, v in a.items() if k != "medicines"}) for a in attacks]
    )
    AttackMedicine.objects.bulk_create(
        [
            AttackMedicine(attack=row, medicine_class=c, name=n)
            for row, a in zip(rows, attacks, strict=True)
            for c, n in a["medicines"]
        ]
    )
    HeadacheFreeDay.objects.bulk_create([HeadacheFreeDay(patient=patient, date=d) for d in marks])


def test_a_csv_export_imported_into_a_second_account_gives_the_same_progress(browser_page, tmp_path):
    page = browser_page
    first = make_user("exporter@example.com")
    _plain_diary(first)
    make_user("importer@example.com")

    sign_in(page, "exporter@example.com", PASSWORD)
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download diary (CSV)").click()
    path = tmp_path / "diary.csv"
    download.value.save_as(path)
    first_json = page.request.get(page.base + "/diary/progress.json").json()
    sign_out(page)

    sign_in(page, "importer@example.com", PASSWORD)
    page.goto(page.base + "/diary/import/")
    check(page, "import")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text(re.compile(r"Imported: \d+ rows added, 0 skipped"))).to_be_visible()
    check(page)
    second_json = page.request.get(page.base + "/diary/progress.json").json()
    assert first_json["periods"], "the diary has cycles to compare"
    assert json.dumps(second_json, sort_keys=True) == json.dumps(first_json, sort_keys=True)


def test_the_printable_report_of_3_years_is_one_a4_page(browser_page, tmp_path):
    page = browser_page
    patient = make_user("three.years@example.com", first_name="Tess", last_name="Threeyears")
    demo.seed_diary(patient, "overuser", 3, random.Random(5))
    sign_in(page, "three.years@example.com", PASSWORD)
    page.goto(page.base + "/diary/progress/")
    check(page, "progress")
    page.goto(page.base + "/diary/report/")
    check(page, "report")
    expect(page.get_by_role("heading", name="Headache diary report: Tess Threeyears")).to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the report printed on {pages} pages"


def test_the_log_a_headache_form_works_with_the_keyboard_alone(browser_page):
    page = browser_page
    patient = make_user("keyboard@example.com")
    sign_in(page, "keyboard@example.com", PASSWORD)
    page.goto(page.base + "/diary/headaches/new/")
    check(page)

    def tab_to(selector, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("input[name=when]")  # the checked radio of the group gets the focus
    page.keyboard.press("ArrowRight")  # About 1 hour ago
    tab_to("input[name=duration_choice]")
    for _ in range(2):
        page.keyboard.press("ArrowRight")  # 30 minutes, then 1 hour
    tab_to("input[name=severity]")
    page.keyboard.press("Space")  # the first: mild
    page.keyboard.press("ArrowDown")  # moderate
    tab_to("details.more-details > summary")
    page.keyboard.press("Enter")  # opens "What was it like?"
    tab_to("input[name=nausea]")
    page.keyboard.press("Space")
    tab_to("button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Headache saved:")).to_be_visible()
    attack = Attack.objects.get(patient=patient)
    assert (attack.duration_minutes, attack.severity, attack.nausea) == (60, 2, True)


@pytest.mark.parametrize("viewport", ["desktop"])  # the page sets its own 360 px size
def test_logging_from_home_is_three_screens_at_most_each_usable_at_360_px(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    make_user("narrow@example.com")
    sign_in(page, "narrow@example.com", PASSWORD)  # lands on the diary home: screen 1
    screens = []

    def fits():
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{page.url} is {width} px wide at 360 px"
        screens.append(page.url)

    fits()
    page.get_by_role("link", name="Log a headache").click()  # screen 2
    fits()
    page.get_by_role("button", name="Save headache").click()  # refused: worst pain is needed
    expect(page.get_by_text("Choose how bad it was at its worst").first).to_be_visible()
    page.get_by_text("Severe: I could not do").click()
    page.get_by_role("button", name="Save headache").click()  # back home: screen 3
    expect(page.get_by_text("Headache saved:")).to_be_visible()
    fits()
    assert len(screens) == 3
