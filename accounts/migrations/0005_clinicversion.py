from django.db import migrations, models


def make_the_row(apps, schema_editor):
    apps.get_model("accounts", "ClinicVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_tracking_and_preventives"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClinicVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(make_the_row, migrations.RunPython.noop),
    ]
