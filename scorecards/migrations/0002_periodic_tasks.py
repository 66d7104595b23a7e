"""The nightly recompute on the beat schedule (django-celery-beat, UTC, editable in the admin)."""

from django.db import migrations

from scorecards.schedules import Schedule, install, uninstall

SCHEDULES = [
    Schedule(
        name="Nightly scorecard recompute",
        task="scorecards.tasks.recompute_recent_periods",
        crontab="30 2 * * *",
        description="Recompute the current and previous quarter and year for all States at 02:30 UTC.",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(lambda apps, _: install(apps, SCHEDULES), lambda apps, _: uninstall(apps, SCHEDULES))
    ]
