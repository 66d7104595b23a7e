"""Beat schedules kept in django-celery-beat (UTC, editable in the admin), installed by data migrations.

Takes the migration's historical `apps`, so each migration installs exactly the
schedules it declares, whatever the models look like later.
"""

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    crontab: str  # "minute hour day_of_month month_of_year day_of_week", in UTC
    description: str
    args: tuple = ()


def install(apps, schedules: list[Schedule]) -> None:
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for schedule in schedules:
        minute, hour, day_of_month, month_of_year, day_of_week = schedule.crontab.split()
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
            timezone="UTC",
        )
        PeriodicTask.objects.update_or_create(
            name=schedule.name,
            defaults={
                "task": schedule.task,
                "args": json.dumps(list(schedule.args)),
                "crontab": crontab,
                "description": schedule.description,
                "enabled": True,
            },
        )


def uninstall(apps, schedules: list[Schedule]) -> None:
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[schedule.name for schedule in schedules]).delete()
