import datetime as dt

import pytest
from django.urls import reverse

from diary.models import Attack, HeadacheFreeDay, Medicine
from tests.diary.conftest import TODAY
from tests.diary.factories import attack, headache_free

NEW = reverse("diary:headache_new")


def form_data(**changes):
    data = {"when": "now", "duration_choice": "ongoing", "severity": "2", "start_date": "", "start_time": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_it_requires_login(client, db):
    assert client.get(NEW).status_code == 302


def test_the_form_is_usable(patient_client):
    response = patient_client.get(NEW)
    assert response.status_code == 200
    for text in ["When did it start?", "How long did it last?", "How bad was it at its worst?", "Feeling sick"]:
        assert text in response.text


def test_logging_now_still_going_takes_one_post(patient_client, patient):
    response = patient_client.post(NEW, form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("diary:home")
    saved = Attack.objects.get(patient=patient)
    # now is 13:00 in London
    assert (saved.start_date, saved.start_time, saved.duration_minutes, saved.severity) == (
        TODAY,
        dt.time(13, 0),
        None,
        2,
    )


def test_quick_choices_for_start_and_duration(patient_client, patient):
    patient_client.post(NEW, form_data(when="4h", duration_choice="120", severity="3", nausea="on", aura="on"))
    saved = Attack.objects.get(patient=patient)
    assert saved.start_time == dt.time(9, 0)
    assert saved.duration_minutes == 120
    assert saved.severity == 3
    assert saved.nausea and saved.aura and not saved.throbbing


def test_an_exact_start_yesterday_and_exact_minutes(patient_client, patient):
    patient_client.post(
        NEW,
        form_data(
            when="other", start_date="2026-10-14", start_time="22:15", duration_choice="exact", duration_minutes="95"
        ),
    )
    saved = Attack.objects.get(patient=patient)
    assert (saved.start_date, saved.start_time, saved.duration_minutes) == (dt.date(2026, 10, 14), dt.time(22, 15), 95)


def test_a_start_in_the_future_is_refused_next_to_the_field(patient_client, patient):
    response = patient_client.post(NEW, form_data(when="other", start_date="2026-10-15", start_time="13:01"))
    assert response.status_code == 200
    assert "That is in the future" in response.text
    assert response.context["form"].errors["start_time"]
    assert not Attack.objects.exists()


def test_a_start_skipped_by_the_clocks_is_refused(patient_client, patient):
    response = patient_client.post(NEW, form_data(when="other", start_date="2026-03-29", start_time="01:30"))
    assert "The clocks went forward at that time" in response.text
    assert not Attack.objects.exists()


def test_exact_duration_needs_minutes(patient_client):
    response = patient_client.post(NEW, form_data(duration_choice="exact", duration_minutes=""))
    assert "Give the length in minutes" in response.text


@pytest.mark.parametrize("minutes", ["0", "20161", "abc"])
def test_exact_duration_out_of_range_is_refused(patient_client, minutes):
    response = patient_client.post(NEW, form_data(duration_choice="exact", duration_minutes=minutes))
    assert response.context["form"].errors["duration_minutes"]
    assert not Attack.objects.exists()


def test_severity_is_required(patient_client):
    response = patient_client.post(NEW, form_data(severity=None))
    assert response.context["form"].errors["severity"]
    assert not Attack.objects.exists()


def test_medicines_from_the_list_and_typed(patient_client, patient):
    usual = Medicine.objects.create(patient=patient, name="Sumatriptan 50 mg", medicine_class="triptan")
    patient_client.post(
        NEW,
        form_data(
            medicines=[f"usual:{usual.pk}"],
            other_medicine_name="Ibuprofen 400 mg",
            other_medicine_class="simple_analgesic",
        ),
    )
    saved = Attack.objects.get(patient=patient)
    assert [(m.medicine_class, m.name) for m in saved.medicines.all()] == [
        ("triptan", "Sumatriptan 50 mg"),
        ("simple_analgesic", "Ibuprofen 400 mg"),
    ]


def test_a_typed_medicine_needs_its_class(patient_client):
    response = patient_client.post(NEW, form_data(other_medicine_name="Something"))
    assert response.context["form"].errors["other_medicine_class"]
    assert not Attack.objects.exists()


def test_another_patient_s_medicine_cannot_be_chosen(patient_client, other_patient):
    theirs = Medicine.objects.create(patient=other_patient, name="Theirs", medicine_class="opioid")
    response = patient_client.post(NEW, form_data(medicines=[f"usual:{theirs.pk}"]))
    assert response.context["form"].errors["medicines"]
    assert not Attack.objects.exists()


def test_logging_an_attack_removes_the_headache_free_mark_of_its_days(patient_client, patient):
    headache_free(patient, "2026-10-13", "2026-10-14")
    response = patient_client.post(
        NEW,
        form_data(
            when="other", start_date="2026-10-13", start_time="22:00", duration_choice="exact", duration_minutes="300"
        ),
    )
    assert response.status_code == 302
    assert not HeadacheFreeDay.objects.filter(patient=patient).exists()
    follow = patient_client.get(reverse("diary:home"))
    assert "It replaced 2 headache-free marks." in follow.text


def test_the_same_headache_twice_is_refused(patient_client, patient):
    patient_client.post(NEW, form_data(duration_choice="60"))
    response = patient_client.post(NEW, form_data(duration_choice="60"))
    assert "You have already logged this headache." in response.text
    assert Attack.objects.count() == 1


# --- edit, end, delete


def test_edit_works_for_its_patient(patient_client, patient):
    row = attack(patient, "2026-10-10", time="08:00", minutes=60, severity=1)
    url = reverse("diary:headache_edit", args=[row.pk])
    page = patient_client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["duration_minutes"] == 60
    response = patient_client.post(
        url,
        form_data(
            when="other",
            start_date="2026-10-10",
            start_time="08:00",
            duration_choice="exact",
            duration_minutes="90",
            severity="3",
        ),
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.duration_minutes, row.severity) == (90, 3)


def test_edit_keeps_medicines_not_on_the_usual_list(patient_client, patient):
    row = attack(patient, "2026-10-10", medicines=[("opioid", "Codeine")])
    url = reverse("diary:headache_edit", args=[row.pk])
    initial = patient_client.get(url).context["form"].initial
    patient_client.post(
        url,
        form_data(
            when="other",
            start_date="2026-10-10",
            start_time="09:00",
            duration_choice="exact",
            duration_minutes="120",
            medicines=initial["medicines"],
        ),
    )
    assert [(m.medicine_class, m.name) for m in row.medicines.all()] == [("opioid", "Codeine")]


@pytest.mark.parametrize("name", ["diary:headache_edit", "diary:headache_delete"])
def test_another_patient_s_headache_is_404(patient_client, other_patient, name):
    theirs = attack(other_patient, "2026-10-10")
    assert patient_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert patient_client.post(reverse(name, args=[theirs.pk]), form_data()).status_code == 404
    assert Attack.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("name", ["diary:headache_edit", "diary:headache_delete", "diary:headache_end"])
def test_headache_pages_require_login(client, patient, name):
    row = attack(patient, "2026-10-10")
    response = client.post(reverse(name, args=[row.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_delete_asks_first_then_deletes(patient_client, patient):
    row = attack(patient, "2026-10-10")
    url = reverse("diary:headache_delete", args=[row.pk])
    assert "Delete this headache?" in patient_client.get(url).text
    assert Attack.objects.filter(pk=row.pk).exists()
    patient_client.post(url)
    assert not Attack.objects.filter(pk=row.pk).exists()


def test_ending_a_headache_saves_its_real_duration(patient_client, patient):
    row = attack(patient, "2026-10-15", time="10:30", minutes=None)
    patient_client.post(reverse("diary:headache_end", args=[row.pk]))
    row.refresh_from_db()
    assert row.duration_minutes == 150  # 10:30 to 13:00


def test_ending_another_patient_s_headache_is_404(patient_client, other_patient):
    theirs = attack(other_patient, "2026-10-15", time="10:30", minutes=None)
    assert patient_client.post(reverse("diary:headache_end", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.duration_minutes is None


def test_a_day_from_the_calendar_prefills_the_date(patient_client):
    response = patient_client.get(NEW + "?date=2026-10-11")
    assert response.context["form"].initial["when"] == "other"
    assert response.context["form"].fields["start_date"].initial == dt.date(2026, 10, 11)
