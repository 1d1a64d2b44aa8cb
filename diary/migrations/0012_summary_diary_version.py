"""PatientSummary.diary_version: the version of the patient's data the summary was made from.

Summaries kept from before get None, which differs from every profile's version: they are shown
as "being updated" with their figures until the worklist (a few per view) or
`manage.py refresh_summaries` remakes them. No row is deleted.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0011_moved_to_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="patientsummary",
            name="diary_version",
            field=models.PositiveIntegerField(null=True),
        ),
    ]
