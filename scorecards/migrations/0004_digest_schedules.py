"""Beat schedules for the scorecard digests (django-celery-beat, UTC; editable in the admin).

Both run at 06:00 UTC, after the nightly recompute (02:30 UTC) has refreshed the
previous quarter. On 1 January, April, July and October both run: they serve
different subscriptions.
"""

from django.db import migrations

from scorecards.schedules import Schedule, install, uninstall

SCHEDULES = [
    Schedule(
        name="Monthly scorecard digest",
        task="scorecards.tasks.send_digests",
        args=("monthly",),
        crontab="0 6 1 * *",
        description="Send the monthly digest (scores of the last complete quarter) on the 1st of each month at 06:00 UTC.",
    ),
    Schedule(
        name="Quarterly scorecard digest",
        task="scorecards.tasks.send_digests",
        args=("quarterly",),
        crontab="0 6 1 1,4,7,10 *",
        description="Send the quarterly digest (scores of the quarter just ended) on 1 Jan/Apr/Jul/Oct at 06:00 UTC.",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0003_subscriptions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(lambda apps, _: install(apps, SCHEDULES), lambda apps, _: uninstall(apps, SCHEDULES))
    ]
