"""The beat schedule lives in django-celery-beat (editable in the admin), in UTC."""

from django.db import migrations

SCHEDULES = [
    # (task name, dotted task, crontab minute/hour/day_of_month/month_of_year/day_of_week, description)
    (
        "Nightly scorecard recompute",
        "scorecards.tasks.recompute_recent_periods",
        ("30", "2", "*", "*", "*"),
        "Recompute the current and previous quarter and year for all States at 02:30 UTC.",
    ),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_month, month_of_year, day_of_week), description in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
            timezone="UTC",
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "description": description, "enabled": True}
        )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
