"""The forms of accounts: sign-in, sign-up, passwords, and the patient's profile."""

import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError

from accounts.models import PatientProfile, validate_time_zone
from core.forms import PlainErrorsMixin

EMAIL_MESSAGES = {
    "required": "Give your email address.",
    "invalid": "Give an email address such as name@example.com.",
}
PASSWORD_MISMATCH = "The two passwords are not the same: type the same password in both."  # noqa: S105 - a message


COMMON_ZONES = [
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "UTC",
]


def time_zone_choices():
    others = sorted(zoneinfo.available_timezones() - set(COMMON_ZONES))
    return [("Common", [(name, name.replace("_", " ")) for name in COMMON_ZONES])] + [
        ("All time zones", [(name, name.replace("_", " ")) for name in others if "/" in name])
    ]


class TimeZoneField(forms.ChoiceField):
    default_error_messages = {
        "required": "Choose your time zone.",
        "invalid_choice": "Choose a time zone from the list, such as Europe/London.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", time_zone_choices)
        kwargs.setdefault("initial", "Europe/London")
        kwargs.setdefault(
            "help_text", "Your days are counted from midnight to midnight here. We guess it from your browser."
        )
        super().__init__(**kwargs)


class EmailAuthenticationForm(PlainErrorsMixin, AuthenticationForm):
    """Django's sign-in form (fields username and password), where the username is the email."""

    error_messages = {
        "invalid_login": "That email address and password do not match an account. Check both and try again.",
        "inactive": "This account is switched off. Ask your clinic to switch it on again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})
        self.fields["username"].error_messages.update(EMAIL_MESSAGES)
        self.fields["password"].error_messages["required"] = "Give your password."

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if PatientProfile.objects.filter(user=user, email_confirmed=False).exists():
            raise ValidationError(
                "Confirm your email address first: open the link we sent you when you made the account. "
                "For a new link, make the account again with the same address.",
                code="unconfirmed",
            )


class SignupForm(PlainErrorsMixin, UserCreationForm):
    email = forms.EmailField(
        label="Email address",
        help_text="You sign in with it. We never show it to anyone.",
        error_messages=EMAIL_MESSAGES,
    )
    time_zone = TimeZoneField(label="Your time zone")

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}

    class Meta:
        model = get_user_model()
        fields = ["email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.attrs["data-guess-time-zone"] = "1"
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "autofocus": True})
        self.fields["password1"].error_messages["required"] = "Choose a password."
        self.fields["password2"].error_messages["required"] = "Type the same password again."

    def clean_email(self):
        # No "already has an account" here: the view answers the same for a known address (issue #13).
        return get_user_model().objects.normalize_email(self.cleaned_data["email"]).lower()

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = self.cleaned_data["email"]
        user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


class NewPasswordForm(PlainErrorsMixin, SetPasswordForm):
    """Django's form for a new password (from a reset link), in our words."""

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Choose a new password."
        self.fields["new_password2"].error_messages["required"] = "Type the new password again."


class ChangePasswordForm(PlainErrorsMixin, PasswordChangeForm):
    """Django's form to change a password, in our words."""

    error_messages = {
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": "That is not your current password. Type it again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Give your current password."
        self.fields["new_password1"].error_messages["required"] = "Choose a new password."
        self.fields["new_password2"].error_messages["required"] = "Type the new password again."


class ResetPasswordForm(PlainErrorsMixin, PasswordResetForm):
    """Django's form to ask for a reset link, in our words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(EMAIL_MESSAGES)


def _clean_reported_baseline(form):
    value = form.cleaned_data.get("reported_baseline")
    if value is not None and value != value.quantize(type(value)("0.1")):
        raise ValidationError("Use at most one decimal, for example 18.5.", code="decimals")
    return value


REPORTED_BASELINE_MESSAGES = {
    "invalid": "Give the headache days per month as a number, such as 18.5.",
    "min_value": "Headache days per month cannot be below 0.",
    "max_value": "Headache days per month can be at most 31.",
    "max_digits": "Give headache days per month from 0 to 31, with at most one decimal, for example 18.5.",
    "max_whole_digits": "Headache days per month can be at most 31.",
    "max_decimal_places": "Use at most one decimal, for example 18.5.",
}


class ReportedBaselineForm(PlainErrorsMixin, forms.ModelForm):
    """A clinician sets the headache days per month before treatment, from a letter or paper diary."""

    class Meta:
        model = PatientProfile
        fields = ["reported_baseline"]
        widgets = {"reported_baseline": forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": 31})}
        error_messages = {"reported_baseline": REPORTED_BASELINE_MESSAGES}

    clean_reported_baseline = _clean_reported_baseline

    def save(self, commit=True):
        profile = super().save(commit=False)
        if commit:
            profile.save(update_fields=["reported_baseline"])  # never diary_version (see ProfileForm)
        return profile


class ProfileForm(forms.ModelForm):
    email = forms.EmailField(
        label="Email address",
        help_text="To change it, give your current password too: we send a link to the new address, "
        "and tell the old one.",
    )
    current_password = forms.CharField(
        label="Current password (only to change your email address)",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    time_zone = TimeZoneField(label="Your time zone", validators=[validate_time_zone])

    class Meta:
        model = PatientProfile
        fields = ["time_zone", "reported_baseline", "email_reminders", "phone"]
        widgets = {
            "reported_baseline": forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": 31}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        }
        error_messages = {"phone": {"max_length": "Give a phone number of at most 30 characters."}}

    # Digits, spaces and the usual marks: "07700 900123", "+44 (0)7700 900-123".
    PHONE_CHARACTERS = frozenset("0123456789 +()-.")

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = user.email
        self.order_fields(["email", "current_password", "phone", "time_zone", "reported_baseline", "email_reminders"])

    def clean_email(self):
        # Whether another account has the new address is told only to that address (issue #13).
        return get_user_model().objects.normalize_email(self.cleaned_data["email"]).lower()

    @property
    def email_changed(self):
        return self.cleaned_data.get("email") not in (None, self.user.email)

    def clean(self):
        cleaned = super().clean()
        if self.email_changed:
            password = cleaned.get("current_password") or ""
            if not password:
                self.add_error(
                    "current_password",
                    ValidationError("Give your current password to change your email address.", code="required"),
                )
            elif not self.user.check_password(password):
                self.add_error(
                    "current_password",
                    ValidationError("That is not your current password.", code="wrong_password"),
                )
        return cleaned

    clean_reported_baseline = _clean_reported_baseline

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if not phone:
            return ""
        digits = sum(c.isdigit() for c in phone)
        if not set(phone) <= self.PHONE_CHARACTERS or "+" in phone[1:]:
            raise ValidationError(
                "Give a phone number in digits, such as 07700 900123 or +44 7700 900123.", code="invalid_phone"
            )
        if not 7 <= digits <= 15:
            raise ValidationError(
                "A phone number has 7 to 15 digits, such as 07700 900123: check it and try again.",
                code="phone_digits",
            )
        return phone

    def save(self, commit=True):
        # Only the form's own fields: diary_version is raised by services.diary_changed alone,
        # and writing back the value read earlier could undo a raise made meanwhile.
        # The email address itself changes only when the link sent to the new one is opened.
        profile = super().save(commit=False)
        fields = list(self.Meta.fields)
        if self.email_changed:
            profile.pending_email = self.cleaned_data["email"]
            fields.append("pending_email")
        if commit:
            profile.save(update_fields=fields)
        return profile
