"""Sharing by consent, clinicians' notes, the access log and reminders already sent."""

import secrets

from django.conf import settings
from django.db import models

SHARE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
SHARE_CODE_LENGTH = 9


def new_share_code():
    return "".join(secrets.choice(SHARE_CODE_ALPHABET) for _ in range(SHARE_CODE_LENGTH))


def normalise_share_code(text):
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def format_share_code(code):
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


class ClinicianProfile(models.Model):
    """A clinician's share code, which patients enter to share their diary with them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_profile")
    share_code = models.CharField(max_length=SHARE_CODE_LENGTH, unique=True, default=new_share_code)

    def __str__(self):
        return f"Clinician profile {self.pk}"

    @property
    def display_code(self):
        return format_share_code(self.share_code)


class Share(models.Model):
    """A patient shares their diary with a clinician until they stop (the row is then deleted)."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares_given")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares_received")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["patient", "clinician"], name="share_unique_pair")]

    def __str__(self):
        return f"Share {self.pk}"


class ClinicianNote(models.Model):
    """A short dated note on a patient, seen by the clinicians the patient shares with."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=150, blank=True)  # kept if the author's account goes
    text = models.TextField(max_length=1000)
    visible_to_patient = models.BooleanField(
        "the patient may see this note", default=False, help_text="Shown on the patient's sharing page."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Note {self.pk}"


class AccessLogEntry(models.Model):
    """A clinician opened a patient's data: who, which patient, what, when."""

    class What(models.TextChoices):
        PAGE = "page", "Diary and progress page"
        JSON = "json", "Progress numbers (JSON)"
        REPORT = "report", "Printable report"
        EXPORT = "export", "Diary download (CSV)"

    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    clinician_name = models.CharField(max_length=150)
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log")
    what = models.CharField(max_length=10, choices=What.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"Access {self.pk}"


class ReminderSent(models.Model):
    """One reminder email sent, so that send_reminders run twice in a day sends each once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=40)  # the date or session the reminder is about
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "key"], name="reminder_sent_once")]

    def __str__(self):
        return f"Reminder {self.pk}"
