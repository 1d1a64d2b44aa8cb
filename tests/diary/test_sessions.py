import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from diary.models import SideEffectReport, TreatmentSession
from tests.diary.factories import attack, session, side_effect

LIST = reverse("diary:sessions")
NEW = reverse("diary:session_new")


def test_list_requires_login(client, db):
    assert client.get(LIST).status_code == 302


def test_list_shows_only_own_sessions(patient_client, patient, other_patient):
    session(patient, "2026-07-01", given_by="Nurse Mine")
    session(other_patient, "2026-07-02", given_by="Nurse Theirs")
    response = patient_client.get(LIST)
    assert "Nurse Mine" in response.text
    assert "Nurse Theirs" not in response.text


def test_the_form_defaults_to_155_units_at_31_sites_today(patient_client):
    form = patient_client.get(NEW).context["form"]
    assert form["units"].value() == 155
    assert form["sites"].value() == 31
    assert form["date"].value() == dt.date(2026, 10, 15)


def test_adding_a_session_then_asks_about_side_effects(patient_client, patient):
    response = patient_client.post(NEW, {"date": "2026-10-01", "units": "155", "sites": "31", "given_by": "Dr K"})
    saved = TreatmentSession.objects.get(patient=patient)
    assert response["Location"] == reverse("diary:session_side_effects", args=[saved.pk])
    page = patient_client.get(response["Location"])
    assert "Any side effects since your session on 1 October?" in page.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("units", "196", "Units can be at most 195"),
        ("sites", "40", "Injection sites can be at most 39"),
        ("units", "0", "Units must be at least 1."),
        ("date", "2026-10-16", "A treatment session cannot be after today."),
    ],
)
def test_out_of_range_sessions_are_refused_next_to_the_field(patient_client, field, value, message):
    data = {"date": "2026-10-01", "units": "155", "sites": "31"}
    data[field] = value
    response = patient_client.post(NEW, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not TreatmentSession.objects.exists()


def test_a_second_session_on_a_date_is_refused(patient_client, patient):
    session(patient, "2026-10-01")
    response = patient_client.post(NEW, {"date": "2026-10-01", "units": "155", "sites": "31"})
    assert "You already have a treatment session on this date." in response.text
    assert TreatmentSession.objects.count() == 1


def test_edit_and_delete(patient_client, patient):
    row = session(patient, "2026-10-01")
    patient_client.post(
        reverse("diary:session_edit", args=[row.pk]), {"date": "2026-10-02", "units": "195", "sites": "39"}
    )
    row.refresh_from_db()
    assert (row.date, row.units, row.sites) == (dt.date(2026, 10, 2), 195, 39)
    assert "Delete this treatment session?" in patient_client.get(reverse("diary:session_delete", args=[row.pk])).text
    patient_client.post(reverse("diary:session_delete", args=[row.pk]))
    assert not TreatmentSession.objects.exists()


@pytest.mark.parametrize("name", ["diary:session_edit", "diary:session_delete", "diary:session_side_effects"])
def test_another_patient_s_session_is_404(patient_client, other_patient, name):
    theirs = session(other_patient, "2026-10-01")
    assert patient_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert patient_client.post(reverse(name, args=[theirs.pk]), {"date": "2026-10-03"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.date == dt.date(2026, 10, 1)


def test_session_pages_require_login(client, patient):
    row = session(patient, "2026-10-01")
    for name in ["diary:session_edit", "diary:session_delete", "diary:session_side_effects"]:
        assert client.get(reverse(name, args=[row.pk])).status_code == 302


# --- side effects


def side_effects_url(treatment):
    return reverse("diary:session_side_effects", args=[treatment.pk])


def test_reporting_a_side_effect(patient_client, patient):
    treatment = session(patient, "2026-10-01")
    response = patient_client.post(
        side_effects_url(treatment), {"effect": "neck_pain", "severity": "1", "started_on": "2026-10-02"}, follow=True
    )
    report = SideEffectReport.objects.get(patient=patient)
    assert (report.session, report.effect) == (treatment, "neck_pain")
    assert "Seek urgent medical care now" not in response.text


def test_an_urgent_side_effect_shows_the_urgent_message_first(patient_client, patient):
    treatment = session(patient, "2026-10-01")
    response = patient_client.post(
        side_effects_url(treatment),
        {"effect": "swallowing_speaking_breathing", "severity": "2", "started_on": "2026-10-03"},
        follow=True,
    )
    text = response.text
    assert "Seek urgent medical care now" in text
    assert text.index("Seek urgent medical care now") < text.index("<header")
    assert "/learn/side-effects/" in text


def test_a_side_effect_before_its_session_or_in_the_future_is_refused(patient_client, patient):
    treatment = session(patient, "2026-10-01")
    response = patient_client.post(
        side_effects_url(treatment), {"effect": "fatigue", "severity": "1", "started_on": "2026-09-30"}
    )
    assert "give a date on or after it" in response.text
    response = patient_client.post(
        side_effects_url(treatment), {"effect": "fatigue", "severity": "1", "started_on": "2026-10-16"}
    )
    assert "A side effect cannot be after today." in response.text
    assert not SideEffectReport.objects.exists()


def test_deleting_a_side_effect_report(patient_client, patient):
    report = side_effect(patient, session(patient, "2026-10-01"))
    url = reverse("diary:side_effect_delete", args=[report.pk])
    assert patient_client.get(url).status_code == 200
    patient_client.post(url)
    assert not SideEffectReport.objects.exists()


def test_another_patient_s_side_effect_is_404(patient_client, other_patient):
    report = side_effect(other_patient, session(other_patient, "2026-10-01"))
    assert patient_client.post(reverse("diary:side_effect_delete", args=[report.pk])).status_code == 404
    assert SideEffectReport.objects.filter(pk=report.pk).exists()


@override_settings(EMERGENCY_NUMBER="112", EMERGENCY_DEPARTMENT="the emergency department")
def test_the_urgent_message_gives_the_emergency_number_from_settings(patient_client, patient):
    treatment = session(patient, "2026-10-01")
    response = patient_client.post(
        side_effects_url(treatment),
        {"effect": "swallowing_speaking_breathing", "severity": "2", "started_on": "2026-10-03"},
        follow=True,
    )
    assert "call 112 or go to the emergency department." in response.text
    assert "999" not in response.text


def test_the_day_page_says_1_minute_and_1_unit_in_the_singular(patient_client, patient):
    session(patient, "2026-10-01", units=1, sites=1)
    attack(patient, "2026-10-01", minutes=1)
    text = patient_client.get(reverse("diary:day", args=["2026-10-01"])).text
    assert "lasted 1 minute." in text
    assert "1 unit, 1 site" in text


def test_the_urgent_advice_shows_when_the_urgent_effect_is_refused_for_another_reason(patient_client, patient):
    """A patient who picks "difficulty swallowing" but no severity still gets the urgent advice at once."""
    treatment = session(patient, "2026-10-01")
    form_page = patient_client.get(side_effects_url(treatment)).text
    assert "Difficulty swallowing, speaking or breathing now? Call 999 or go to A&amp;E first." in form_page
    response = patient_client.post(
        side_effects_url(treatment), {"effect": "swallowing_speaking_breathing", "started_on": "2026-10-03"}
    )
    assert response.status_code == 200
    text = response.text
    assert "needs urgent care now" in text
    assert not SideEffectReport.objects.exists()
    other = patient_client.post(side_effects_url(treatment), {"effect": "neck_pain", "started_on": "2026-10-03"})
    assert "needs urgent care now" not in other.text


def test_a_session_close_to_another_needs_a_tick_to_be_saved(patient_client, patient):
    session(patient, "2026-10-01")
    data = {"date": "2026-10-07", "units": "155", "sites": "31"}
    refused = patient_client.post(reverse("diary:session_new"), data)
    assert refused.status_code == 200
    assert "This is only 6 days from the session of 1 October 2026" in refused.text
    assert 'type="checkbox" name="date_is_right"' in refused.text
    assert TreatmentSession.objects.filter(patient=patient).count() == 1
    saved = patient_client.post(reverse("diary:session_new"), {**data, "date_is_right": "on"})
    assert saved.status_code == 302
    assert TreatmentSession.objects.filter(patient=patient).count() == 2


def test_a_session_four_weeks_and_a_day_from_another_is_saved_without_a_tick(patient_client, patient):
    session(patient, "2026-09-02")
    data = {"date": "2026-10-01", "units": "155", "sites": "31"}  # 29 days later
    assert patient_client.post(reverse("diary:session_new"), data).status_code == 302
    assert TreatmentSession.objects.filter(patient=patient).count() == 2


def test_a_clinician_s_session_close_to_another_needs_the_tick_too(client, clinician, patient, frozen):
    from clinic.models import Share

    Share.objects.create(patient=patient, clinician=clinician)
    session(patient, "2026-10-01")
    client.force_login(clinician)
    url = reverse("clinic:session_new", args=[patient.pk])
    refused = client.post(url, {"date": "2026-10-15", "units": "155", "sites": "31"})
    assert "This is only 14 days from the session of 1 October 2026" in refused.text
    assert TreatmentSession.objects.filter(patient=patient).count() == 1
