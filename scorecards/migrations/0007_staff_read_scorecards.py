from django.contrib.auth.management import create_permissions
from django.db import migrations

from scorecards.staff_groups import STAFF_GROUP_PERMISSIONS


def grant(apps, schema_editor):
    # Permissions are normally created after migrations; the groups need them now.
    scorecards = apps.get_app_config("scorecards")
    scorecards.models_module = True
    create_permissions(scorecards, verbosity=0, apps=apps)
    scorecards.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in STAFF_GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in STAFF_GROUP_PERMISSIONS.items():
        for group in Group.objects.filter(name=name):
            for app_label, codename in codenames:
                group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0006_scoring_method_v2"),
        ("commitments", "0004_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
