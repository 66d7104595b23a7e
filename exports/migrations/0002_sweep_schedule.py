"""Schedule the hourly sweep of export files (UTC, editable in the admin)."""

from django.db import migrations

from scorecards.schedules import Schedule, install, uninstall

SCHEDULES = [
    Schedule(
        name="Sweep export files",
        task="exports.tasks.sweep_exports",
        crontab="17 * * * *",
        description="Hourly: delete the files of export jobs past their expiry (EXPORTS_EXPIRE_DAYS) and mark "
        "them expired; queue again jobs whose worker died while running them.",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_export_jobs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(lambda apps, _: install(apps, SCHEDULES), lambda apps, _: uninstall(apps, SCHEDULES))
    ]
