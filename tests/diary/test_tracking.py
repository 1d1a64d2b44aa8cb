"""Periods, the 2-hour answer for each medicine, and daily factors (issue #16): the pages, forms and
services, for the right and the wrong user, with the database checked after every refusal.

Today is Thursday 15 October 2026 (tests/conftest.py).
"""

import datetime as dt
import html
import io
import json
import zipfile

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import PatientProfile
from clinic.models import Share
from diary import cycles, tracking, tracking_presentation
from diary.models import (
    MAX_FACTORS,
    AttackMedicine,
    Factor,
    FactorCheckIn,
    HeadacheFreeDay,
    MenstruationDay,
)
from diary.tracking_forms import CheckInForm, FactorAddForm, MedicineEffectForm, PeriodStartedForm
from tests.conftest import TODAY
from tests.diary.factories import attack, headache_free, session
from tests.test_form_errors import DJANGO_DEFAULTS, _django_default_messages, assert_at_fault, refused

HOME = reverse("diary:home")
PERIOD_STARTED = reverse("diary:period_started")
PERIOD_DAY = reverse("diary:period_day")
TRACK = reverse("diary:track_periods")
CHECKIN = reverse("diary:checkin")
FACTORS = reverse("diary:factors")
FACTOR_ADD = reverse("diary:factor_add")
PROFILE = reverse("profile")
PROGRESS = reverse("diary:progress")
REPORT = reverse("diary:report")


def day(offset):
    return TODAY + dt.timedelta(days=offset)


def profile(patient):
    return PatientProfile.objects.get_or_create(user=patient)[0]


def tracking_periods(patient, value=True):
    p = profile(patient)
    p.track_periods = value
    p.save(update_fields=["track_periods"])
    return p


def version(patient):
    return profile(patient).diary_version


def period_days(patient):
    return sorted(MenstruationDay.objects.filter(patient=patient).values_list("date", flat=True))


def everything(patient):
    """The rows of issue #16 that a refusal must leave as they were."""
    return (
        period_days(patient),
        sorted(AttackMedicine.objects.filter(attack__patient=patient).values_list("pk", "answer")),
        sorted(Factor.objects.filter(patient=patient).values_list("name", flat=True)),
        sorted(FactorCheckIn.objects.filter(patient=patient).values_list("date", "listed", "present")),
        profile(patient).track_periods,
    )


# ---------------------------------------------------------------- who may

PATIENT_GETS = [
    PERIOD_STARTED,
    CHECKIN,
    FACTORS,
]
PATIENT_POSTS = [PERIOD_DAY, TRACK, FACTOR_ADD, reverse("diary:period_days_delete")]


@pytest.mark.parametrize("url", PATIENT_GETS + PATIENT_POSTS)
def test_it_requires_login(client, db, url):
    response = client.post(url) if url in PATIENT_POSTS else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", PATIENT_GETS + PATIENT_POSTS)
@pytest.mark.parametrize("who", ["clinician", "editor"])
def test_clinicians_and_editors_have_no_diary(client, clinician, editor, url, who):
    client.force_login(clinician if who == "clinician" else editor)
    response = client.post(url) if url in PATIENT_POSTS else client.get(url)
    assert response.status_code == 403


@pytest.mark.parametrize("url", PATIENT_GETS)
def test_each_page_works_for_a_patient(patient_client, url):
    assert patient_client.get(url).status_code == 200


def test_another_patient_s_attack_has_no_medicine_effect_page(patient_client, other_patient):
    theirs = attack(other_patient, "2026-10-14", medicines=[("triptan", "Sumatriptan")])
    medicine = theirs.medicines.get()
    url = reverse("diary:medicine_effect", args=[theirs.pk])
    assert patient_client.get(url).status_code == 404
    assert patient_client.post(url, {f"answer-{medicine.pk}": "pain_free"}).status_code == 404
    medicine.refresh_from_db()
    assert medicine.answer == ""


def test_another_patient_s_factor_cannot_be_removed(patient_client, other_patient):
    theirs = Factor.objects.create(patient=other_patient, name="Stress")
    assert patient_client.post(reverse("diary:factor_delete", args=[theirs.pk])).status_code == 404
    assert Factor.objects.filter(pk=theirs.pk).exists()


def test_a_clinician_cannot_answer_for_a_patient(client, clinician, patient, frozen):
    Share.objects.create(patient=patient, clinician=clinician)
    row = attack(patient, "2026-10-14", medicines=[("triptan", "Sumatriptan")])
    client.force_login(clinician)
    url = reverse("diary:medicine_effect", args=[row.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {f"answer-{row.medicines.get().pk}": "better"}).status_code == 403
    assert row.medicines.get().answer == ""


# ---------------------------------------------------------------- periods: asked once


def test_a_new_account_is_asked_once_whether_to_track_periods(patient_client, patient):
    text = patient_client.get(HOME).text
    assert "Do you want to track your periods?" in text
    assert "My period started" not in text


def test_yes_turns_period_tracking_on_and_the_question_goes(patient_client, patient):
    before = version(patient)
    response = patient_client.post(TRACK, {"answer": "yes", "next": HOME}, follow=True)
    assert response.redirect_chain == [(HOME, 302)]
    assert PatientProfile.objects.get(user=patient).track_periods is True
    assert version(patient) == before + 1  # cached pages under the old version are stale
    assert "Do you want to track your periods?" not in response.text
    assert "My period started" in response.text


def test_no_hides_everything_about_periods(patient_client, patient):
    patient_client.post(TRACK, {"answer": "no"})
    assert PatientProfile.objects.get(user=patient).track_periods is False
    home = patient_client.get(HOME).text
    assert "Do you want to track your periods?" not in home
    assert "My period started" not in home
    assert "Period day" not in patient_client.get(reverse("diary:calendar")).text
    assert "period" not in patient_client.get(reverse("diary:day", args=["2026-10-14"])).text.lower()


def test_an_answer_that_is_neither_yes_nor_no_changes_nothing(patient_client, patient):
    response = patient_client.post(TRACK, {"answer": "maybe"}, follow=True)
    assert "Choose yes or no. Nothing was changed." in response.text
    assert PatientProfile.objects.get(user=patient).track_periods is None


# ---------------------------------------------------------------- periods: marking


def test_it_started_today_is_two_taps_from_home(patient_client, patient):
    tracking_periods(patient)
    response = patient_client.post(PERIOD_STARTED, {"start": "2026-10-15", "next": HOME}, follow=True)
    assert response.redirect_chain == [(HOME, 302)]
    assert "Saved: your period started on Thursday 15 October." in response.text
    assert period_days(patient) == [TODAY]
    assert "Today is marked as a period day (day 1)." in response.text


def test_another_day_with_a_number_of_days_marks_each(patient_client, patient):
    tracking_periods(patient)
    before = version(patient)
    response = patient_client.post(PERIOD_STARTED, {"start": "2026-10-11", "days": "4"}, follow=True)
    assert "Saved: your period started on Sunday 11 October, 4 days marked." in response.text
    assert period_days(patient) == [day(-4), day(-3), day(-2), day(-1)]
    assert version(patient) == before + 1
    assert "Still on my period today (day 5)" in patient_client.get(HOME).text


def test_days_already_marked_are_counted_once(patient_client, patient):
    MenstruationDay.objects.create(patient=patient, date=day(-3))
    response = patient_client.post(PERIOD_STARTED, {"start": "2026-10-12", "days": "2"}, follow=True)
    assert "2 days marked. 1 day had been marked already." in response.text
    assert period_days(patient) == [day(-3), day(-2)]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start": "2026-10-16"}, "id_start", "Friday 16 October has not happened yet: mark it once it has."),
        (
            {"start": "2026-10-13", "days": "5"},
            "id_days",
            "5 days from Tuesday 13 October would reach Saturday 17 October, which has not happened yet. "
            "Give 3 days (up to today)",
        ),
        ({"start": "2026-10-01", "days": "50"}, "id_days", "Give at most 14 days"),
        ({"start": "2026-10-01", "days": "0"}, "id_days", "Give at least 1 day"),
        ({"start": "2026-10-01", "days": "five"}, "id_days", "whole number"),
        ({"start": ""}, "id_start", "Give the day your period started."),
        ({"start": "1999-12-31"}, "id_start", "Dates before 1 January 2000"),
    ],
)
def test_a_wrong_period_start_is_refused_next_to_its_field(patient_client, patient, data, field, message):
    tracking_periods(patient)
    MenstruationDay.objects.create(patient=patient, date=day(-30))
    before = everything(patient)
    response = patient_client.post(PERIOD_STARTED, data)
    page = refused(response)
    assert_at_fault(page, field)
    assert message in response.text
    assert everything(patient) == before


def test_the_period_started_page_starts_at_the_day_it_was_opened_from(patient_client, patient):
    response = patient_client.get(PERIOD_STARTED + "?date=2026-10-03")
    assert 'value="2026-10-03"' in response.text
    assert 'max="2026-10-15"' in response.text


def test_a_single_period_day_is_marked_and_removed_from_its_day_page(patient_client, patient):
    tracking_periods(patient)
    page = reverse("diary:day", args=["2026-10-10"])
    assert "Mark as a period day" in patient_client.get(page).text
    response = patient_client.post(PERIOD_DAY, {"date": "2026-10-10", "action": "add", "next": page}, follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert period_days(patient) == [day(-5)]
    assert "Period day" in response.text and "Not a period day: remove the mark" in response.text
    patient_client.post(PERIOD_DAY, {"date": "2026-10-10", "action": "remove", "next": page})
    assert period_days(patient) == []


def test_a_period_day_in_the_future_is_refused(patient_client, patient):
    tracking_periods(patient)
    response = patient_client.post(PERIOD_DAY, {"date": "2026-10-16", "action": "add"}, follow=True)
    assert "Friday 16 October has not happened yet: mark it once it has. Nothing was saved." in response.text
    assert period_days(patient) == []


def test_a_period_day_is_not_a_recorded_day(patient_client, patient):
    tracking_periods(patient)
    patient_client.post(PERIOD_DAY, {"date": "2026-10-14", "action": "add"})
    days = {d.date: d.status for d in patient_client.get(HOME).context["days"]}
    assert days[day(-1)] == "unrecorded"


def test_the_calendar_marks_period_days_with_a_symbol_and_words(patient_client, patient):
    tracking_periods(patient)
    MenstruationDay.objects.create(patient=patient, date=day(-5))
    text = patient_client.get(reverse("diary:calendar")).text
    assert "Period day</li>" in text  # in the key
    assert ", period day:" in text  # read out with the day
    assert text.count('class="period-mark"') == 2  # the key's and the day's


def test_the_week_on_home_shows_period_days(patient_client, patient):
    tracking_periods(patient)
    MenstruationDay.objects.create(patient=patient, date=day(-2))
    assert 'class="period-mark"' in patient_client.get(HOME).text
    assert "<span>Tuesday 13 Oct" in patient_client.get(HOME).text


def test_period_days_are_hidden_and_kept_when_tracking_is_off_and_can_be_deleted(patient_client, patient):
    tracking_periods(patient, False)
    MenstruationDay.objects.create(patient=patient, date=day(-2))
    assert "period-mark" not in patient_client.get(reverse("diary:calendar")).text
    assert "menstruation" not in patient_client.get(reverse("diary:export")).content.decode()
    assert patient_client.get(reverse("diary:progress_json")).json()["menstrual_pattern"] is None
    profile_page = patient_client.get(PROFILE).text
    assert "You marked 1 period day before. They are kept, but not shown or counted anywhere" in profile_page
    response = patient_client.post(reverse("diary:period_days_delete"), follow=True)
    assert "1 period day deleted." in response.text
    assert period_days(patient) == []


# ---------------------------------------------------------------- the pattern around periods

PERIOD_STARTS = [dt.date(2026, 8, 20), dt.date(2026, 9, 10), dt.date(2026, 9, 30)]


def menstrual_diary(patient):
    """Three periods, each with a migraine (aura) on its first day, every day between recorded
    headache-free: pure menstrual by CLINICAL.md."""
    for start in PERIOD_STARTS:
        for offset in range(4):
            MenstruationDay.objects.create(patient=patient, date=start + dt.timedelta(days=offset))
        attack(patient, start, aura=True)
    first, last = dt.date(2026, 8, 18), dt.date(2026, 10, 2)
    marks = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    HeadacheFreeDay.objects.bulk_create(
        [HeadacheFreeDay(patient=patient, date=date) for date in marks if date not in PERIOD_STARTS]
    )


def test_the_progress_page_says_the_pattern_in_clinical_words_with_what_it_rests_on(patient_client, patient):
    tracking_periods(patient)
    menstrual_diary(patient)
    assert patient_client.get(reverse("diary:progress_json")).json()["menstrual_pattern"] == "pure_menstrual"
    text = patient_client.get(PROGRESS).text
    assert "Your diary suggests a pattern around your period: discuss it with your clinician." in text
    assert "and not between them" in text
    for start in ("20 August", "10 September", "30 September"):
        assert f"Period from {start}: a migraine day in the 5 days around its start" in text


def test_too_few_periods_say_what_is_needed(patient_client, patient):
    tracking_periods(patient)
    MenstruationDay.objects.create(patient=patient, date=day(-5))
    text = patient_client.get(PROGRESS).text
    assert "Not enough yet to look for a pattern around your period." in text
    assert "You have 0 periods like that so far" in text


def test_the_clinician_and_the_report_see_the_pattern(client, clinician, patient, frozen):
    tracking_periods(patient)
    menstrual_diary(patient)
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    page = client.get(reverse("clinic:patient", args=[patient.pk])).text
    assert "The diary suggests pure menstrual migraine (the ICHD-3 A1.1.1 pattern)" in page
    assert "Menstruation from 30 September" in page
    report = client.get(reverse("clinic:patient_report", args=[patient.pk])).text
    assert "Around menstruation" in report and "pure menstrual migraine" in report


def test_a_patient_who_does_not_track_periods_shows_the_clinician_nothing_of_them(client, clinician, patient, frozen):
    menstrual_diary(patient)
    tracking_periods(patient, False)
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    page = client.get(reverse("clinic:patient", args=[patient.pk])).text
    assert "menstruation" not in page.lower()
    export = client.get(reverse("clinic:patient_export", args=[patient.pk])).content.decode()
    assert "menstruation" not in export


# ---------------------------------------------------------------- how well each medicine worked


def test_the_home_page_asks_about_medicines_of_today_and_yesterday_not_before(patient_client, patient):
    recent = attack(patient, day(-1), medicines=[("triptan", "Sumatriptan 50 mg")])
    attack(patient, day(-2), medicines=[("simple_analgesic", "Ibuprofen")])
    response = patient_client.get(HOME)
    reminders = response.context["medicine_reminders"]
    assert [item["attack"].pk for item in reminders] == [recent.pk]
    assert "How well did your medicine work?" in response.text
    assert "2 hours after taking <strong>Sumatriptan 50 mg</strong>, was the pain:" in response.text
    assert "For the headache of yesterday at 09:00." in response.text


def test_the_home_page_asks_only_once_the_headache_started_2_hours_ago(patient_client, patient, frozen):
    # NOW is 13:00 in London: a headache from 11:30 is not asked about yet, one from 11:00 is.
    early = attack(patient, day(0), time="11:30", medicines=[("triptan", "Sumatriptan 50 mg")])
    due = attack(patient, day(0), time="11:00", medicines=[("simple_analgesic", "Ibuprofen")])
    reminders = patient_client.get(HOME).context["medicine_reminders"]
    assert [item["attack"].pk for item in reminders] == [due.pk]
    frozen.shift(dt.timedelta(minutes=30))
    reminders = patient_client.get(HOME).context["medicine_reminders"]
    assert [item["attack"].pk for item in reminders] == [early.pk, due.pk]


def test_a_2_hour_answer_from_home_is_saved_and_the_question_goes(patient_client, patient):
    row = attack(patient, day(0), time="08:00", medicines=[("triptan", "Sumatriptan 50 mg"), ("other", "Ice pack")])
    suma, ice = row.medicines.all()
    before = version(patient)
    url = reverse("diary:medicine_effect", args=[row.pk])
    response = patient_client.post(url, {f"answer-{suma.pk}": "pain_free", "next": HOME}, follow=True)
    assert response.redirect_chain == [(HOME, 302)]
    assert "Saved: Sumatriptan 50 mg: the pain was gone after 2 hours." in response.text
    suma.refresh_from_db()
    ice.refresh_from_db()
    assert (suma.answer, ice.answer) == ("pain_free", "")  # one left unanswered keeps asking
    assert version(patient) == before + 1
    assert [m.pk for m in response.context["medicine_reminders"][0]["form"].medicines] == [ice.pk]


def test_the_attack_s_page_later_asks_and_changes_the_answer(patient_client, patient):
    row = attack(patient, "2026-10-01", medicines=[("triptan", "Sumatriptan")])
    medicine = row.medicines.get()
    medicine.answer = "better"
    medicine.save()
    day_page = patient_client.get(reverse("diary:day", args=["2026-10-01"])).text
    assert "Took Sumatriptan: 2 hours after, the pain was better" in day_page
    url = reverse("diary:medicine_effect", args=[row.pk])
    assert f'href="{url}"' in day_page
    form = patient_client.get(url).text
    assert 'value="better" checked' in form
    response = patient_client.post(url, {f"answer-{medicine.pk}": "worse"})
    assert response["Location"] == reverse("diary:day", args=["2026-10-01"])
    medicine.refresh_from_db()
    assert medicine.answer == "worse"


def test_an_answer_for_a_medicine_not_taken_for_this_headache_saves_nothing(patient_client, patient):
    row = attack(patient, day(-1), medicines=[("triptan", "Sumatriptan")])
    other = attack(patient, day(-3), medicines=[("simple_analgesic", "Ibuprofen")])
    mine, elsewhere = row.medicines.get(), other.medicines.get()
    before = everything(patient)
    response = patient_client.post(
        reverse("diary:medicine_effect", args=[row.pk]),
        {f"answer-{mine.pk}": "pain_free", f"answer-{elsewhere.pk}": "better"},
    )
    page = refused(response)
    assert "a medicine you did not log for this headache" in " ".join(page.summary_text)
    assert everything(patient) == before


def test_an_unknown_answer_is_refused_next_to_its_medicine(patient_client, patient):
    row = attack(patient, day(-1), medicines=[("triptan", "Sumatriptan")])
    medicine = row.medicines.get()
    before = everything(patient)
    response = patient_client.post(reverse("diary:medicine_effect", args=[row.pk]), {f"answer-{medicine.pk}": "meh"})
    page = refused(response)
    assert_at_fault(page, f"id_answer-{medicine.pk}_0")
    assert "Choose gone, better, the same or worse." in response.text
    assert everything(patient) == before


def test_a_headache_without_medicines_says_how_to_add_one(patient_client, patient):
    row = attack(patient, day(-1))
    text = patient_client.get(reverse("diary:medicine_effect", args=[row.pk])).text
    assert "You did not log a medicine for this headache." in text


def test_changing_a_headache_keeps_the_answers_of_the_medicines_it_keeps(patient_client, patient):
    row = attack(patient, "2026-10-10", medicines=[("triptan", "Sumatriptan")])
    AttackMedicine.objects.filter(attack=row).update(answer="pain_free")
    patient_client.post(
        reverse("diary:headache_edit", args=[row.pk]),
        {
            "when": "other",
            "start_date": "2026-10-10",
            "start_time": "09:00",
            "duration_choice": "exact",
            "duration_minutes": "180",  # changed from 120
            "severity": "3",
            "medicines": ["kept:0"],
            "other_medicine_name": "Ibuprofen",
            "other_medicine_class": "simple_analgesic",
        },
    )
    assert sorted(row.medicines.values_list("name", "answer")) == [("Ibuprofen", ""), ("Sumatriptan", "pain_free")]


def answered(patient, name, answers, time="09:00"):
    for index, answer in enumerate(answers):
        row = attack(patient, day(-1 - index), time=time, medicines=[("triptan", name)])
        AttackMedicine.objects.filter(attack=row).update(answer=answer)


def test_the_progress_page_has_the_table_with_few_answers_yet_below_5(patient_client, patient):
    answered(patient, "Sumatriptan", ["pain_free", "better", "same", "pain_free", "worse"])
    answered(patient, "Rizatriptan", ["pain_free", ""], time="18:00")
    text = patient_client.get(PROGRESS).text
    assert "How well your medicines work" in text
    assert "2 of 5 (40%)" in text  # Sumatriptan: pain gone at 2 hours
    assert "3 of 5 (60%)" in text  # better or gone
    assert "Rizatriptan" in text and "few answers yet" in text
    assert "1 of 1<" in text and "1 of 1 (" not in text  # Rizatriptan: a count, no percentage yet


def test_the_clinician_and_the_report_see_the_table(client, clinician, patient, frozen):
    answered(patient, "Sumatriptan", ["pain_free"] * 4 + ["same"])
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    page = client.get(reverse("clinic:patient", args=[patient.pk])).text
    assert "How well the acute medicines work" in page and "4 of 5 (80%)" in page
    assert "Sumatriptan (pain free at 2 h)" in page  # the raw diary
    report = client.get(reverse("clinic:patient_report", args=[patient.pk])).text
    assert "Acute medicines at 2 hours, last 90 days" in report and "4 of 5 (80%)" in report


# ---------------------------------------------------------------- the factor list (profile)


def test_the_profile_offers_the_suggested_factors(patient_client, patient):
    text = patient_client.get(PROFILE).text
    assert "Things you check in about" in text
    for name in ("Poor sleep", "Stress", "Alcohol", "Skipped meal", "Bright light", "Weather change"):
        assert f">{name}</label>" in text


def test_suggested_and_own_factors_are_added_in_one_step(patient_client, patient):
    before = version(patient)
    response = patient_client.post(
        FACTOR_ADD, {"factor-suggested": ["Poor sleep", "Stress"], "factor-name": "  Long   screen time "}, follow=True
    )
    assert "Added to your factors: Poor sleep, Stress, Long screen time." in response.text
    assert sorted(Factor.objects.filter(patient=patient).values_list("name", flat=True)) == [
        "Long screen time",
        "Poor sleep",
        "Stress",
    ]
    assert version(patient) == before + 1
    assert ">Poor sleep</label>" not in response.text  # no longer suggested


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"factor-name": "x" * 41}, "A factor's name can be at most 40 characters; this has 41."),
        ({"factor-name": "stress"}, "“Stress” is already on your list."),
        ({"factor-suggested": ["Cheese"]}, "Choose from the suggestions shown."),
        ({"factor-name": "   "}, "Choose one of the suggestions, or type a factor of your own."),
    ],
)
def test_a_wrong_factor_is_refused_next_to_its_field(patient_client, patient, data, message):
    Factor.objects.create(patient=patient, name="Stress")
    before = everything(patient)
    response = patient_client.post(FACTOR_ADD, data)
    page = refused(response, status=400)
    if "factor-name" in data:
        assert_at_fault(page, "id_factor-name")
    assert message in html.unescape(response.text)
    assert everything(patient) == before


def test_a_list_cannot_pass_its_limit(patient_client, patient):
    Factor.objects.bulk_create([Factor(patient=patient, name=f"Factor {n}") for n in range(MAX_FACTORS)])
    assert f"Your list is full ({MAX_FACTORS})" in patient_client.get(PROFILE).text
    before = everything(patient)
    response = patient_client.post(FACTOR_ADD, {"factor-name": "One more"})
    assert_at_fault(refused(response, status=400), "id_factor-name")
    assert "Your list can hold at most 20 factors. It has 20, so remove one before adding another." in response.text
    assert everything(patient) == before


def test_fifty_factors_at_once_save_none(patient):
    profile(patient)
    with pytest.raises(tracking.Refused) as refusal:
        tracking.add_factors(patient, [f"Factor {n}" for n in range(50)])
    assert refusal.value.message == "Your list can hold at most 20 factors. It has 0, so you can add 20 more, not 50."
    assert Factor.objects.filter(patient=patient).count() == 0


def test_a_factor_is_removed_and_past_check_ins_keep_it(patient_client, patient):
    stress = Factor.objects.create(patient=patient, name="Stress")
    FactorCheckIn.objects.create(patient=patient, date=day(-1), listed=["Stress"], present=["Stress"])
    response = patient_client.post(reverse("diary:factor_delete", args=[stress.pk]), follow=True)
    assert "Stress removed from your factors. Check-ins you saved keep it." in response.text
    assert not Factor.objects.filter(patient=patient).exists()
    assert FactorCheckIn.objects.get(patient=patient).listed == ["Stress"]


# ---------------------------------------------------------------- the check-in


def with_factors(patient, *names):
    for name in names or ("Poor sleep", "Stress", "Alcohol"):
        Factor.objects.create(patient=patient, name=name)


def test_the_home_page_has_the_check_in_in_one_step(patient_client, patient):
    with_factors(patient)
    text = patient_client.get(HOME).text
    assert f'action="{CHECKIN}"' in text
    assert 'type="checkbox" class="btn-check" name="present"' in text
    assert 'name="date"' in text and 'value="2026-10-15"' in text


def test_no_check_in_without_a_factor_list(patient_client, patient):
    assert f'action="{CHECKIN}"' not in patient_client.get(HOME).text
    assert "Your list of factors is empty" in patient_client.get(CHECKIN).text


def test_a_check_in_for_today_is_saved_with_the_list_of_the_day(patient_client, patient):
    with_factors(patient)
    before = version(patient)
    response = patient_client.post(
        CHECKIN, {"date": "2026-10-15", "present": ["Stress", "Poor sleep"], "next": HOME}, follow=True
    )
    assert response.redirect_chain == [(HOME, 302)]
    assert "Check-in saved for today: Stress, Poor sleep." in response.text
    saved = FactorCheckIn.objects.get(patient=patient)
    assert (saved.date, saved.listed, saved.present) == (
        TODAY,
        ["Alcohol", "Poor sleep", "Stress"],
        ["Poor sleep", "Stress"],
    )
    assert version(patient) == before + 1
    assert "Saved for today: Poor sleep, Stress." in response.text


def test_a_check_in_for_a_past_day_replaces_the_one_before(patient_client, patient):
    with_factors(patient)
    FactorCheckIn.objects.create(patient=patient, date=day(-3), listed=["Stress"], present=["Stress"])
    response = patient_client.post(CHECKIN, {"date": "2026-10-12", "present": []}, follow=True)
    assert "Check-in saved for Monday 12 October: none of your factors. It replaced the one you gave before." in (
        response.text
    )
    saved = FactorCheckIn.objects.get(patient=patient)
    assert (saved.listed, saved.present) == (["Alcohol", "Poor sleep", "Stress"], [])


def test_a_check_in_is_not_a_recorded_day(patient_client, patient):
    with_factors(patient)
    patient_client.post(CHECKIN, {"date": "2026-10-14", "present": ["Stress"]})
    days = {d.date: d.status for d in patient_client.get(HOME).context["days"]}
    assert days[day(-1)] == "unrecorded"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "2026-10-16", "present": ["Stress"]}, "id_date", "Friday 16 October has not happened yet"),
        ({"date": "", "present": ["Stress"]}, "id_date", "Give the day you are checking in for."),
        ({"date": "2026-10-14", "present": ["Cheese"]}, "id_present_0", "Choose factors from your own list"),
    ],
)
def test_a_wrong_check_in_is_refused_next_to_its_field(patient_client, patient, data, field, message):
    with_factors(patient)
    before = everything(patient)
    response = patient_client.post(CHECKIN, data)
    page = refused(response)
    assert_at_fault(page, field)
    assert message in response.text
    assert everything(patient) == before


def test_the_day_page_shows_its_check_in(patient_client, patient):
    with_factors(patient)
    FactorCheckIn.objects.create(patient=patient, date=day(-1), listed=["Alcohol", "Stress"], present=["Stress"])
    text = patient_client.get(reverse("diary:day", args=["2026-10-14"])).text
    assert "Check-in: Stress; not Alcohol." in text
    assert "Change the check-in" in text


# ---------------------------------------------------------------- things that go with your headaches


def factor_diary(patient):
    """Check-ins on 24 days: poor sleep on the first 12 (25 to 14 days ago), not on the next 12.
    Headaches 24, 20, 16 and 5 days ago; every other day from 25 days ago to yesterday headache-free.

    With poor sleep, a headache followed (that day or the next) on 25, 24, 21, 20, 17 and 16 days
    ago: 6 of 12. Without: on 6 and 5 days ago: 2 of 12."""
    Factor.objects.create(patient=patient, name="Poor sleep")
    headaches = {day(-24), day(-20), day(-16), day(-5)}
    for date in headaches:
        attack(patient, date)
    for offset in range(-25, 0):
        if day(offset) not in headaches:
            headache_free(patient, day(offset).isoformat())
    for offset in range(-25, -1):
        present = ["Poor sleep"] if offset <= -14 else []
        FactorCheckIn.objects.create(patient=patient, date=day(offset), listed=["Poor sleep"], present=present)


def test_the_factors_page_shows_both_shares_side_by_side_with_the_caution(patient_client, patient):
    factor_diary(patient)
    text = patient_client.get(FACTORS).text
    assert "These are counts from your diary, not causes." in text
    assert "On 6 of 12 days with poor sleep a headache followed, against 2 of 12 days without." in text
    assert ">50%<" in text and ">17%<" in text
    assert patient_client.get(reverse("diary:progress_json")).json()["factors"] == [
        {
            "name": "Poor sleep",
            "days_with": 12,
            "headache_after_with": 6,
            "days_without": 12,
            "headache_after_without": 2,
        }
    ]


def test_with_fewer_than_10_days_of_each_there_are_counts_and_no_shares(patient_client, patient):
    factor_diary(patient)
    FactorCheckIn.objects.filter(patient=patient, date__gte=day(-5)).delete()  # 8 days without are left
    text = patient_client.get(FACTORS).text
    assert (
        "So far 12 days with poor sleep and 8 without: the two are compared once there are at least 10 of each." in text
    )
    assert "%<" not in text


# ---------------------------------------------------------------- the data download


def test_the_data_download_holds_periods_answers_factors_and_check_ins(patient_client, patient):
    tracking_periods(patient)
    MenstruationDay.objects.create(patient=patient, date=day(-2))
    row = attack(patient, "2026-10-10", medicines=[("triptan", "Sumatriptan")])
    AttackMedicine.objects.filter(attack=row).update(answer="better")
    with_factors(patient, "Stress")
    FactorCheckIn.objects.create(patient=patient, date=day(-1), listed=["Stress"], present=["Stress"])
    archive = zipfile.ZipFile(io.BytesIO(patient_client.get(reverse("data_download")).content))
    csv_text = archive.read("diary.csv").decode()
    assert "menstruation,2026-10-13," in csv_text
    assert "triptan:Sumatriptan@better" in csv_text
    data = json.loads(archive.read("data.json"))
    assert data["track_periods"] is True
    assert data["period_days"] == ["2026-10-13"]
    assert data["factors"] == ["Stress"]
    assert data["factor_checkins"] == [{"date": "2026-10-14", "listed": ["Stress"], "present": ["Stress"]}]


# ---------------------------------------------------------------- the home page's queries


def test_home_with_everything_on_uses_a_fixed_number_of_queries(patient_client, patient, django_assert_num_queries):
    tracking_periods(patient)
    with_factors(patient)
    for offset in range(0, 30):
        attack(patient, day(-offset), medicines=[("triptan", "Sumatriptan")])
        MenstruationDay.objects.create(patient=patient, date=day(-offset))
    FactorCheckIn.objects.create(patient=patient, date=TODAY, listed=["Stress"], present=[])
    session(patient, "2026-09-23")
    patient_client.get(HOME)
    cache.clear()
    # 1 the session, 2 the user with role and profile, 3 attacks near the week, 4 their medicines,
    # 5 headache-free marks, 6 session dates, 7 urgent side effects, 8 the factor list, 9 today's
    # check-in, 10 the period days of the last 3 weeks
    with django_assert_num_queries(10):
        response = patient_client.get(HOME)
    assert len(response.context["medicine_reminders"]) == 2  # today's and yesterday's


# ---------------------------------------------------------------- services, one transaction each


def test_every_tracking_write_raises_the_diary_s_version(patient, frozen):
    profile(patient)
    row = attack(patient, "2026-10-14", medicines=[("triptan", "Sumatriptan")])
    steps = [
        lambda: tracking.set_track_periods(patient, True),
        lambda: tracking.mark_period_started(patient, day(-3), 2),
        lambda: tracking.mark_period_day(patient, TODAY),
        lambda: tracking.unmark_period_day(patient, TODAY),
        lambda: tracking.delete_period_days(patient),
        lambda: tracking.save_medicine_answers(row, {row.medicines.get().pk: "same"}),
        lambda: tracking.add_factors(patient, ["Stress"]),
        lambda: tracking.save_checkin(patient, TODAY, ["Stress"]),
        lambda: tracking.remove_factor(Factor.objects.get(patient=patient)),
    ]
    for step in steps:
        before = version(patient)
        step()
        assert version(patient) == before + 1


def test_a_refused_write_raises_no_version(patient, frozen):
    profile(patient)
    before = version(patient)
    for refused_step in (
        lambda: tracking.mark_period_started(patient, day(1)),
        lambda: tracking.add_factors(patient, ["x" * 41]),
        lambda: tracking.save_checkin(patient, TODAY, []),  # an empty list
    ):
        with pytest.raises(tracking.Refused):
            refused_step()
    assert version(patient) == before


def test_our_forms_never_say_a_django_default(patient):
    row = attack(patient, "2026-10-14", medicines=[("triptan", "Sumatriptan")])
    defaults = _django_default_messages()
    forms = [
        PeriodStartedForm({}, today=TODAY),
        MedicineEffectForm({}, medicines=list(row.medicines.all())),
        FactorAddForm({}, listed=[]),
        CheckInForm({}, listed=["Stress"], today=TODAY),
    ]
    for form in forms:
        form.errors  # noqa: B018 (the checking applies the plain messages)
        for name, field in form.fields.items():
            for code, message in field.error_messages.items():
                assert str(message) not in defaults, f"{type(form).__name__}.{name} says Django's {code}"
                assert not DJANGO_DEFAULTS.search(str(message))


# ---------------------------------------------------------------- the words (plain values in)


def _progress(pattern, with_migraine=(True, True, True), between=(40, 30, 0)):
    basis = [
        cycles.Menstruation(
            day1=start,
            last_marked=start,
            window_start=start - dt.timedelta(days=2),
            window_end=start + dt.timedelta(days=2),
            assessable=True,
            migraine_in_window=migraine,
        )
        for start, migraine in zip(PERIOD_STARTS, with_migraine, strict=True)
    ]
    return cycles.Progress(
        today=TODAY,
        baseline_source=None,
        baseline_rate=None,
        periods=[],
        months=[],
        flags=[],
        current_cycle=None,
        menstrual_pattern=pattern,
        menstrual_basis=basis,
        menstrual_between=cycles.BetweenWindows(*between),
    )


@pytest.mark.parametrize(
    ("pattern", "patient_words", "clinician_words"),
    [
        ("pure_menstrual", "and not between them.", "pure menstrual migraine (the ICHD-3 A1.1.1 pattern)"),
        ("menstrually_related", "and on other days too.", "menstrually related migraine (the ICHD-3 A1.1.2"),
        ("perimenstrual", "Too few days between your periods are recorded", "a perimenstrual pattern"),
    ],
)
def test_each_pattern_suggests_a_talk_with_the_clinician_and_says_what_the_diary_shows(
    pattern, patient_words, clinician_words
):
    rules = cycles.DEFAULT_RULES
    for_patient = tracking_presentation.menstrual_summary(_progress(pattern), rules)
    assert (
        for_patient["headline"] == "Your diary suggests a pattern around your period: discuss it with your clinician."
    )
    assert patient_words in for_patient["detail"]
    assert "Between them: 0 migraine days, with 30 of 40 days recorded." in for_patient["detail"]
    for_clinician = tracking_presentation.menstrual_summary(_progress(pattern), rules, for_clinician=True)
    assert clinician_words in for_clinician["headline"]


def test_no_pattern_says_how_many_windows_had_a_migraine_day():
    summary = tracking_presentation.menstrual_summary(_progress("none", (True, False, False)), cycles.DEFAULT_RULES)
    assert summary["headline"] == "Your diary shows no pattern around your period."
    assert summary["detail"] == (
        "Of the last 3 periods, 1 had a migraine day in the 5 days around its start (a pattern needs 2)."
    )
    assert summary["suggests"] is False


def test_a_factor_s_name_is_lower_case_inside_a_sentence_unless_it_is_an_abbreviation():
    counts = [
        cycles.FactorCount("PMS", 10, 5, 10, 1, True),
        cycles.FactorCount("Red wine", 2, 1, 3, 0, False),
    ]
    pms, wine = tracking_presentation.factor_rows(counts, cycles.DEFAULT_RULES)
    assert pms["sentence"] == "On 5 of 10 days with PMS a headache followed, against 1 of 10 days without."
    assert (pms["with_pct"], pms["without_pct"]) == ("50%", "10%")
    assert wine["sentence"].startswith("So far 2 days with red wine and 3 without")
    assert wine["with_pct"] is None
