"""The app on a phone (390 x 844) as a person sees it: one row of navigation, a menu that opens
without JavaScript, targets of 44 x 44 px on the diary pages, chart text of 12 px or more, and no
page that scrolls sideways.

Targets are measured as the area that answers a tap: a checkbox or radio together with its
label (a tap on either ticks it), a visually hidden toggle by its label. A link inside a sentence
is exempt, as in WCAG 2.5.8's inline exception: a link whose block holds other words besides
its own, and which is laid out inline in the line of text. The app still gives such links a
48 px tall tap area (app.css), but a short one may be narrower than 44 px.
"""

import base64
import random

import pytest
from playwright.sync_api import expect

from clinic.models import Share
from diary import demo
from diary.models import Attack, SideEffectReport, TreatmentSession
from education.models import Section
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import VIEWPORTS, check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINIMUM = 44

# The controls on a page smaller than `minimum` CSS px either way, and how many were measured.
TARGETS = """(minimum) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], '
    + '[tabindex]:not([tabindex="-1"])';
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const box = (el) => { const r = el.getBoundingClientRect(); return r.width >= 2 && r.height >= 2 ? r : null; };
  const union = (rects) => rects.filter(Boolean).reduce((a, r) => a
    ? {left: Math.min(a.left, r.left), top: Math.min(a.top, r.top),
       right: Math.max(a.right, r.right), bottom: Math.max(a.bottom, r.bottom)}
    : {left: r.left, top: r.top, right: r.right, bottom: r.bottom}, null);
  const words = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const block = (el) => {
    let n = el.parentElement;
    while (n && getComputedStyle(n).display.startsWith('inline')) n = n.parentElement;
    return n;
  };
  const inSentence = (el) => el.tagName === 'A' && getComputedStyle(el).display === 'inline'
    && words(block(el) && block(el).textContent).length > words(el.textContent).length;
  const describe = (el) => {
    const label = el.labels && el.labels.length ? words(el.labels[0].textContent) : '';
    const text = words(el.getAttribute('aria-label') || el.textContent || label || el.value || el.name);
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + (el.id ? '#' + el.id : cls)
      + ' "' + text.slice(0, 40) + '"';
  };
  let measured = 0;
  const offenders = [];
  for (const el of document.querySelectorAll(selector)) {
    const labels = el.labels ? [...el.labels].filter(shown) : [];
    if (!shown(el) && !labels.length) continue;
    if (inSentence(el)) continue;
    const own = shown(el) ? box(el) : null;
    const target = ['checkbox', 'radio', 'file'].includes(el.type) ? union([own, ...labels.map(box)]) : union([own]);
    if (!target) continue;
    measured += 1;
    const width = target.right - target.left, height = target.bottom - target.top;
    if (width < minimum - 0.01 || height < minimum - 0.01) {
      offenders.push(describe(el) + ': ' + Math.round(width) + ' x ' + Math.round(height) + ' px');
    }
  }
  return {measured, offenders};
}"""

# The size on screen, in CSS px, of every piece of text drawn in the progress chart.
CHART_TEXT = """() => [...document.querySelectorAll('.progress-chart svg :is(text, tspan)')]
  .filter((t) => t.getClientRects().length && t.textContent.trim())
  .map((t) => ({text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a}))"""

# The controls of the main navigation a person can see, with where they are.
NAV_CONTROLS = """() => [...document.querySelectorAll('nav[aria-label=Main] :is(a, button, summary)')]
  .filter((el) => el.checkVisibility())
  .map((el) => { const r = el.getBoundingClientRect();
    return {name: el.textContent.trim(), top: r.top, bottom: r.bottom, left: r.left, right: r.right}; })"""


def scrolls_sideways(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width > inner and f"{width} px wide in a {inner} px window"


def phone_only(test):
    return pytest.mark.parametrize("viewport", ["phone"])(test)


@pytest.fixture
def diary_patient(migrated_rows):
    """A patient with a year of diary, an urgent side effect (the banner on every page), a
    headache still going and a clinician they share with; and the addresses of all their pages."""
    patient = make_user("phone.patient@example.com", first_name="Pia", last_name="Phone")
    demo.seed_diary(patient, "urgent", 1, random.Random(7))
    clinician = make_user("phone.clinician@example.com", role="clinician", first_name="Cal", last_name="Clinic")
    Share.objects.create(patient=patient, clinician=clinician)
    headache = Attack.objects.filter(patient=patient).latest("start_date", "start_time")
    headache.duration_minutes = None  # still going: the home page shows its card and buttons
    headache.save()
    session = TreatmentSession.objects.filter(patient=patient).latest("date")
    side_effect = SideEffectReport.objects.filter(patient=patient).first()
    diary_pages = [
        "/diary/",
        "/diary/headaches/new/",
        f"/diary/headaches/{headache.pk}/edit/",
        f"/diary/headaches/{headache.pk}/delete/",
        "/diary/calendar/",
        f"/diary/days/{headache.start_date:%Y-%m-%d}/",
        "/diary/sessions/",
        "/diary/sessions/new/",
        f"/diary/sessions/{session.pk}/edit/",
        f"/diary/sessions/{session.pk}/delete/",
        f"/diary/sessions/{session.pk}/side-effects/",
        f"/diary/side-effects/{side_effect.pk}/delete/",
        "/diary/progress/",
        "/diary/report/",
        "/diary/midas/",
        "/diary/sharing/",
        "/diary/import/",
    ]
    return {"patient": patient, "clinician": clinician, "diary_pages": diary_pages}


@phone_only
def test_every_control_on_the_diary_pages_is_at_least_44_px_each_way(browser_page, diary_patient):
    page = browser_page
    sign_in(page, "phone.patient@example.com", PASSWORD)
    offenders, measured = {}, 0
    for url in diary_patient["diary_pages"]:
        page.goto(page.base + url)
        result = page.evaluate(TARGETS, MINIMUM)
        measured += result["measured"]
        if result["offenders"]:
            offenders[url] = result["offenders"]
    page.goto(page.base + "/diary/")
    page.get_by_text("Menu", exact=True).click()
    result = page.evaluate(TARGETS, MINIMUM)
    if result["offenders"]:
        offenders["/diary/ with the menu open"] = result["offenders"]
    assert measured > 8 * len(diary_patient["diary_pages"]), "the measurement found the controls"
    listing = "\n".join(f"{url}\n  " + "\n  ".join(found) for url, found in offenders.items())
    assert offenders == {}, f"controls smaller than {MINIMUM} x {MINIMUM} px at 390 x 844:\n{listing}"


def _visit_all(page, urls):
    wide = {}
    for url in urls:
        page.goto(page.base + url)
        expect(page.locator("main")).to_be_visible()
        if problem := scrolls_sideways(page):
            wide[url] = problem
    return wide


@phone_only
def test_no_page_of_a_patient_scrolls_sideways(browser_page, diary_patient):
    page = browser_page
    sign_in(page, "phone.patient@example.com", PASSWORD)
    section = Section.objects.published().first()
    others = ["/", "/learn/", section.get_absolute_url(), "/learn/search/?q=botox", "/accounts/profile/"]
    others += ["/accounts/password_change/", "/accounts/delete/"]
    assert _visit_all(page, diary_patient["diary_pages"] + others) == {}


@phone_only
def test_no_page_of_a_clinician_scrolls_sideways(browser_page, diary_patient):
    page = browser_page
    sign_in(page, "phone.clinician@example.com", PASSWORD)
    patient = f"/clinic/patients/{diary_patient['patient'].pk}"
    urls = ["/clinic/", "/clinic/?q=nobody", f"{patient}/", f"{patient}/report/", f"{patient}/sessions/new/"]
    urls += [f"{patient}/baseline/", "/learn/", "/accounts/profile/"]
    assert _visit_all(page, urls) == {}


@phone_only
def test_no_page_of_a_visitor_scrolls_sideways(browser_page):
    page = browser_page
    urls = ["/", "/learn/", "/learn/search/?q=botox", "/accounts/login/", "/accounts/signup/"]
    assert _visit_all(page, urls + ["/accounts/password_reset/"]) == {}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_progress_chart_text_is_at_least_12_px(browser_page, diary_patient):
    page = browser_page
    sign_in(page, "phone.patient@example.com", PASSWORD)
    for url in ("/diary/progress/", "/diary/report/", f"/clinic/patients/{diary_patient['patient'].pk}/"):
        if url.startswith("/clinic/"):
            sign_in(page, "phone.clinician@example.com", PASSWORD)
        page.goto(page.base + url)
        texts = page.evaluate(CHART_TEXT)
        assert len(texts) > 10, f"the chart on {url} has its labels"
        small = [f"{t['text']!r}: {t['px']:.1f} px" for t in texts if t["px"] < 12 - 0.05]
        assert small == [], f"chart text under 12 px on {url} at {page.viewport_name} size: {small}"
        assert not scrolls_sideways(page)


@phone_only
def test_the_phone_chart_draws_the_same_periods_as_the_wide_one(browser_page, diary_patient):
    page = browser_page
    sign_in(page, "phone.patient@example.com", PASSWORD)
    page.goto(page.base + "/diary/progress/")
    expect(page.locator("svg.chart-phone")).to_be_visible()
    expect(page.locator("svg.chart-wide")).to_be_hidden()
    wide = page.locator("svg.chart-wide .period rect").evaluate_all("rs => rs.map(r => r.textContent.trim())")
    phone = page.locator("svg.chart-phone .period rect").evaluate_all("rs => rs.map(r => r.textContent.trim())")
    assert phone == wide and len(phone) >= 9  # the same bars, titled alike: 3 per period
    check(page)


@pytest.mark.parametrize(
    ("email", "row"),
    [
        ("phone.patient@example.com", ["Diary", "Progress", "Calendar", "Menu"]),
        ("phone.clinician@example.com", ["Migraine diary", "Worklist", "Menu"]),
        (None, ["Migraine diary", "Sign in", "Menu"]),
    ],
)
@phone_only
def test_the_navigation_is_one_row_on_a_phone(browser_page, diary_patient, email, row):
    page = browser_page
    if email:
        sign_in(page, email, PASSWORD)
    page.goto(page.base + "/learn/")
    controls = page.evaluate(NAV_CONTROLS)
    assert [c["name"] for c in controls] == row
    assert max(c["top"] for c in controls) - min(c["top"] for c in controls) < 4, controls
    assert all(c["bottom"] - c["top"] >= MINIMUM for c in controls)
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 64, f"the navigation takes {header['height']} px"
    assert not scrolls_sideways(page)
    page.set_viewport_size({"width": 320, "height": 640})  # the smallest phones in use
    assert page.locator("header.site-header").bounding_box()["height"] <= 64
    assert not scrolls_sideways(page)


@pytest.mark.parametrize("viewport", ["desktop"])
def test_on_a_desktop_every_link_is_in_the_row_without_a_menu(browser_page, diary_patient):
    page = browser_page
    sign_in(page, "phone.patient@example.com", PASSWORD)
    controls = page.evaluate(NAV_CONTROLS)
    names = ["Migraine diary", "Diary", "Progress", "Calendar", "Sessions", "Sharing", "Guide", "Profile", "Sign out"]
    assert [c["name"] for c in controls] == names
    assert max(c["top"] for c in controls) - min(c["top"] for c in controls) < 4
    page.get_by_role("link", name="Sharing").click()
    expect(page.get_by_role("link", name="Sharing")).to_have_attribute("aria-current", "page")
    check(page)


def test_the_menu_opens_and_leads_on_with_javascript_off(browser, live_server, diary_patient):
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("phone.patient@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Diary", exact=True)).to_have_attribute("aria-current", "page")
    sharing = page.get_by_role("link", name="Sharing")
    expect(sharing).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(sharing).to_be_visible()
    sharing.click()
    expect(page.get_by_role("heading", name="Sharing your diary")).to_be_visible()
    expect(page.locator("details.site-menu.holds-current")).to_have_count(1)  # the bar under "Menu"
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("link", name="Sharing")).to_have_attribute("aria-current", "page")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    context.close()


@phone_only
def test_the_open_menu_passes_axe_and_covers_no_link_it_does_not_offer(browser_page, diary_patient):
    page = browser_page
    sign_in(page, "phone.patient@example.com", PASSWORD)
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    check(page)
    names = [c["name"] for c in page.evaluate(NAV_CONTROLS)]
    assert names == ["Diary", "Progress", "Calendar", "Menu", "Sessions", "Sharing", "Guide", "Profile", "Sign out"]


def _strip_darkness(page, locator):
    """How dark, 0 to 255, the bottom 3 px of an element are on screen (from a screenshot)."""
    png = base64.b64encode(locator.screenshot()).decode()
    return page.evaluate(
        """async (png) => {
          const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
          const image = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
          const canvas = new OffscreenCanvas(image.width, image.height);
          const context = canvas.getContext('2d');
          context.drawImage(image, 0, 0);
          const data = context.getImageData(0, image.height - 3, image.width, 3).data;
          let sum = 0;
          for (let i = 0; i < data.length; i += 4) sum += (data[i] + data[i + 1] + data[i + 2]) / 3;
          return 255 - sum / (data.length / 4);
        }""",
        png,
    )


@phone_only
def test_the_current_page_is_marked_by_a_bar_under_its_link_not_by_colour_alone(browser_page, diary_patient):
    page = browser_page
    sign_in(page, "phone.patient@example.com", PASSWORD)
    page.goto(page.base + "/diary/calendar/")
    current, other = page.get_by_role("link", name="Calendar"), page.get_by_role("link", name="Progress")
    expect(current).to_have_attribute("aria-current", "page")
    assert _strip_darkness(page, current) > _strip_darkness(page, other) + 100


@phone_only
def test_log_a_headache_is_on_the_first_screen_of_a_phone(browser_page, migrated_rows):
    page = browser_page
    patient = make_user("first.screen@example.com")
    demo.seed_diary(patient, "responder", 1, random.Random(2))
    sign_in(page, "first.screen@example.com", PASSWORD)
    button = page.get_by_role("link", name="Log a headache")
    box = button.bounding_box()
    assert box["y"] + box["height"] <= VIEWPORTS["phone"]["height"], "Log a headache needs a scroll on a phone"
