"""PatientProfile, DisplayPreference and UserSession move from the diary to accounts.

Their rows stay where they are: this migration only tells Django that accounts now owns the
tables (diary 0011 stops the diary owning them), then accounts 0002 renames them.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import accounts.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("diary", "0010_email_confirmation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DisplayPreference",
                    fields=[
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="display_preference",
                                serialize=False,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "theme",
                            models.CharField(
                                choices=[("system", "Same as my device"), ("light", "Light"), ("dark", "Dim (dark)")],
                                default="system",
                                max_length=10,
                            ),
                        ),
                    ],
                    options={"db_table": "diary_displaypreference"},
                ),
                migrations.CreateModel(
                    name="UserSession",
                    fields=[
                        (
                            "session_key",
                            models.CharField(
                                max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                            ),
                        ),
                        ("session_data", models.TextField(verbose_name="session data")),
                        ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "diary_usersession",
                        "verbose_name": "session",
                    },
                ),
                migrations.CreateModel(
                    name="PatientProfile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "time_zone",
                            models.CharField(
                                default="Europe/London",
                                help_text="Your days are counted from midnight to midnight in this time zone.",
                                max_length=64,
                                validators=[accounts.models.validate_time_zone],
                            ),
                        ),
                        (
                            "reported_baseline",
                            models.DecimalField(
                                blank=True,
                                decimal_places=1,
                                help_text="From a referral letter or a paper diary, if your app diary does not cover the 4 weeks before your first session. 0 to 31, one decimal at most.",
                                max_digits=3,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(0),
                                    django.core.validators.MaxValueValidator(31),
                                ],
                                verbose_name="headache days per month before treatment",
                            ),
                        ),
                        (
                            "email_reminders",
                            models.BooleanField(
                                default=False,
                                help_text="Email me when I have not recorded yesterday, and when a session is due.",
                            ),
                        ),
                        (
                            "phone",
                            models.CharField(
                                blank=True,
                                help_text="Only your clinicians see it, so they can call you about an urgent side effect.",
                                max_length=30,
                                verbose_name="phone number (optional)",
                            ),
                        ),
                        ("email_confirmed", models.BooleanField(default=True, editable=False)),
                        ("pending_email", models.EmailField(blank=True, editable=False, max_length=254)),
                        ("diary_version", models.PositiveIntegerField(default=0, editable=False)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="patient_profile",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "diary_patientprofile",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("reported_baseline__isnull", True),
                                    models.Q(("reported_baseline__gte", 0), ("reported_baseline__lte", 31)),
                                    _connector="OR",
                                ),
                                name="profile_reported_baseline_0_to_31",
                                violation_error_message="Headache days per month must be from 0 to 31.",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
