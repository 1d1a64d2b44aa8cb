"""Logging a headache: what was typed is what is saved (or the form says why not), the
confirmation says what was saved, and the home page's fast path and "It has stopped" choices.

Now is Thursday 15 October 2026, 13:00 in London (tests/conftest.py). The form page shows the
start date and time pre-filled with now and carries them back in hidden shown_* fields.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import PatientProfile
from diary import presentation
from diary.models import Attack
from tests.conftest import NOW, make_user
from tests.diary.factories import attack

NEW = reverse("diary:headache_new")
HOME = reverse("diary:home")
# What the form page shows at 13:00 on 15 October, and sends back unchanged unless retyped.
SHOWN = {"shown_start_date": "2026-10-15", "shown_start_time": "13:00", "shown_duration_minutes": ""}


def form_data(**changes):
    """A POST of the form as a browser sends it: every field, pre-filled ones unchanged."""
    data = {
        "when": "now",
        "start_date": "2026-10-15",
        "start_time": "13:00",
        "duration_choice": "ongoing",
        "duration_minutes": "",
        "severity": "2",
        **SHOWN,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def saved(patient):
    row = Attack.objects.get(patient=patient)
    return row.start_date, row.start_time, row.duration_minutes, row.severity


def stop(pk):
    return reverse("diary:headache_end", args=[pk])


# --- the page says what it pre-filled


def test_the_form_carries_what_it_pre_filled_in_hidden_fields(patient_client):
    page = patient_client.get(NEW).text
    assert '<input type="hidden" name="shown_start_date" value="2026-10-15"' in page
    assert '<input type="hidden" name="shown_start_time" value="13:00"' in page
    assert 'value="2026-10-15" data-exact-for="when"' in page  # the date field shows the same


def test_the_form_loads_its_script_from_this_site_deferred(patient_client):
    page = patient_client.get(NEW).text
    assert '<script src="/static/js/attack-form.js" defer></script>' in page
    assert "<script>" not in page  # no inline script: the CSP refuses it


# --- a typed start wins over a quick choice left selected


def test_a_typed_date_and_time_with_just_now_still_selected_saves_what_was_typed(patient_client, patient):
    response = patient_client.post(NEW, form_data(when="now", start_date="2026-10-14", start_time="09:00"))
    assert response.status_code == 302
    assert saved(patient)[:2] == (dt.date(2026, 10, 14), dt.time(9, 0))


def test_a_typed_time_alone_wins_over_about_an_hour_ago(patient_client, patient):
    patient_client.post(NEW, form_data(when="1h", start_time="07:45"))
    assert saved(patient)[:2] == (dt.date(2026, 10, 15), dt.time(7, 45))


def test_pre_filled_values_left_alone_let_the_quick_choice_decide(patient_client, patient):
    patient_client.post(NEW, form_data(when="2h"))
    assert saved(patient)[:2] == (dt.date(2026, 10, 15), dt.time(11, 0))


def test_a_typed_start_in_the_future_is_refused_even_with_just_now_selected(patient_client, patient):
    response = patient_client.post(NEW, form_data(when="now", start_time="15:00"))
    assert response.status_code == 200
    assert "That is in the future" in response.text
    # Shown again with "Another time" chosen, as it would be saved, and the typed time kept.
    assert response.context["form"]["when"].value() == "other"
    assert 'value="15:00"' in response.text
    assert not Attack.objects.exists()


# --- typed minutes win over a quick length; "Still going" with minutes is refused


def test_300_minutes_typed_with_1_hour_selected_saves_300(patient_client, patient):
    patient_client.post(NEW, form_data(duration_choice="60", duration_minutes="300"))
    assert saved(patient)[2] == 300


def test_minutes_typed_with_still_going_selected_are_refused_and_kept(patient_client, patient):
    response = patient_client.post(NEW, form_data(duration_choice="ongoing", duration_minutes="300"))
    assert response.status_code == 200
    assert "Is it still going, or did it last 300 minutes?" in response.text
    assert response.context["form"].has_error("duration_minutes", "still_going_with_minutes")
    assert 'value="300"' in response.text
    assert not Attack.objects.exists()


def test_one_minute_with_still_going_is_refused_in_the_singular(patient_client):
    response = patient_client.post(NEW, form_data(duration_choice="ongoing", duration_minutes="1"))
    assert "did it last 1 minute?" in response.text


def test_still_going_with_the_minutes_box_empty_saves_still_going(patient_client, patient):
    patient_client.post(NEW, form_data(duration_choice="ongoing", duration_minutes=""))
    assert saved(patient)[2] is None


def test_on_the_change_page_a_quick_length_beats_the_minutes_it_pre_filled(patient_client, patient):
    row = attack(patient, "2026-10-10", time="08:00", minutes=90)
    url = reverse("diary:headache_edit", args=[row.pk])
    page = patient_client.get(url).text
    assert '<input type="hidden" name="shown_duration_minutes" value="90"' in page
    patient_client.post(
        url,
        form_data(
            when="other",
            start_date="2026-10-10",
            start_time="08:00",
            shown_start_date="2026-10-10",
            shown_start_time="08:00",
            duration_choice="120",
            duration_minutes="90",  # left as the page showed it
            shown_duration_minutes="90",
        ),
    )
    row.refresh_from_db()
    assert row.duration_minutes == 120


def test_on_the_change_page_minutes_retyped_beat_a_quick_length(patient_client, patient):
    row = attack(patient, "2026-10-10", time="08:00", minutes=90)
    patient_client.post(
        reverse("diary:headache_edit", args=[row.pk]),
        form_data(
            when="other",
            start_date="2026-10-10",
            start_time="08:00",
            duration_choice="120",
            duration_minutes="100",
            shown_duration_minutes="90",
        ),
    )
    row.refresh_from_db()
    assert row.duration_minutes == 100


# --- the confirmation says what was saved


def test_the_confirmation_states_what_was_saved_with_a_link_to_change_it(patient_client, patient):
    response = patient_client.post(
        NEW,
        form_data(start_date="2026-10-14", start_time="09:00", duration_choice="exact", duration_minutes="300"),
        follow=True,
    )
    row = Attack.objects.get(patient=patient)
    edit = reverse("diary:headache_edit", args=[row.pk])
    assert (
        f'Headache saved: Wednesday 14 October, 09:00, 5 hours, moderate. <a class="alert-link" href="{edit}">'
        "Change it</a>" in response.text
    )


def test_the_confirmation_of_a_headache_still_going(patient_client):
    response = patient_client.post(NEW, form_data(severity="3"), follow=True)
    assert "Headache saved: Thursday 15 October, 13:00, still going, severe." in response.text


def test_the_confirmation_gives_the_year_when_it_is_not_this_year(patient_client):
    response = patient_client.post(
        NEW, form_data(start_date="2025-11-24", start_time="09:00", duration_choice="60", severity="1"), follow=True
    )
    assert "Headache saved: Monday 24 November 2025, 09:00, 1 hour, mild." in response.text


def test_a_change_is_confirmed_in_the_same_words(patient_client, patient):
    row = attack(patient, "2026-10-10", time="08:00", minutes=90)
    response = patient_client.post(
        reverse("diary:headache_edit", args=[row.pk]),
        form_data(
            when="other",
            start_date="2026-10-10",
            start_time="08:00",
            duration_choice="exact",
            duration_minutes="125",
            shown_duration_minutes="90",
        ),
        follow=True,
    )
    assert "Headache updated: Saturday 10 October, 08:00, 2 hours 5 minutes, moderate." in response.text


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 minute"),
        (45, "45 minutes"),
        (60, "1 hour"),
        (61, "1 hour 1 minute"),
        (125, "2 hours 5 minutes"),
        (1440, "24 hours"),
        (2879, "47 hours 59 minutes"),
        (2880, "2 days"),
        (3001, "2 days 2 hours 1 minute"),
        (20160, "14 days"),
        (None, "still going"),
    ],
)
def test_lengths_in_words_have_the_right_plurals(minutes, words):
    assert presentation.duration_words(minutes) == words


# --- the refused form: errors in view, in our words


def test_a_refused_form_has_the_summary_and_marks_the_fields_at_fault(patient_client):
    response = patient_client.post(NEW, form_data(severity=None, duration_choice="exact", duration_minutes="0"))
    page = response.text
    assert "data-error-summary" in page
    assert page.index("data-error-summary") < page.index('name="when"')  # at the top of the form
    assert "Choose how bad it was at its worst: mild, moderate or severe." in page
    assert "Give at least 1 minute." in page
    assert 'id="id_severity_error"' in page
    assert 'aria-describedby="id_severity_error"' in page
    assert re.search(r'name="severity" id="id_severity_0" value="1" autocomplete="off" aria-invalid="true"', page)
    assert re.search(r'aria-describedby="id_duration_minutes_help id_duration_minutes_error" aria-invalid="true"', page)
    assert "<title>Error: Log a headache" in page


@pytest.mark.parametrize(
    "changes",
    [
        {"severity": None},
        {"severity": "7"},
        {"when": "sometime"},
        {"duration_choice": "forever"},
        {"duration_choice": "exact", "duration_minutes": "20161"},
        {"duration_choice": "exact", "duration_minutes": "abc"},
        {"when": "other", "start_date": "15/10/2026x"},
        {"when": "other", "start_time": "25:00"},
        {"notes": "x" * 2001},
        {"other_medicine_name": "y" * 101, "other_medicine_class": "triptan"},
        {"other_medicine_class": "snake_oil"},
        {"medicines": ["usual:999999"]},
    ],
)
def test_every_refusal_is_in_our_words_and_saves_nothing(patient_client, changes):
    response = patient_client.post(NEW, form_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors
    for django_words in ["This field is required", "Select a valid choice", "Ensure this value", "Enter a valid"]:
        assert django_words not in response.text
    assert not Attack.objects.exists()


def test_a_refused_form_keeps_every_value(patient_client):
    response = patient_client.post(
        NEW,
        form_data(
            severity=None,
            when="other",
            start_date="2026-10-14",
            start_time="09:05",
            duration_choice="exact",
            duration_minutes="95",
            nausea="on",
            notes="Private note",
            other_medicine_name="Rizatriptan",
        ),
    )
    form = response.context["form"]
    assert form["start_date"].value() == "2026-10-14" and form["start_time"].value() == "09:05"
    assert form["duration_choice"].value() == "exact" and form["duration_minutes"].value() == "95"
    assert "Private note</textarea>" in response.text
    assert 'value="Rizatriptan"' in response.text
    assert form["nausea"].value() is True
    assert response.text.count(" open>") >= 3  # features, medicines and notes unfolded: something is in them


# --- the fast path: "Headache now", then how bad


def test_the_home_page_offers_headache_now_then_three_severities_as_post_forms(patient_client):
    page = patient_client.get(HOME).text
    assert "<summary" in page and "Headache now</summary>" in page
    form = page[page.index("Headache now</summary>") :]
    form = form[: form.index("</form>")]
    assert f'method="post" action="{NEW}"' in form
    assert '<input type="hidden" name="quick" value="now">' in form
    for value, name in [("1", "Mild"), ("2", "Moderate"), ("3", "Severe")]:
        assert f'name="severity" value="{value}"><strong>{name}</strong>' in form


def test_headache_now_saves_one_headache_starting_now_still_going(patient_client, patient):
    response = patient_client.post(NEW, {"quick": "now", "severity": "3"})
    assert response.status_code == 302 and response["Location"] == HOME
    assert saved(patient) == (dt.date(2026, 10, 15), dt.time(13, 0), None, 3)
    page = patient_client.get(HOME).text
    assert "Headache saved: Thursday 15 October, 13:00, still going, severe." in page
    assert "Headache still going" in page  # the page cache was not served stale


def test_headache_now_shows_at_once_on_the_cached_home_page(patient_client):
    patient_client.get(HOME)  # sets the CSRF cookie, so it is not cached
    assert "Headache still going" not in patient_client.get(HOME).text  # now in the page cache
    patient_client.post(NEW, {"quick": "now", "severity": "1"})
    patient_client.cookies.pop("messages", None)
    assert "Headache still going" in patient_client.get(HOME).text


def test_headache_now_tapped_twice_leaves_one_headache(patient_client, patient):
    patient_client.post(NEW, {"quick": "now", "severity": "2"})
    second = patient_client.post(NEW, {"quick": "now", "severity": "2"}, follow=True)
    assert Attack.objects.filter(patient=patient).count() == 1
    assert "This headache is already in your diary." in second.text


def test_headache_now_again_a_minute_later_is_the_same_headache(patient_client, patient, frozen):
    patient_client.post(NEW, {"quick": "now", "severity": "2"})
    frozen.shift(dt.timedelta(seconds=70))  # a double tap across the turn of a minute
    second = patient_client.post(NEW, {"quick": "now", "severity": "3"}, follow=True)
    assert Attack.objects.filter(patient=patient).count() == 1
    assert "You logged a headache at 13:00 a moment ago, and it is still going" in second.text


def test_headache_now_long_after_the_last_one_is_a_new_headache(patient_client, patient, frozen):
    patient_client.post(NEW, {"quick": "now", "severity": "2"})
    frozen.shift(dt.timedelta(minutes=11))
    patient_client.post(NEW, {"quick": "now", "severity": "1"})
    assert Attack.objects.filter(patient=patient).count() == 2


@pytest.mark.parametrize("severity", ["", "0", "4", "severe"])
def test_headache_now_without_a_real_severity_saves_nothing(patient_client, severity):
    response = patient_client.post(NEW, {"quick": "now", "severity": severity}, follow=True)
    assert "Choose how bad it is: mild, moderate or severe. Nothing was saved." in response.text
    assert not Attack.objects.exists()


# --- "It has stopped": just now, 30 min, 1 h, 2 h ago, or at a time


@pytest.mark.parametrize(
    ("ago", "minutes", "words"),
    [
        ("0", 150, "2 hours 30 minutes"),
        ("30", 120, "2 hours"),
        ("60", 90, "1 hour 30 minutes"),
        ("120", 30, "30 minutes"),
    ],
)
def test_it_has_stopped_some_minutes_ago(patient_client, patient, ago, minutes, words):
    row = attack(patient, "2026-10-15", time="10:30", minutes=None)
    response = patient_client.post(stop(row.pk), {"ago": ago}, follow=True)
    row.refresh_from_db()
    assert row.duration_minutes == minutes
    assert f"Saved: it lasted {words}." in response.text


def test_the_card_offers_only_the_choices_after_its_start(patient_client, patient):
    attack(patient, "2026-10-15", time="11:45", minutes=None)  # 75 minutes ago
    page = patient_client.get(HOME).text
    assert "It has stopped:" in page
    for label in ["Just now", "30 min ago", "1 hour ago"]:
        assert f"It stopped </span>{label}</button>" in page
    assert "2 hours ago" not in page
    assert "At another time</summary>" in page


def test_it_has_stopped_at_a_time_typed(patient_client, patient):
    row = attack(patient, "2026-10-15", time="10:30", minutes=None)
    patient_client.post(stop(row.pk), {"stopped_time": "12:15"})
    row.refresh_from_db()
    assert row.duration_minutes == 105


def test_it_has_stopped_at_a_time_on_the_next_day(patient_client, patient):
    row = attack(patient, "2026-10-14", time="22:00", minutes=None)
    assert 'name="stopped_date"' in patient_client.get(HOME).text  # it began before today
    patient_client.post(stop(row.pk), {"stopped_date": "2026-10-15", "stopped_time": "01:30"})
    row.refresh_from_db()
    assert row.duration_minutes == 210


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"stopped_time": "10:00"}, "It started at 10:30 on Thursday 15 October: give a time after that."),
        ({"stopped_time": "10:30"}, "It started at 10:30 on Thursday 15 October: give a time after that."),
        ({"stopped_time": "13:30"}, "That is in the future"),
        ({"stopped_time": ""}, "Give the time it stopped."),
        ({"stopped_time": "half past"}, "Give the time as hours and minutes"),
        ({"stopped_date": "2026-11-15", "stopped_time": "10:00"}, "That is in the future"),
        ({"ago": "45"}, "Choose one of the times shown."),
        ({"ago": "240"}, "Choose one of the times shown."),
    ],
)
def test_a_wrong_stop_time_is_refused_on_the_home_page_and_kept(patient_client, patient, data, message):
    row = attack(patient, "2026-10-15", time="10:30", minutes=None)
    response = patient_client.post(stop(row.pk), data)
    assert response.status_code == 200
    assert message in response.text
    assert 'aria-invalid="true" aria-describedby="stop-error-' in response.text
    if data.get("stopped_time"):
        assert f'value="{data["stopped_time"]}"' in response.text
    row.refresh_from_db()
    assert row.duration_minutes is None


def test_a_stop_time_more_than_14_days_on_is_refused(patient_client, patient, frozen):
    row = attack(patient, "2026-10-15", time="10:30", minutes=None)
    frozen.move_to(NOW + dt.timedelta(days=20))
    patient_client.force_login(patient)  # the session has run out meanwhile
    response = patient_client.post(stop(row.pk), {"stopped_date": "2026-11-04", "stopped_time": "10:30"})
    assert "longer than 14 days" in response.text
    row.refresh_from_db()
    assert row.duration_minutes is None


def test_stopping_twice_keeps_the_first(patient_client, patient):
    row = attack(patient, "2026-10-15", time="10:30", minutes=None)
    patient_client.post(stop(row.pk), {"ago": "30"})
    patient_client.post(stop(row.pk), {"ago": "0"})
    row.refresh_from_db()
    assert row.duration_minutes == 120


def test_stopping_shows_on_the_cached_home_page_at_once(patient_client, patient):
    row = attack(patient, "2026-10-15", time="10:30", minutes=None)
    patient_client.get(HOME)  # sets the CSRF cookie, so it is not cached
    assert "Headache still going" in patient_client.get(HOME).text  # now in the page cache
    patient_client.post(stop(row.pk), {"ago": "30"})
    patient_client.cookies.pop("messages", None)
    assert "Headache still going" not in patient_client.get(HOME).text


@pytest.mark.parametrize("data", [{"ago": "30"}, {"stopped_time": "12:00"}])
def test_another_patient_s_headache_cannot_be_stopped(patient_client, other_patient, data):
    theirs = attack(other_patient, "2026-10-15", time="10:30", minutes=None)
    assert patient_client.post(stop(theirs.pk), data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.duration_minutes is None


def test_another_patient_s_headache_cannot_be_changed(patient_client, patient, other_patient):
    theirs = attack(other_patient, "2026-10-10", time="08:00", minutes=60)
    url = reverse("diary:headache_edit", args=[theirs.pk])
    assert patient_client.post(url, form_data(when="other", duration_choice="120")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.duration_minutes == 60
    assert not Attack.objects.filter(patient=patient).exists()


# --- two taps at once, on PostgreSQL (SQLite serialises writers, so it cannot race)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's row-level concurrency")
def test_headache_now_tapped_twice_at_once_leaves_one_headache():
    from tests.security.test_concurrency import at_once

    user = make_user("racer.now@example.com")
    PatientProfile.objects.create(user=user)
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(user)
        clients.append(client)
    responses = at_once(2, lambda i: clients[i].post(NEW, {"quick": "now", "severity": "2"}))
    assert [response.status_code for response in responses] == [302, 302]
    assert Attack.objects.filter(patient=user).count() == 1
