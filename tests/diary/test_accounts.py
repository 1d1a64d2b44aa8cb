import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import PatientProfile
from diary.models import Medicine
from tests.conftest import PASSWORD

SIGNUP = reverse("signup")
PROFILE = reverse("profile")


@pytest.mark.django_db
def test_signup_makes_an_unconfirmed_patient_with_their_time_zone(client, mailoutbox):
    response = client.post(
        SIGNUP,
        {
            "email": "New.Person@Example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": "America/New_York",
        },
    )
    assert response["Location"] == reverse("signup_sent")
    user = get_user_model().objects.get(username="new.person@example.com")
    assert user.email == "new.person@example.com"
    assert user.patient_profile.time_zone == "America/New_York"
    assert not user.patient_profile.email_confirmed
    assert client.get(reverse("diary:home"))["Location"].startswith(reverse("login"))  # not signed in yet
    assert [m.subject for m in mailoutbox] == ["Confirm your email address"]


@pytest.mark.django_db
def test_signup_refuses_a_weak_password_and_says_nothing_of_the_address(client, patient):
    response = client.post(
        SIGNUP, {"email": "ALICE@example.com", "password1": "x", "password2": "x", "time_zone": "UTC"}
    )
    form = response.context["form"]
    assert "email" not in form.errors
    assert form.errors["password2"]
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_signup_refuses_an_unknown_time_zone(client):
    response = client.post(
        SIGNUP, {"email": "a@b.example", "password1": PASSWORD, "password2": PASSWORD, "time_zone": "Mars/Base"}
    )
    assert response.context["form"].errors["time_zone"]
    assert not get_user_model().objects.exists()


def test_sign_in_with_email_in_any_case(client, patient):
    response = client.post(reverse("login"), {"username": " Alice@Example.COM ", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    assert client.get(reverse("start"))["Location"] == reverse("diary:home")


def test_the_sign_in_form_labels_the_username_as_email(client, db):
    assert "Email address" in client.get(reverse("login")).text


def test_a_clinician_signing_in_is_not_sent_to_a_diary(client, clinician):
    client.force_login(clinician)
    assert client.get(reverse("start"))["Location"] == reverse("clinic:worklist")


def test_an_editor_signing_in_goes_to_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("start"))["Location"] == reverse("admin:index")


def test_password_reset_sends_an_email_without_health_data(client, patient):
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert "headache" not in mail.outbox[0].body.lower()


def test_a_reset_link_sets_a_new_password_once_then_says_it_has_expired(client, patient):
    import re

    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Ask for a new one" not in form_page.text
    new = {"new_password1": "a-new-long-passphrase-9", "new_password2": "a-new-long-passphrase-9"}
    assert client.post(form_page.redirect_chain[-1][0], new).status_code == 302
    signed_in = client.post(reverse("login"), {"username": "alice@example.com", "password": "a-new-long-passphrase-9"})
    assert signed_in.status_code == 302
    client.post(reverse("logout"))
    assert "This link has expired or was already used." in client.get(link, follow=True).text


def test_password_change(client, patient):
    client.force_login(patient)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase-42",
            "new_password2": "another-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.check_password("another-long-passphrase-42")


# --- profile


def test_profile_requires_login(client, db):
    assert client.get(PROFILE).status_code == 302


def test_profile_saves_time_zone_and_reported_baseline(client, patient):
    client.force_login(patient)
    response = client.post(
        PROFILE,
        {
            "email": "alice@example.com",
            "time_zone": "Pacific/Auckland",
            "reported_baseline": "18.5",
            "email_reminders": "on",
        },
    )
    assert response.status_code == 302
    profile = PatientProfile.objects.get(user=patient)
    assert (profile.time_zone, str(profile.reported_baseline), profile.email_reminders) == (
        "Pacific/Auckland",
        "18.5",
        True,
    )


@pytest.mark.parametrize(
    ("value", "message"), [("31.5", "can be at most 31"), ("-1", "must be at least 0"), ("12.25", "one decimal")]
)
def test_profile_refuses_a_reported_baseline_out_of_range(client, patient, value, message):
    client.force_login(patient)
    response = client.post(
        PROFILE, {"email": "alice@example.com", "time_zone": "Europe/London", "reported_baseline": value}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["reported_baseline"])
    assert message in errors
    assert PatientProfile.objects.get(user=patient).reported_baseline is None


def test_a_clinician_s_profile_has_no_diary_fields(client, clinician):
    client.force_login(clinician)
    response = client.get(PROFILE)
    assert response.status_code == 200
    assert "reported_baseline" not in response.text
    assert not PatientProfile.objects.filter(user=clinician).exists()


def test_adding_and_removing_usual_medicines(client, patient):
    client.force_login(patient)
    client.post(reverse("medicine_add"), {"name": "Rizatriptan 10 mg", "medicine_class": "triptan"})
    medicine = Medicine.objects.get(patient=patient)
    response = client.post(reverse("medicine_add"), {"name": "rizatriptan 10 mg", "medicine_class": "triptan"})
    assert response.status_code == 400
    assert "already on your list" in response.text
    client.post(reverse("medicine_delete", args=[medicine.pk]))
    assert not Medicine.objects.exists()


def test_removing_another_patient_s_medicine_is_404(client, patient, other_patient):
    theirs = Medicine.objects.create(patient=other_patient, name="Theirs", medicine_class="other")
    client.force_login(patient)
    assert client.post(reverse("medicine_delete", args=[theirs.pk])).status_code == 404
    assert Medicine.objects.filter(pk=theirs.pk).exists()


# --- add_user


class FakeStdin(io.StringIO):
    def isatty(self):
        return False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "group", "is_staff"),
    [("patient", None, False), ("clinician", "Clinicians", False), ("editor", "Education editors", True)],
)
def test_add_user_reads_the_password_from_stdin(role, group, is_staff):
    out = io.StringIO()
    call_command(
        "add_user",
        "Someone@Example.com",
        "--role",
        role,
        "--time-zone",
        "Asia/Tokyo",
        stdin=FakeStdin(PASSWORD + "\n"),
        stdout=out,
    )
    user = get_user_model().objects.get(username="someone@example.com")
    assert user.check_password(PASSWORD)
    assert user.is_staff is is_staff
    assert list(user.groups.values_list("name", flat=True)) == ([group] if group else [])
    if role == "patient":
        assert user.patient_profile.time_zone == "Asia/Tokyo"
    assert "someone@example.com" not in out.getvalue()  # no personal data in output or logs


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["not-an-email"], PASSWORD, "not a valid email"),
        (["x@example.com", "--time-zone", "Mars/Base"], PASSWORD, "Unknown time zone"),
        (["x@example.com"], "short", "Password refused"),
        (["x@example.com"], "", "No password given"),
    ],
)
def test_add_user_refuses_bad_input_and_creates_nothing(args, stdin, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_user", *args, stdin=FakeStdin(stdin + "\n"), stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def test_add_user_refuses_an_existing_email(patient):
    with pytest.raises(CommandError, match="already exists"):
        call_command("add_user", "alice@example.com", stdin=FakeStdin(PASSWORD), stdout=io.StringIO())


def test_a_user_made_by_createsuperuser_gets_a_diary_on_first_use(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("diary:home")).status_code == 200
    assert PatientProfile.objects.filter(user=superuser).exists()
