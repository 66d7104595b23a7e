"""The "Early warning" staff group and the nightly sweep of every series on the beat schedule (UTC)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from early_warning.staff_group import sync_early_warning_group
from scorecards.schedules import Schedule, install, uninstall

SCHEDULES = [
    Schedule(
        name="Nightly early-warning sweep",
        task="early_warning.tasks.sweep_all_series",
        crontab="30 3 * * *",
        description="Re-evaluate every State x dimension series (windows ending today) at 03:30 UTC; closes nothing.",
    ),
]


def forwards(apps, schema_editor):
    # Permissions are normally created after migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    sync_early_warning_group(
        group_model=apps.get_model("auth", "Group"), permission_model=apps.get_model("auth", "Permission")
    )
    install(apps, SCHEDULES)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Early warning").delete()
    uninstall(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("early_warning", "0001_alerts_and_early_actions"),
        ("commitments", "0004_staff_groups"),
        ("scorecards", "0005_stale_sweep_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
