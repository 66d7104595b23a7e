"""Schedule the nightly catch-up of stale scorecard periods (UTC, editable in the admin)."""

from django.db import migrations

NAME = "Nightly catch-up of stale scorecards"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="3", day_of_month="*", month_of_year="*", day_of_week="*", timezone="UTC"
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "scorecards.tasks.recompute_stale_periods",
            "crontab": crontab,
            "description": "Recompute every computed period that a report changed since, at 03:00 UTC.",
            "enabled": True,
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0004_digest_schedules")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
