"""Logging a headache in a real browser at phone size, as a person does it: with the keyboard,
with and without JavaScript, in the light and the dark. What is typed is what is in the database.

With LOGGING_SHOTS=<folder>, each step's screenshot is saved there to be looked at.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core import timeutil
from diary.models import Attack
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import VIEWPORTS, Watch, check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = ["phone"]


def shot(page, name):
    folder = os.environ.get("LOGGING_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{page.viewport_name}.png"), full_page=False)


def london_today():
    return timeutil.today(timeutil.zone("Europe/London"), dt.datetime.now(dt.UTC))


def signed_in_patient(page, email="typing.patient@example.com", script=True):
    user = make_user(email)
    if script:
        sign_in(page, email, PASSWORD)
    else:  # sign_in runs axe, which needs JavaScript
        page.goto(page.base + "/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
    expect(page.locator("summary", has_text="Headache now")).to_be_visible()
    return user


def type_into(page, selector, keys):
    page.locator(selector).focus()
    page.keyboard.type(keys)


class Keys:
    """The keys a person types in this browser's own date and time fields, whose order and clock
    follow the system's locale (day first in the UK, month first in the US; 24 h or AM/PM)."""

    def __init__(self, browser):
        context = browser.new_context()
        page = context.new_page()
        self.date_pattern = None
        for pattern in ("%d%m%Y", "%m%d%Y", "%Y%m%d"):
            page.set_content('<input type="date" id="d">')
            type_into(page, "#d", dt.date(2003, 2, 1).strftime(pattern))
            if page.locator("#d").input_value() == "2003-02-01":
                self.date_pattern = pattern
                break
        page.set_content('<input type="time" id="t">')
        type_into(page, "#t", "0930")
        self.twelve_hour = page.locator("#t").input_value() != "09:30"
        context.close()
        assert self.date_pattern, "this browser's date field takes no order we know"

    def date(self, date):
        return date.strftime(self.date_pattern)

    def time(self, time):
        if self.twelve_hour:
            return time.strftime("%I%M") + ("A" if time.hour < 12 else "P")
        return time.strftime("%H%M")


@pytest.fixture
def keys(browser):
    return Keys(browser)


@pytest.fixture
def dark(request):
    return request.param


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"], indirect=True)
def test_what_is_typed_is_what_is_saved_and_said(browser_page, dark, keys):
    page = browser_page
    if dark:
        page.emulate_media(color_scheme="dark")
    user = signed_in_patient(page)
    page.get_by_role("link", name="Log a headache with details").click()
    check(page)
    shot(page, f"form-{'dark' if dark else 'light'}")
    yesterday = london_today() - dt.timedelta(days=1)

    # "Just now" and "Still going" are selected; typing chooses "Another time" and "Exact length".
    expect(page.locator("#id_when_0")).to_be_checked()
    type_into(page, "#id_start_date", keys.date(yesterday))
    expect(page.locator("#id_when_4")).to_be_checked()
    type_into(page, "#id_start_time", keys.time(dt.time(9, 30)))
    type_into(page, "#id_duration_minutes", "300")
    expect(page.locator("#id_duration_choice_7")).to_be_checked()
    page.get_by_text("Moderate: It got in the way").click()
    shot(page, f"form-typed-{'dark' if dark else 'light'}")
    page.get_by_role("button", name="Save headache").click()

    message = f"Headache saved: {yesterday:%A} {yesterday.day} {yesterday:%B}, 09:30, 5 hours, moderate."
    expect(page.get_by_text(message)).to_be_visible()
    check(page)
    shot(page, f"confirmation-{'dark' if dark else 'light'}")
    attack = Attack.objects.get(patient=user)
    assert (attack.start_date, attack.start_time, attack.duration_minutes, attack.severity) == (
        yesterday,
        dt.time(9, 30),
        300,
        2,
    )
    page.get_by_role("link", name="Change it").click()
    expect(page.get_by_role("heading", name="Change this headache")).to_be_visible()
    expect(page.locator("#id_duration_minutes")).to_have_value("300")


def test_back_after_saving_shows_the_form_as_first_drawn_not_a_mix(browser_page, keys):
    """A person saves, then presses Back: the choices and the fields agree, and saving again is not refused."""
    page = browser_page
    user = signed_in_patient(page, email="back.patient@example.com")
    page.get_by_role("link", name="Log a headache with details").click()
    yesterday = london_today() - dt.timedelta(days=1)
    type_into(page, "#id_start_date", keys.date(yesterday))
    type_into(page, "#id_start_time", keys.time(dt.time(8, 15)))
    type_into(page, "#id_duration_minutes", "200")
    page.get_by_text("Mild: I could carry on").click()
    page.get_by_role("button", name="Save headache").click()
    expect(page.get_by_text("Headache saved:")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="Log a headache")).to_be_visible()
    if page.locator("#id_when_0").is_checked():  # "Just now": then the fields are the page's own
        assert page.input_value("#id_start_date") == page.input_value("input[name=shown_start_date]")
        assert page.input_value("#id_start_time") == page.input_value("input[name=shown_start_time]")
    if page.locator("#id_duration_choice_0").is_checked():  # "Still going": no minutes
        assert page.input_value("#id_duration_minutes") == ""
    assert Attack.objects.filter(patient=user).count() == 1


def test_a_refused_form_shows_its_errors_on_the_first_screen_and_keeps_what_was_typed(browser_page):
    page = browser_page
    signed_in_patient(page)
    page.goto(page.base + "/diary/headaches/new/")
    type_into(page, "#id_duration_minutes", "95")
    page.get_by_role("button", name="Save headache").click()  # no severity

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Choose how bad it was at its worst")
    expect(page.locator("#id_severity_0")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_duration_minutes")).to_have_value("95")
    expect(page.locator("#id_duration_choice_7")).to_be_checked()
    check(page)
    shot(page, "refused")
    for scheme in ("dark",):
        page.emulate_media(color_scheme=scheme)
        check(page)
        shot(page, f"refused-{scheme}")
    assert not Attack.objects.exists()

    page.get_by_text("Severe: I could not do").click()
    page.get_by_role("button", name="Save headache").click()
    expect(page.get_by_text("1 hour 35 minutes, severe.")).to_be_visible()
    assert Attack.objects.get().duration_minutes == 95


@pytest.mark.parametrize("viewport", PHONE)
def test_save_is_in_view_on_a_phone_without_scrolling(browser_page):
    page = browser_page
    signed_in_patient(page)
    page.goto(page.base + "/diary/headaches/new/")
    expect(page.get_by_role("button", name="Save headache")).to_be_in_viewport()
    # Features, medicines and notes are folded until wanted.
    expect(page.get_by_text("Feeling sick")).to_be_hidden()
    page.locator("summary", has_text="What was it like?").click()
    expect(page.get_by_text("Feeling sick")).to_be_visible()


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


def test_without_javascript_typed_values_still_win_over_quick_choices(no_script_page, keys):
    page = no_script_page
    user = signed_in_patient(page, "no.script@example.com", script=False)
    page.goto(page.base + "/diary/headaches/new/")
    yesterday = london_today() - dt.timedelta(days=1)
    page.get_by_text("1 hour", exact=True).click()  # a quick length, then the exact one typed
    type_into(page, "#id_start_date", keys.date(yesterday))
    type_into(page, "#id_start_time", keys.time(dt.time(22, 15)))
    type_into(page, "#id_duration_minutes", "300")
    expect(page.locator("#id_when_0")).to_be_checked()  # no script: "Just now" is still selected
    page.get_by_text("Mild: I could carry on").click()
    page.get_by_role("button", name="Save headache").click()
    expect(page.get_by_text("22:15, 5 hours, mild.")).to_be_visible()
    attack = Attack.objects.get(patient=user)
    assert (attack.start_date, attack.start_time, attack.duration_minutes) == (yesterday, dt.time(22, 15), 300)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"], indirect=True)
def test_two_taps_log_a_headache_now_and_it_stops_in_two_more(browser_page, dark, keys):
    page = browser_page
    if dark:
        page.emulate_media(color_scheme="dark")
    user = signed_in_patient(page, "fast.path@example.com")
    theme = "dark" if dark else "light"
    shot(page, f"home-{theme}")
    page.get_by_text("Headache now").click()  # tap 1
    expect(page.get_by_role("button", name="Severe")).to_be_in_viewport()
    check(page)
    shot(page, f"home-headache-now-{theme}")
    page.get_by_role("button", name="Severe").click()  # tap 2
    expect(page.get_by_text("still going, severe.")).to_be_visible()
    check(page)
    shot(page, f"home-still-going-{theme}")
    attack = Attack.objects.get(patient=user)
    assert attack.is_ongoing and attack.severity == 3

    # Stopped at a time before it started: refused beside the field, the typed time kept.
    page.get_by_text("At another time").click()
    # Five minutes before it started, or its midnight for a headache started in the day's first
    # five minutes: the time field holds no date, and 23:57 would then read as later today.
    start = dt.datetime.combine(attack.start_date, attack.start_time)
    earlier = max(start - dt.timedelta(minutes=5), dt.datetime.combine(attack.start_date, dt.time(0, 0))).time()
    type_into(page, f"#stopped-time-{attack.pk}", keys.time(earlier))
    page.get_by_role("button", name="Save the time it stopped").click()
    expect(page.get_by_text("give a time after that")).to_be_in_viewport()
    check(page)
    shot(page, f"home-stop-refused-{theme}")
    attack.refresh_from_db()
    assert attack.is_ongoing

    page.get_by_role("button", name="Just now").click()
    expect(page.get_by_text("Saved: it lasted 1 minute.")).to_be_visible()
    attack.refresh_from_db()
    assert attack.duration_minutes == 1


def test_it_has_stopped_30_minutes_ago_in_one_tap(browser_page):
    page = browser_page
    user = make_user("stopping@example.com")
    tz = timeutil.zone("Europe/London")
    started = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).astimezone(tz).replace(second=0, microsecond=0)
    attack = Attack.objects.create(
        patient=user, start_date=started.date(), start_time=started.time(), duration_minutes=None, severity=2
    )
    sign_in(page, "stopping@example.com", PASSWORD)
    for label in ("Just now", "30 min ago", "1 hour ago", "2 hours ago"):
        expect(page.get_by_role("button", name=label)).to_be_in_viewport()
    check(page)
    shot(page, "home-stop-choices")
    page.get_by_role("button", name="30 min ago").click()
    expect(page.get_by_text(re.compile(r"Saved: it lasted 2 hours 3[01] minutes\."))).to_be_visible()
    attack.refresh_from_db()
    assert attack.duration_minutes in (150, 151)  # the clock may turn a minute between the two
