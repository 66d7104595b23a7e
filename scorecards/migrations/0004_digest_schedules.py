"""Beat schedules for the scorecard digests (django-celery-beat, UTC; editable in the admin).

Both run at 06:00 UTC, after the nightly recompute (02:30 UTC) has refreshed the
previous quarter. On 1 January, April, July and October both run: they serve
different subscriptions.
"""

import json

from django.db import migrations

SCHEDULES = [
    # (task name, dotted task, args, crontab minute/hour/day_of_month/month_of_year/day_of_week, description)
    (
        "Monthly scorecard digest",
        "scorecards.tasks.send_digests",
        ["monthly"],
        ("0", "6", "1", "*", "*"),
        "Send the monthly digest (scores of the last complete quarter) on the 1st of each month at 06:00 UTC.",
    ),
    (
        "Quarterly scorecard digest",
        "scorecards.tasks.send_digests",
        ["quarterly"],
        ("0", "6", "1", "1,4,7,10", "*"),
        "Send the quarterly digest (scores of the quarter just ended) on 1 Jan/Apr/Jul/Oct at 06:00 UTC.",
    ),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, args, (minute, hour, day_of_month, month_of_year, day_of_week), description in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
            timezone="UTC",
        )
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={
                "task": task,
                "args": json.dumps(args),
                "crontab": crontab,
                "description": description,
                "enabled": True,
            },
        )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0003_subscriptions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
