"""The moved tables get accounts' names; roles become a column (Account.role) read with the user.

Each user in the Clinicians or Education editors group gets an Account row with that role, and
every other user one with the patient role. The groups stay: they carry the admin permissions.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["displaypreference", "usersession", "patientprofile"]
GROUP_ROLES = {"Clinicians": "clinician", "Education editors": "editor"}


def move_content_types(apps, schema_editor):
    """Permissions and admin history of the moved models keep pointing at them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="accounts", model__in=MOVED).delete()  # made by a fresh run
    ContentType.objects.filter(app_label="diary", model__in=MOVED).update(app_label="accounts")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="accounts", model__in=MOVED).update(app_label="diary")


def roles_from_groups(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Account = apps.get_model("accounts", "Account")
    role_of = {}
    for user_id, group in User.groups.through.objects.filter(group__name__in=GROUP_ROLES).values_list(
        "user_id", "group__name"
    ):
        # In both groups: the old code sent such a user to the worklist first, so clinician wins.
        if role_of.get(user_id) != "clinician":
            role_of[user_id] = GROUP_ROLES[group]
    ids = User.objects.values_list("pk", flat=True).iterator(chunk_size=2000)
    batch = []
    for user_id in ids:
        batch.append(Account(user_id=user_id, role=role_of.get(user_id, "patient")))
        if len(batch) == 2000:
            Account.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Account.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_moved_from_diary"),
        ("diary", "0011_moved_to_accounts"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="displaypreference", table=None),
        migrations.AlterModelTable(name="usersession", table=None),
        migrations.AlterModelTable(name="patientprofile", table=None),
        migrations.RunPython(move_content_types, content_types_back),
        migrations.CreateModel(
            name="Account",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="account",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("patient", "Patient"), ("clinician", "Clinician"), ("editor", "Education editor")],
                        default="patient",
                        max_length=10,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("role__in", ["patient", "clinician", "editor"])),
                        name="account_role_known",
                        violation_error_message="Choose patient, clinician or education editor.",
                    )
                ],
            },
        ),
        migrations.RunPython(roles_from_groups, migrations.RunPython.noop),
    ]
