"""Beat schedule of the weekly follow-up reminder (django-celery-beat, UTC; editable in the admin)."""

import json

from django.db import migrations

NAME = "Weekly follow-up reminder"


def install(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="6", day_of_month="*", month_of_year="*", day_of_week="1", timezone="UTC"
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "recommendations.tasks.send_follow_up_reminders",
            "args": json.dumps([]),
            "crontab": crontab,
            "description": "Email each institution its overdue recommendations, Mondays at 06:30 UTC, once a week.",
            "enabled": True,
        },
    )


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0003_weekly_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
