from django.contrib.auth.management import create_permissions
from django.db import migrations

from commitments.staff_groups import STAFF_GROUPS, sync_staff_groups


def grant(apps, schema_editor):
    # Permissions are normally created after migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    sync_staff_groups(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def revoke(apps, schema_editor):
    sync_staff_groups(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
        groups=STAFF_GROUPS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_institutions_recommendations_assessments"),
        ("commitments", "0004_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
