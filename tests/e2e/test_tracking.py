"""Periods, the 2-hour answer and a factor check-in (issue #16) in a real browser at phone size, as
a person in pain does them: few taps from the diary's home page, big targets, what is tapped is
what the database holds. Every page is checked by `check` (axe in light and dim, no console error,
nothing from another host); with SAVE_SCREENSHOTS=1 the named ones are saved in docs/screenshots.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.models import PatientProfile
from core import timeutil
from diary.models import Attack, AttackMedicine, Factor, FactorCheckIn, HeadacheFreeDay, Medicine, MenstruationDay
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = ["phone"]


def london_today():
    return timeutil.today(timeutil.zone("Europe/London"), dt.datetime.now(dt.UTC))


def day_words(date):
    return f"{date:%A} {date.day} {date:%B}"


def signed_in(page, email):
    user = make_user(email)
    sign_in(page, email, PASSWORD)
    expect(page.locator("summary", has_text="Headache now")).to_be_visible()
    return user


@pytest.mark.parametrize("viewport", PHONE)
def test_a_patient_says_yes_to_periods_and_marks_one_that_started_two_days_ago(browser_page):
    page = browser_page
    user = signed_in(page, "period.patient@example.com")
    today = london_today()
    started = today - dt.timedelta(days=2)

    # Asked once, on the home page: one tap.
    expect(page.get_by_role("heading", name="Do you want to track your periods?")).to_be_visible()
    check(page, "tracking-question")
    page.get_by_role("button", name="Yes, track my periods").click()
    expect(page.get_by_text("Period tracking is on.")).to_be_visible()
    assert PatientProfile.objects.get(user=user).track_periods is True

    # "My period started", on another day, for too many days: refused next to the field.
    page.locator("summary", has_text="My period started").click()
    expect(page.get_by_role("button", name="It started today")).to_be_visible()
    check(page, "tracking-period-home")
    page.get_by_label("The day it started").fill(started.isoformat())
    page.get_by_label("For how many days? (optional)").fill("5")
    page.get_by_role("button", name="Save the day it started").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("#id_days_error")).to_contain_text("which has not happened yet. Give 3 days (up to today)")
    check(page, "tracking-period-refused")
    assert not MenstruationDay.objects.filter(patient=user).exists()

    page.get_by_label("For how many days? (optional)").fill("3")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"Saved: your period started on {day_words(started)}, 3 days marked.")).to_be_visible()
    expect(page.get_by_text("Today is marked as a period day (day 3).")).to_be_visible()
    check(page, "tracking-period-saved")
    assert sorted(MenstruationDay.objects.filter(patient=user).values_list("date", flat=True)) == [
        started,
        started + dt.timedelta(days=1),
        today,
    ]

    # The calendar marks each with a drop of its own, named for screen readers, and keys it.
    page.goto(page.base + "/diary/calendar/?month=" + started.strftime("%Y-%m"))
    expect(page.locator(".calendar-key")).to_contain_text("Period day")
    expect(page.locator(f'td[data-date="{started.isoformat()}"] .period-mark')).to_be_visible()
    expect(page.locator(f'td[data-date="{started.isoformat()}"] a')).to_contain_text("period day")
    check(page, "tracking-calendar")


@pytest.mark.parametrize("viewport", PHONE)
def test_a_patient_logs_a_headache_with_a_medicine_and_says_it_took_the_pain_away(browser_page):
    page = browser_page
    user = make_user("effect.patient@example.com")
    Medicine.objects.create(patient=user, name="Sumatriptan 50 mg", medicine_class="triptan")
    PatientProfile.objects.create(user=user, track_periods=False)
    sign_in(page, "effect.patient@example.com", PASSWORD)

    page.get_by_role("link", name="Log a headache with details").click()
    page.get_by_text("About 4 hours ago").click()
    page.get_by_text("2 hours", exact=True).click()
    page.get_by_text("Moderate: It got in the way").click()
    page.locator("summary", has_text="Medicines you took").click()
    page.get_by_text("Sumatriptan 50 mg", exact=True).click()
    page.get_by_role("button", name="Save headache").click()
    expect(page.get_by_text("Headache saved:")).to_be_visible()

    # It started 4 hours ago, so the question is on the home page at once: one tap and Save.
    reminder = page.locator("section", has=page.get_by_role("heading", name="How well did your medicine work?"))
    expect(reminder).to_contain_text("2 hours after taking Sumatriptan 50 mg, was the pain:")
    check(page, "tracking-medicine-question")
    reminder.get_by_text("Gone", exact=True).click()
    reminder.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: Sumatriptan 50 mg: the pain was gone after 2 hours.")).to_be_visible()
    expect(page.get_by_role("heading", name="How well did your medicine work?")).to_have_count(0)
    check(page)
    assert list(AttackMedicine.objects.filter(attack__patient=user).values_list("answer", flat=True)) == ["pain_free"]

    # Later, from the headache's day: the answer, and the way to change it.
    started_on = AttackMedicine.objects.get(attack__patient=user).attack.start_date
    page.goto(page.base + f"/diary/days/{started_on.isoformat()}/")
    expect(page.get_by_text("Took Sumatriptan 50 mg: 2 hours after, the pain was gone")).to_be_visible()
    check(page, "tracking-day")
    page.get_by_role("link", name="How well did it work?").click()
    expect(page.get_by_label("Gone")).to_be_checked()
    check(page, "tracking-medicine-effect")

    page.goto(page.base + "/diary/progress/")
    expect(page.get_by_role("heading", name="How well your medicines work")).to_be_visible()
    expect(page.locator(".medicine-effect-table")).to_contain_text("few answers yet")
    check(page, "tracking-medicine-table")


@pytest.mark.parametrize("viewport", PHONE)
def test_a_patient_chooses_factors_and_checks_in_for_today_in_one_step(browser_page):
    page = browser_page
    user = make_user("factor.patient@example.com")
    PatientProfile.objects.create(user=user, track_periods=False)
    sign_in(page, "factor.patient@example.com", PASSWORD)

    # The list, from the suggestions, on the profile.
    page.goto(page.base + "/accounts/profile/#factors")
    page.get_by_text("Poor sleep", exact=True).click()
    page.get_by_text("Stress", exact=True).click()
    page.get_by_label("Another factor (optional)").fill("Long screen time")
    page.get_by_role("button", name="Add to my list").click()
    expect(page.get_by_text("Added to your factors: Poor sleep, Stress, Long screen time.")).to_be_visible()
    check(page, "tracking-factor-list")
    assert sorted(Factor.objects.filter(patient=user).values_list("name", flat=True)) == [
        "Long screen time",
        "Poor sleep",
        "Stress",
    ]

    # From the home page: open the check-in, tap what was there, one Save.
    page.goto(page.base + "/diary/")
    page.locator("summary", has_text="Check in for today").click()
    checkin = page.locator("form", has=page.get_by_role("button", name="Save check-in"))
    checkin.get_by_text("Stress", exact=True).click()
    checkin.get_by_text("Poor sleep", exact=True).click()
    check(page, "tracking-checkin")
    checkin.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved for today: Poor sleep, Stress.")).to_be_visible()
    check(page)
    saved = FactorCheckIn.objects.get(patient=user)
    assert (saved.date, saved.present) == (london_today(), ["Poor sleep", "Stress"])
    assert saved.listed == ["Long screen time", "Poor sleep", "Stress"]

    # A day in the future is refused next to the date, and nothing changes.
    page.goto(page.base + "/diary/check-in/")
    page.get_by_label("Which day?").fill((london_today() + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator("#id_date_error")).to_contain_text("has not happened yet")
    check(page, "tracking-checkin-refused")
    assert FactorCheckIn.objects.filter(patient=user).count() == 1

    # Weeks of check-ins later (made here): both shares side by side, in words that claim no cause.
    weeks_of_check_ins(user)
    page.goto(page.base + "/diary/factors/")
    expect(page.get_by_text("These are counts from your diary, not causes.")).to_be_visible()
    expect(
        page.get_by_text("On 6 of 12 days with poor sleep a headache followed, against 2 of 12 days without.")
    ).to_be_visible()
    check(page, "tracking-factors")


def weeks_of_check_ins(user):
    """Check-ins on the 24 days from 25 to 2 days ago, poor sleep on the first 12; headaches 24, 20,
    16 and 5 days ago, every other day to yesterday headache-free (tests/diary/test_tracking.py
    works the counts out: 6 of 12 with, 2 of 12 without)."""
    today = london_today()
    headaches = {today - dt.timedelta(days=n) for n in (24, 20, 16, 5)}
    for date in headaches:
        Attack.objects.create(patient=user, start_date=date, start_time=dt.time(9), duration_minutes=120, severity=2)
    for n in range(1, 26):
        date = today - dt.timedelta(days=n)
        if date not in headaches:
            HeadacheFreeDay.objects.create(patient=user, date=date)
    for n in range(2, 26):
        present = ["Poor sleep"] if n >= 14 else []
        FactorCheckIn.objects.create(
            patient=user, date=today - dt.timedelta(days=n), listed=["Poor sleep", "Stress"], present=present
        )
