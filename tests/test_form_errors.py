"""Errors where the person is looking (issue #12 item 3), on every form but the headache form.

A refused form starts with an error summary (GOV.UK's pattern) that is focused on load and links
to each field at fault; each field at fault has aria-invalid and is described by its message;
everything typed is still there; nothing is saved; and every message is in our own words, never
Django's defaults nor a database constraint's name.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import forms as account_forms
from accounts.models import PatientProfile
from accounts.views import DeleteAccountForm
from clinic.models import Share
from core import forms as core_forms
from diary import forms as diary_forms
from diary.csvio import HEADER
from diary.models import Medicine, MidasAnswer, SideEffectReport, TreatmentSession
from tests.conftest import PASSWORD, TODAY
from tests.diary import factories

# What Django says when a form leaves it to Django, and what a model constraint says unnamed.
DJANGO_DEFAULTS = re.compile(
    r"This field is required|Ensure this value|Ensure that there are|Select a valid choice|Enter a whole number"
    r"|Enter a valid|Enter a number|Constraint|is violated|with this .* already exists|didn.t match"
    r"|Please enter a correct|entered incorrectly|This account is inactive|session_\w+|_at_most_\d+",
    re.IGNORECASE,
)


class Page(HTMLParser):
    """The parts of a refused page these tests read: the summary's links and text, and every element by id."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.by_id = {}
        self.inputs = []
        self.fieldsets = []
        self.summary = None  # the summary element's attributes
        self.summary_links = []  # (href, text)
        self.summary_text = []
        self.messages = {}  # id of a field's message element -> its text
        self._stack = []
        self._link = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        attrs["_tag"] = tag
        if "id" in attrs:
            self.by_id[attrs["id"]] = attrs
        if tag in ("input", "select", "textarea"):
            self.inputs.append(attrs)
        if tag == "fieldset":
            self.fieldsets.append(attrs)
        if "data-error-summary" in attrs:
            self.summary = attrs
        if tag in ("input", "br", "img", "meta", "link"):
            return
        self._stack.append((tag, attrs))
        if tag == "a" and self.in_summary:
            self._link = [attrs.get("href"), ""]

    def handle_endtag(self, tag):
        if tag in ("input", "br", "img", "meta", "link"):
            return
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag == "a" and self._link is not None:
            self.summary_links.append((self._link[0], self._link[1].strip()))
            self._link = None

    def handle_data(self, data):
        if self.in_summary:
            self.summary_text.append(data)
            if self._link is not None:
                self._link[1] += data
        for _, attrs in self._stack:
            if attrs.get("id", "").endswith("_error"):
                self.messages[attrs["id"]] = self.messages.get(attrs["id"], "") + data

    @property
    def in_summary(self):
        return any("data-error-summary" in attrs for _, attrs in self._stack)

    def value(self, name):
        for attrs in self.inputs:
            if attrs.get("name") == name:
                if attrs.get("type") == "radio":
                    if "checked" in attrs:
                        return attrs["value"]
                    continue
                return attrs.get("value")
        return None


def refused(response, status=200):
    """The page of a refused form, checked for what every refused form must show."""
    assert response.status_code == status
    page = Page(response.content.decode())
    assert page.summary is not None, "no error summary"
    assert page.summary.get("tabindex") == "-1" and "autofocus" in page.summary, "the summary is not focused"
    assert page.summary.get("role") == "alert"
    text = " ".join(" ".join(page.summary_text).split())
    assert not DJANGO_DEFAULTS.search(text), f"a default or constraint message: {text}"
    for message in page.messages.values():
        assert not DJANGO_DEFAULTS.search(message), f"a default or constraint message: {message}"
    assert "<title>Error: " in response.content.decode(), "the page title does not start with Error:"
    return page


def assert_at_fault(page, *element_ids):
    """Each element is linked from the summary, marked invalid and described by its own message."""
    hrefs = [href for href, _ in page.summary_links]
    for element_id in element_ids:
        assert f"#{element_id}" in hrefs, f"the summary has no link to #{element_id}: {hrefs}"
        element = page.by_id.get(element_id)
        assert element is not None, f"the link #{element_id} points at nothing"
        assert element["_tag"] in ("input", "select", "textarea"), f"#{element_id} cannot take the focus"
        assert element.get("aria-invalid") == "true", f"#{element_id} is not marked aria-invalid"
        field_id = re.sub(r"_0$", "", element_id) if element.get("type") in ("radio", "checkbox") else element_id
        if element.get("type") in ("radio", "checkbox"):
            # A group is described by its message on its fieldset, where a screen reader reads the question.
            described = " ".join(fieldset.get("aria-describedby", "") for fieldset in page.fieldsets)
        else:
            described = element.get("aria-describedby", "")
        assert f"{field_id}_error" in described.split(), f"#{element_id} is not described by its message"
        assert page.messages.get(f"{field_id}_error", "").strip(), f"#{field_id}_error holds no message"
    for href, _ in page.summary_links:
        assert page.by_id.get(href.lstrip("#")), f"the summary links to {href}, which is not on the page"


def summary_says(page, *phrases):
    text = " ".join(" ".join(page.summary_text).split())
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in the summary: {text}"


# ---------------------------------------------------------------- the patient's diary forms


def test_a_refused_treatment_session_is_summarised_kept_and_not_saved(patient_client, patient):
    data = {"date": "", "units": "300", "sites": "many", "given_by": "Nurse Kept", "notes": "Kept note"}
    page = refused(patient_client.post(reverse("diary:session_new"), data))
    assert_at_fault(page, "id_date", "id_units", "id_sites")
    summary_says(page, "Give the date of the session.", "Units can be at most 195", "as a whole number")
    assert (page.value("units"), page.value("sites"), page.value("given_by")) == ("300", "many", "Nurse Kept")
    assert "Kept note" in patient_client.post(reverse("diary:session_new"), data).text
    assert TreatmentSession.objects.count() == 0


def test_a_changed_session_out_of_range_keeps_the_saved_one(patient_client, patient):
    saved = factories.session(patient, "2026-10-01")
    page = refused(
        patient_client.post(
            reverse("diary:session_edit", args=[saved.pk]), {"date": "2026-10-01", "units": "0", "sites": "40"}
        )
    )
    assert_at_fault(page, "id_units", "id_sites")
    summary_says(page, "Units must be at least 1.", "Injection sites can be at most 39")
    saved.refresh_from_db()
    assert (saved.units, saved.sites) == (155, 31)


def test_a_refused_side_effect_links_to_the_first_choice_and_keeps_the_others(patient_client, patient):
    session = factories.session(patient, "2026-10-01")
    data = {"severity": "2", "started_on": "2026-10-20", "notes": "Kept note"}
    response = patient_client.post(reverse("diary:session_side_effects", args=[session.pk]), data)
    page = refused(response)
    assert_at_fault(page, "id_effect_0", "id_started_on")
    summary_says(page, "Choose what you noticed", "A side effect cannot be after today.")
    assert page.value("severity") == "2"
    assert page.value("started_on") == "2026-10-20"
    assert "Kept note" in response.text
    assert all(attrs.get("aria-invalid") == "true" for attrs in page.inputs if attrs.get("name") == "effect")
    assert SideEffectReport.objects.count() == 0


def test_the_side_effect_choices_are_the_large_toggle_buttons_of_logging(patient_client, patient):
    session = factories.session(patient, "2026-10-01")
    page = Page(patient_client.get(reverse("diary:session_side_effects", args=[session.pk])).text)
    radios = [attrs for attrs in page.inputs if attrs.get("type") == "radio"]
    assert radios and all("btn-check" in attrs.get("class", "") for attrs in radios)
    assert page.summary is None  # nothing refused yet


def test_a_refused_midas_names_each_question_in_a_few_words(patient_client, patient):
    data = {name: "1" for name in diary_forms.MIDAS_QUESTIONS}
    data.update({"missed_work": "100", "reduced_work": "some", "headache_days": "", "average_pain": "11"})
    page = refused(patient_client.post(reverse("diary:midas"), data))
    assert_at_fault(page, "id_missed_work", "id_reduced_work", "id_headache_days", "id_average_pain")
    summary_says(
        page,
        "Give the days you missed work or school as at most 92",
        "Give the days your work or school was halved as a whole number",
        "Give the days you had a headache: 0 if none.",
        "Give your average pain from 0 to 10",
    )
    assert (page.value("missed_work"), page.value("reduced_work"), page.value("missed_social")) == ("100", "some", "1")
    assert MidasAnswer.objects.count() == 0


def test_an_import_without_a_file_links_to_the_file_field(patient_client, patient):
    page = refused(patient_client.post(reverse("diary:import"), {}))
    assert_at_fault(page, "id_file")
    summary_says(page, "Choose a CSV file to import.")
    assert "column file" not in " ".join(page.summary_text)


def test_an_import_with_a_wrong_row_lists_it_in_the_summary(patient_client, patient):
    text = ",".join(HEADER) + "\nheadache,2026-10-02,08:30,90,terrible,1,0,0,1,0,0,0,0,,,,\n"
    upload = SimpleUploadedFile("diary.csv", text.encode(), content_type="text/csv")
    page = refused(patient_client.post(reverse("diary:import"), {"file": upload}))
    assert_at_fault(page, "id_file")
    summary_says(page, "Nothing was imported", "line 2, column severity: Must be mild, moderate or severe.")
    assert TreatmentSession.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "Give your clinician's share code"), ("ZZZ-ZZZ-ZZZ", "No clinician has this share code")],
)
def test_a_refused_share_code_is_summarised_and_kept(patient_client, patient, code, message):
    page = refused(patient_client.post(reverse("sharing:page"), {"code": code}))
    assert_at_fault(page, "id_code")
    summary_says(page, message)
    assert page.value("code") == (code or None)
    assert Share.objects.count() == 0


# ---------------------------------------------------------------- profile and account


def test_a_refused_profile_is_summarised_and_not_saved(patient_client, patient):
    data = {"email": "not-an-email", "time_zone": "Mars/Olympus_Mons", "reported_baseline": "31.5"}
    page = refused(patient_client.post(reverse("profile"), data))
    assert_at_fault(page, "id_email", "id_time_zone", "id_reported_baseline")
    summary_says(page, "Give an email address such as name@example.com.", "Choose a time zone from the list")
    assert (page.value("email"), page.value("reported_baseline")) == ("not-an-email", "31.5")
    profile = PatientProfile.objects.get(user=patient)
    assert (profile.time_zone, profile.reported_baseline) == ("Europe/London", None)
    patient.refresh_from_db()
    assert patient.email == "alice@example.com"


def test_a_refused_usual_medicine_is_summarised_at_its_own_form(patient_client, patient):
    response = patient_client.post(reverse("medicine_add"), {"name": "", "medicine_class": "sweets"})
    page = refused(response, status=400)
    assert_at_fault(page, "id_name", "id_medicine_class")
    summary_says(page, "Give the medicine's name", "Choose one of the types listed.")
    assert page.by_id["id_email"].get("aria-invalid") is None  # the profile form above is not at fault
    assert Medicine.objects.count() == 0


def test_a_refused_sign_up_is_summarised_and_keeps_the_email(client, db):
    users = get_user_model().objects.count()
    data = {"email": "new@example", "password1": "", "password2": "", "time_zone": ""}
    page = refused(client.post(reverse("signup"), data))
    assert_at_fault(page, "id_email", "id_password1", "id_password2", "id_time_zone")
    summary_says(page, "Give an email address", "Choose a password.", "Choose your time zone.")
    assert page.value("email") == "new@example"
    assert get_user_model().objects.count() == users


def test_a_sign_up_with_two_different_passwords_says_so_plainly(client, db):
    data = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD + "x", "time_zone": "UTC"}
    page = refused(client.post(reverse("signup"), data))
    assert_at_fault(page, "id_password2")
    summary_says(page, "The two passwords are not the same")
    assert not get_user_model().objects.filter(email="new@example.com").exists()


def test_a_refused_sign_in_links_to_the_email_and_keeps_it(client, patient):
    page = refused(client.post(reverse("login"), {"username": "alice@example.com", "password": "wrong"}))
    summary_says(page, "That email address and password do not match an account.")
    assert page.summary_links[0][0] == "#id_username"
    assert page.value("username") == "alice@example.com"
    assert "_auth_user_id" not in client.session


def test_an_empty_sign_in_names_both_fields(client, db):
    page = refused(client.post(reverse("login"), {"username": "", "password": ""}))
    assert_at_fault(page, "id_username", "id_password")
    summary_says(page, "Give your email address.", "Give your password.")


def test_a_refused_password_change_is_summarised_and_changes_nothing(client, patient):
    client.force_login(patient)
    data = {"old_password": "wrong", "new_password1": "a-new-long-passphrase-9", "new_password2": "different-one-9"}
    page = refused(client.post(reverse("password_change"), data))
    assert_at_fault(page, "id_old_password", "id_new_password2")
    summary_says(page, "That is not your current password.", "The two passwords are not the same")
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_a_refused_password_reset_request_sends_nothing(client, patient):
    page = refused(client.post(reverse("password_reset"), {"email": "alice-at-example"}))
    assert_at_fault(page, "id_email")
    assert page.value("email") == "alice-at-example"
    assert mail.outbox == []


def test_a_refused_new_password_keeps_the_old_one(client, patient):
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    page = refused(client.post(form_page.redirect_chain[-1][0], {"new_password1": "", "new_password2": ""}))
    assert_at_fault(page, "id_new_password1", "id_new_password2")
    summary_says(page, "Choose a new password.", "Type the new password again.")
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


@pytest.mark.parametrize(("password", "message"), [("", "Give your password"), ("wrong", "That is not your password")])
def test_a_refused_account_deletion_deletes_nothing(patient_client, patient, password, message):
    page = refused(patient_client.post(reverse("delete_account"), {"password": password}))
    assert_at_fault(page, "id_password")
    summary_says(page, message)
    assert get_user_model().objects.filter(pk=patient.pk).exists()


def test_a_refused_two_factor_code_is_summarised(client, clinician):
    TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    client.force_login(clinician)
    page = refused(client.post(reverse("two_factor"), {"token": "", "next": "/clinic/"}))
    assert_at_fault(page, "id_token")
    summary_says(page, "Give the 6-digit code your authenticator app shows now.")
    page = refused(client.post(reverse("two_factor"), {"token": "000000", "next": "/clinic/"}))
    assert_at_fault(page, "id_token")
    summary_says(page, "That code did not work.")


def test_a_refused_two_factor_set_up_code_is_summarised(client, clinician):
    from accounts import two_factor

    client.force_login(clinician)
    session = client.session
    session[two_factor.ENROLMENT_SESSION_KEY] = clinician.pk  # as the emailed set-up link does
    session.save()
    page = refused(client.post(reverse("two_factor_setup"), {"token": ""}))
    assert_at_fault(page, "id_token")
    assert not TOTPDevice.objects.filter(user=clinician, confirmed=True).exists()


# ---------------------------------------------------------------- the clinic's forms


def test_too_many_follow_the_pain_units_is_said_in_words_at_the_first_muscle(client, clinician, patient, frozen):
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    data = {
        "date": "2026-10-14",
        "units": "195",
        "sites": "39",
        "temporalis_extra_units": "",
        "occipitalis_extra_units": "25",
        "trapezius_extra_units": "20",
    }
    response = client.post(reverse("clinic:session_new", args=[patient.pk]), data)
    page = refused(response)
    assert_at_fault(page, "id_occipitalis_extra_units")
    summary_says(page, "Follow-the-pain adds at most 40 units in all; these add 45.")
    assert "Constraint" not in response.text and "session_follow_the_pain" not in response.text
    assert " ".join(page.summary_text).count("Follow-the-pain adds") == 1
    assert (page.value("occipitalis_extra_units"), page.value("trapezius_extra_units")) == ("25", "20")
    assert TreatmentSession.objects.count() == 0


def test_the_clinic_session_form_speaks_to_the_clinician(client, clinician, patient, frozen):
    Share.objects.create(patient=patient, clinician=clinician)
    factories.session(patient, "2026-10-14")
    client.force_login(clinician)
    data = {"date": "2026-10-14", "units": "", "sites": "31", "temporalis_extra_units": "41"}
    page = refused(client.post(reverse("clinic:session_new", args=[patient.pk]), data))
    assert_at_fault(page, "id_date", "id_units", "id_temporalis_extra_units")
    summary_says(
        page, "This patient already has a treatment session on this date.", "Give the total units", "these add 41"
    )
    assert TreatmentSession.objects.count() == 1


def test_a_refused_reported_baseline_is_summarised(client, clinician, patient, frozen):
    Share.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    page = refused(client.post(reverse("clinic:baseline", args=[patient.pk]), {"reported_baseline": "40"}))
    assert_at_fault(page, "id_reported_baseline")
    summary_says(page, "Headache days per month can be at most 31.")
    assert page.value("reported_baseline") == "40"
    assert PatientProfile.objects.get(user=patient).reported_baseline is None


# ---------------------------------------------------------------- every message, not only those tried


def _django_default_messages():
    """Every message Django's form fields, validators and auth forms have of their own."""
    import inspect

    from django import forms
    from django.contrib.auth import forms as auth_forms
    from django.core import validators

    defaults = set()
    for _, klass in inspect.getmembers(forms, inspect.isclass):
        for message in klass.__dict__.get("default_error_messages", {}).values():
            defaults.add(str(message))
    for _, klass in inspect.getmembers(validators, inspect.isclass):
        message = klass.__dict__.get("message")
        if isinstance(message, str) or hasattr(message, "_proxy____args"):
            defaults.add(str(message))
        messages = klass.__dict__.get("messages")
        if isinstance(messages, dict):  # DecimalValidator's, one per code
            defaults |= {str(message) for message in messages.values()}
    for _, klass in inspect.getmembers(auth_forms, inspect.isclass):
        messages = klass.__dict__.get("error_messages")
        if isinstance(messages, dict):
            defaults |= {str(message) for message in messages.values()}
    return defaults


def _forms(patient, session):
    profile = PatientProfile.objects.get_or_create(user=patient)[0]
    return [
        diary_forms.TreatmentSessionForm({}, patient=patient, today=TODAY),
        diary_forms.ClinicSessionForm({}, patient=patient, today=TODAY),
        diary_forms.SideEffectReportForm({}, session=session, today=TODAY),
        diary_forms.MidasForm({}, today=TODAY),
        diary_forms.MedicineForm({}, patient=patient),
        account_forms.ReportedBaselineForm({}, instance=profile),
        account_forms.SignupForm({}),
        account_forms.EmailAuthenticationForm(None, {}),
        account_forms.ChangePasswordForm(patient, {}),
        account_forms.NewPasswordForm(patient, {}),
        account_forms.ResetPasswordForm({}),
        DeleteAccountForm({}, user=patient),
        _plain(account_forms.ProfileForm({}, instance=profile, user=patient)),
        _sharing_form(),
        _token_form(),
        _note_form(),
    ]


def _plain(form):
    core_forms.plain_error_messages(form)  # as the profile view does
    return form


def _sharing_form():
    from clinic.sharing_views import ShareCodeForm

    return ShareCodeForm({})


def _note_form():
    from clinic.views import NoteForm

    return NoteForm({})


def _token_form():
    from accounts.two_factor import TokenForm

    return TokenForm({})


def test_no_field_of_these_forms_can_say_a_django_default(patient):
    defaults = _django_default_messages()
    session = factories.session(patient, "2026-10-01")
    for form in _forms(patient, session):
        form.errors  # noqa: B018 (the checking applies the plain messages)
        codes_by_field = {
            name: set(field.error_messages) | core_forms._validator_codes(field.validators)
            for name, field in form.fields.items()
        }
        for name, codes in codes_by_field.items():
            field = form.fields[name]
            for code in codes:
                message = field.error_messages.get(code)
                assert message is not None, f"{type(form).__name__}.{name} has no message of ours for {code}"
                assert str(message) not in defaults, f"{type(form).__name__}.{name} says Django's {code}: {message}"
        for code, message in getattr(form, "error_messages", {}).items():
            assert str(message) not in defaults, f"{type(form).__name__} says Django's {code}: {message}"


def test_every_model_constraint_has_a_message_in_words(db):
    from django.apps import apps

    for model in apps.get_app_config("diary").get_models():
        for constraint in model._meta.constraints:
            message = str(constraint.violation_error_message)
            assert "%(name)s" not in message and "Constraint" not in message, f"{constraint.name}: {message}"


def test_a_form_not_yet_sent_has_no_summary(client, db):
    assert Page(client.get(reverse("login")).text).summary is None
