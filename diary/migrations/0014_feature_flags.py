"""Every profile's has_period_days, has_checkins and has_preventives from its diary's rows: one
UPDATE for all profiles (accounts 0006 added the columns as True)."""

from django.db import migrations
from django.db.models import Exists, OuterRef

# The flag and the model of its rows (as diary.services.FEATURE_FLAGS, in the historical models).
FLAGS = {"has_period_days": "MenstruationDay", "has_checkins": "FactorCheckIn", "has_preventives": "PreventiveCourse"}


def set_flags(apps, schema_editor):
    PatientProfile = apps.get_model("accounts", "PatientProfile")
    PatientProfile.objects.update(
        **{
            flag: Exists(apps.get_model("diary", model).objects.filter(patient_id=OuterRef("user_id")))
            for flag, model in FLAGS.items()
        }
    )


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0013_tracking_and_preventives"),
        ("accounts", "0006_feature_flags"),
    ]

    operations = [
        migrations.RunPython(set_flags, migrations.RunPython.noop),
    ]
