"""Who a user is to the app and how their account is set up.

Account: the user's role (patient, clinician or editor), read with the user on every request.
PatientProfile: a patient's own settings (time zone, reported baseline, reminders, phone) and the
version of their data, which every change raises (cached pages and figures are keyed by it).
DisplayPreference: the page colours an account chose. UserSession (accounts.sessions): a
signed-in browser. ClinicVersion: one counter, raised after any change a page over many patients
shows (the clinician's worklist keys its cache on it).

PatientProfile, DisplayPreference and UserSession were the diary's until the accounts app was
made (migrations accounts 0001 and diary 0011 move them without touching their rows).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.sessions import UserSession
from core import timeutil
from core.theme import Theme

__all__ = [
    "Account",
    "ClinicVersion",
    "DisplayPreference",
    "PatientProfile",
    "Role",
    "UserSession",
    "validate_time_zone",
]


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"
    EDITOR = "editor", "Education editor"


class Account(models.Model):
    """A user's role. A user without this row (made by createsuperuser or in admin) is a patient."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="account"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PATIENT)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="account_role_known",
                violation_error_message="Choose patient, clinician or education editor.",
            )
        ]

    def __str__(self):
        return f"Account {self.pk}"


def validate_time_zone(value):
    if not timeutil.is_valid_zone(value):
        raise ValidationError("Choose a time zone from the list, such as Europe/London.", code="invalid_time_zone")


class PatientProfile(models.Model):
    """Per-patient settings, made on first use for any user who is a patient."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_profile")
    time_zone = models.CharField(
        max_length=64,
        default="Europe/London",
        validators=[validate_time_zone],
        help_text="Your days are counted from midnight to midnight in this time zone.",
    )
    reported_baseline = models.DecimalField(
        "headache days per month before treatment",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(31)],
        help_text="From a referral letter or a paper diary, if your app diary does not cover the 4 weeks "
        "before your first session. 0 to 31, one decimal at most.",
    )
    email_reminders = models.BooleanField(
        default=False, help_text="Email me when I have not recorded yesterday, and when a session is due."
    )
    phone = models.CharField(
        "phone number (optional)",
        max_length=30,
        blank=True,
        help_text="Only your clinicians see it, so they can call you about an urgent side effect.",
    )
    # Periods (issue #16): None until the patient has answered once whether to track them.
    track_periods = models.BooleanField(
        "track my periods",
        null=True,
        blank=True,
        help_text="Mark period days in the diary, to see whether headaches come around your period.",
    )
    # False from sign-up until the emailed link is opened: such an account cannot sign in or share.
    # Accounts made by add_user, seed_demo or before this field existed count as confirmed.
    email_confirmed = models.BooleanField(default=True, editable=False)
    # A new address asked for in the profile, until its emailed link is opened.
    pending_email = models.EmailField(blank=True, editable=False)
    # Goes up by one whenever anything in the diary changes: cached pages carry it in their key.
    diary_version = models.PositiveIntegerField(default=0, editable=False)
    # Whether the diary holds any row of a feature many patients never use: period days, daily
    # check-ins, other preventive medicines. Set by every diary write (diary.services.diary_changed)
    # from the rows themselves; True ("may have some") until the first, so a profile made before
    # any write is read in full. The progress computation skips the query of a feature with none.
    has_period_days = models.BooleanField(default=True, editable=False)
    has_checkins = models.BooleanField(default=True, editable=False)
    has_preventives = models.BooleanField(default=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_baseline__isnull=True) | Q(reported_baseline__gte=0, reported_baseline__lte=31),
                name="profile_reported_baseline_0_to_31",
                violation_error_message="Headache days per month must be from 0 to 31.",
            )
        ]

    def __str__(self):
        return f"Profile {self.pk}"

    @property
    def tz(self):
        return timeutil.zone(self.time_zone)


class DisplayPreference(models.Model):
    """How pages look for one account (any role): read at sign-in and when changed, kept in the session."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="display_preference"
    )
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)

    def __str__(self):
        return f"Display preference {self.pk}"


class ClinicVersion(models.Model):
    """One row (ROW): a counter raised once any write that a list of many patients shows commits.

    A patient's diary or profile (accounts.profiles.raise_version), a summary made again, a share
    made or ended, an account deleted: each raises it (accounts.profiles.raise_clinic_version). The
    clinician's worklist is cached under it: one query on the primary key, whatever the number of
    patients, where the aggregate over a clinician's shares it replaces grew with them.
    """

    ROW = 1

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Clinic version {self.value}"
