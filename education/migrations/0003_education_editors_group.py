"""The group "Education editors": its members edit the guide in admin, and nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Education editors"
CODENAMES = [
    f"{action}_{model}" for model in ("section", "historicalsection") for action in ("add", "change", "delete", "view")
]


def make_group(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the group can hold them.
    education = apps.get_app_config("education")
    education.models_module = True
    create_permissions(education, apps=apps, verbosity=0)
    education.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(Permission.objects.filter(content_type__app_label="education", codename__in=CODENAMES))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0002_seed_guide"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_group, remove_group)]
