"""Schedule the nightly catch-up of stale scorecard periods (UTC, editable in the admin)."""

from django.db import migrations

from scorecards.schedules import Schedule, install, uninstall

SCHEDULES = [
    Schedule(
        name="Nightly catch-up of stale scorecards",
        task="scorecards.tasks.recompute_stale_periods",
        crontab="0 3 * * *",
        description="Recompute every computed period that a report changed since, at 03:00 UTC.",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0004_digest_schedules")]

    operations = [
        migrations.RunPython(lambda apps, _: install(apps, SCHEDULES), lambda apps, _: uninstall(apps, SCHEDULES))
    ]
