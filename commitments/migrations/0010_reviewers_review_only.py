from django.contrib.auth.management import create_permissions
from django.db import migrations

from commitments.staff_groups import sync_staff_groups


def resync_staff_groups(apps, schema_editor):
    # Reviewers no longer enter or submit reports (commitments/staff_groups.py): re-sync the groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    sync_staff_groups(
        group_model=apps.get_model("auth", "Group"), permission_model=apps.get_model("auth", "Permission")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0009_commitment_natural_sort"),
    ]

    operations = [
        migrations.RunPython(resync_staff_groups, migrations.RunPython.noop),
    ]
