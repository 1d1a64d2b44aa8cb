"""PatientProfile, DisplayPreference and UserSession now belong to accounts (accounts 0001):
the diary stops owning them without touching their tables. A summary records when it was made."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0010_email_confirmation"),
        ("accounts", "0001_moved_from_diary"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DisplayPreference"),
                migrations.DeleteModel(name="PatientProfile"),
                migrations.DeleteModel(name="UserSession"),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="patientsummary",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
    ]
