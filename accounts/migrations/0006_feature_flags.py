from django.db import migrations, models


class Migration(migrations.Migration):
    """PatientProfile's has_period_days, has_checkins and has_preventives: True for every existing
    profile here ("may have some"); diary 0014 then sets them from the rows."""

    dependencies = [
        ("accounts", "0005_clinicversion"),
    ]

    operations = [
        migrations.AddField(
            model_name="patientprofile",
            name="has_checkins",
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.AddField(
            model_name="patientprofile",
            name="has_period_days",
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.AddField(
            model_name="patientprofile",
            name="has_preventives",
            field=models.BooleanField(default=True, editable=False),
        ),
    ]
