"""Celery tasks: thin wrappers that call services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .reminders import reminders_send_weekly


# acks_late: the delivery rows claimed before sending make a rerun send nothing twice.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=6,
)
def send_follow_up_reminders() -> list[str]:
    """Beat, Mondays 06:30 UTC: each institution's overdue recommendations, once per week."""
    return reminders_send_weekly()
