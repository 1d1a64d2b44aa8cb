"""The calendar and the dim theme as a person sees them: the colours painted on screen (a
screenshot's pixels), the page's background, axe (WCAG 2.2 AA) in both themes, the switch
without JavaScript, and printing."""

import datetime as dt
import re
from functools import cache

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.models import DisplayPreference
from clinic.models import Share
from tests.conftest import PASSWORD, make_user
from tests.diary.factories import attack, headache_free, session
from tests.e2e import png
from tests.e2e.conftest import AXE, VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Thursday 15 October 2026, 13:00 in London: the month has days before today and after it.
NOW = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)
DAYS = {"severe": 5, "moderate": 6, "mild": 7, "free": 8, "unrecorded": 9, "future": 20}
SESSION_DAY = 1  # not recorded, with a treatment session

# What each kind of day must look like: (cell colour, text colour), as painted.
PAINT = {
    "light": {
        "severe": ((0x84, 0x20, 0x29), (0xFF, 0xFF, 0xFF)),
        "moderate": ((0xFD, 0x7E, 0x14), (0, 0, 0)),
        "mild": ((0xFF, 0xDA, 0x6A), (0, 0, 0)),
        "free": ((0xA3, 0xCF, 0xBB), (0, 0, 0)),
        "unrecorded": ((0xFF, 0xFF, 0xFF), (0x49, 0x50, 0x57)),
        "future": ((0xDE, 0xE2, 0xE6), (0x49, 0x50, 0x57)),
    },
    "dark": {
        "severe": ((0xA5, 0x28, 0x34), (0xFF, 0xFF, 0xFF)),
        "moderate": ((0xD9, 0x82, 0x2B), (0, 0, 0)),
        "mild": ((0xD6, 0xC1, 0x63), (0, 0, 0)),
        "free": ((0x1F, 0x4D, 0x38), (0xD1, 0xE7, 0xDD)),
        "unrecorded": ((0x21, 0x25, 0x29), (0xDE, 0xE2, 0xE6)),
        "future": ((0x3A, 0x40, 0x47), (0xAD, 0xB5, 0xBD)),
    },
}
SESSION_MARK = {"light": (0x6F, 0x42, 0xC1), "dark": (0xC2, 0x9F, 0xFA)}
PAGE_BACKGROUND = {"light": (0xFF, 0xFF, 0xFF), "dark": (0x21, 0x25, 0x29)}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def october(migrated_rows):
    """A patient's October with one day of each kind; the clock on 15 October (still moving)."""
    with time_machine.travel(NOW, tick=True):
        patient = make_user("calendar.patient@example.com", first_name="Cal", last_name="Endar")
        session(patient, f"2026-10-{SESSION_DAY:02d}")
        for kind, severity in (("severe", 3), ("moderate", 2), ("mild", 1)):
            attack(patient, f"2026-10-{DAYS[kind]:02d}", minutes=60, severity=severity)
        headache_free(patient, f"2026-10-{DAYS['free']:02d}")
        yield patient


def close(colour, expected, tolerance=4):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def screenshot(locator):
    return png.decode(locator.screenshot(animations="disabled"))


def cells(page):
    """Each kind of day's cell, as (x, y, width, height) in the calendar's screenshot."""
    table = page.locator("table.calendar-table")
    table.scroll_into_view_if_needed()
    origin = table.bounding_box()
    boxes = {}
    for kind, day in {**DAYS, "session": SESSION_DAY}.items():
        box = page.locator(f"td[data-date='2026-10-{day:02d}']").bounding_box()
        boxes[kind] = (box["x"] - origin["x"], box["y"] - origin["y"], box["width"], box["height"])
    return table, boxes


def background(image, box):
    """The colour of a cell where nothing is drawn on it: a patch near its lower left corner."""
    x, y, _, height = box
    patch = [image.pixel(x + dx, y + height - dy) for dx in range(7, 12) for dy in range(7, 12)]
    return max(set(patch), key=patch.count)


def count(image, box, colour, tolerance=40):
    x, y, width, height = box
    return sum(
        close(image.pixel(x + dx, y + dy), colour, tolerance)
        for dx in range(1, int(width) - 1)
        for dy in range(1, int(height) - 1)
    )


def assert_painted(page, theme):
    table, boxes = cells(page)
    image = screenshot(table)
    painted = {kind: background(image, boxes[kind]) for kind in DAYS}
    for kind, (cell, text) in PAINT[theme].items():
        assert close(painted[kind], cell), f"{theme}: a {kind} day is painted {painted[kind]}, not {cell}"
        assert count(image, boxes[kind], text) >= 15, f"{theme}: no {text} text on a {kind} day"
    kinds = list(DAYS)
    for index, first in enumerate(kinds):
        for second in kinds[index + 1 :]:
            gap = max(abs(a - b) for a, b in zip(painted[first], painted[second], strict=True))
            assert gap >= 24, f"{theme}: {first} and {second} days look alike: {painted[first]}, {painted[second]}"
    mark = SESSION_MARK[theme]
    assert count(image, boxes["session"], mark, tolerance=12) >= 20, f"{theme}: no session mark"
    assert count(image, boxes["unrecorded"], mark, tolerance=12) == 0, f"{theme}: a session mark with no session"


def page_background(page):
    """The page's own colour, beside the content (the main area's left margin)."""
    main = page.locator("main").bounding_box()
    image = png.decode(page.screenshot())
    return image.pixel(2, min(main["y"] + 10, image.height - 1))


@cache
def _axe_source():
    return AXE.read_text() + "\n;window.axe = axe;"


def assert_accessible(page):
    page.wait_for_load_state("load")
    page.evaluate(_axe_source())
    result = page.evaluate(f"axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})")
    violations = [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in result["violations"]
    ]
    assert violations == [], f"accessibility violations on {page.url}: {violations}"
    assert page.watch.console_errors == [], page.watch.console_errors


def choose(page, label):
    page.locator("footer .theme-switch").get_by_role("button", name=label).click()


def sign_out(page):
    button = page.get_by_role("button", name="Sign out")
    if not button.is_visible():
        page.locator("details.site-menu > summary").click()  # the phone's menu
    button.click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()


def sign_in_as(page, email):
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def theme_of(page):
    return page.locator("html").get_attribute("data-bs-theme")


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize(
    ("theme", "device", "choice"),
    [("light", "light", None), ("dark", "dark", None), ("dark", "light", "Dim"), ("light", "dark", "Light")],
    ids=["light-device", "dark-device", "dim-chosen", "light-chosen"],
)
def test_each_kind_of_day_is_painted_in_its_own_colour(browser_page, october, theme, device, choice):
    page = browser_page
    page.emulate_media(color_scheme=device)
    sign_in_as(page, "calendar.patient@example.com")
    page.goto(page.base + "/diary/calendar/")
    if choice:
        choose(page, choice)
    expect(page.get_by_role("heading", name="October 2026")).to_be_visible()
    assert_painted(page, theme)
    expect(page.locator("td[data-date='2026-10-05']")).to_contain_text("severe")
    expect(page.locator("td[data-date='2026-10-08']")).to_contain_text("free")
    for name in (
        "Monday 5 October: severe headache",
        "Thursday 8 October: no headache",
        "Friday 9 October: not recorded",
    ):
        expect(page.get_by_role("link", name=re.compile(name.replace(" ", r"\s*")))).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"Thursday\s*1\s*October, treatment session:\s*not recorded"))
    ).to_be_visible()
    expect(page.locator(".calendar-key")).to_contain_text("Treatment session")
    assert page_background(page) == PAGE_BACKGROUND[theme]
    assert_accessible(page)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_is_readable_in_both_themes(browser_page, october, theme):
    page = browser_page
    page.emulate_media(color_scheme="light")
    clinician = make_user("theme.clinician@example.com", role="clinician", first_name="Dee", last_name="Dark")
    Share.objects.create(patient=october, clinician=clinician)
    page.goto(page.base + "/")
    if theme == "dark":  # chosen while signed out: this browser keeps it for every account without a choice
        choose(page, "Dim")
    assert_accessible(page)
    assert page_background(page) == PAGE_BACKGROUND[theme]
    sign_in_as(page, "calendar.patient@example.com")
    for path in ("/diary/", "/diary/calendar/", "/diary/progress/", "/diary/sessions/", "/accounts/profile/"):
        page.goto(page.base + path)
        assert page_background(page) == PAGE_BACKGROUND[theme], path
        assert_accessible(page)
    sign_out(page)
    sign_in_as(page, "theme.clinician@example.com")
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    assert page_background(page) == PAGE_BACKGROUND[theme]
    assert_accessible(page)


def test_the_switch_works_without_javascript_and_is_kept_with_the_account(browser, live_server, october):
    def new_page():
        context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False, color_scheme="light")
        page = context.new_page()
        page.base = live_server.url
        return context, page

    context, page = new_page()
    sign_in_as(page, "calendar.patient@example.com")
    page.goto(page.base + "/diary/calendar/?month=2026-10")
    assert theme_of(page) == "system"
    choose(page, "Dim")
    assert page.url.endswith("/diary/calendar/?month=2026-10")  # back where the switch was
    assert theme_of(page) == "dark"
    expect(page.locator("footer .theme-switch").get_by_role("button", name="Dim")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert DisplayPreference.objects.get(user=october).theme == "dark"
    sign_out(page)
    assert theme_of(page) == "dark"  # this browser remembers it signed out too
    context.close()

    context, page = new_page()  # another browser: the account remembers
    page.goto(page.base + "/")
    assert theme_of(page) == "system"
    sign_in_as(page, "calendar.patient@example.com")
    expect(page.get_by_role("link", name="Calendar").first).to_be_visible()
    assert theme_of(page) == "dark"
    assert page_background(page) == PAGE_BACKGROUND["dark"]
    page.goto(page.base + "/accounts/profile/")
    page.locator("main .theme-switch").get_by_role("button", name="Light").click()
    assert page.url.endswith("/accounts/profile/")
    assert theme_of(page) == "light"
    assert DisplayPreference.objects.get(user=october).theme == "light"
    context.close()


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize("device", ["light", "dark"])
def test_pages_print_light_in_the_dim_theme(browser_page, october, device):
    page = browser_page
    page.emulate_media(color_scheme=device)
    sign_in_as(page, "calendar.patient@example.com")
    page.goto(page.base + "/diary/calendar/")
    choose(page, "Dim" if device == "light" else "Same as my device")
    page.emulate_media(media="print")
    assert page_background(page) == PAGE_BACKGROUND["light"]
    heading = screenshot(page.get_by_role("heading", name="October 2026"))
    darkest = min(sum(heading.pixel(x, y)) for x in range(heading.width) for y in range(heading.height))
    assert darkest < 150, "the heading prints in light ink"
    assert_painted(page, "light")
