"""Celery tasks: thin wrappers that take plain values and call services."""

import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import notifications, services

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}
SMTP_RETRY = {
    "autoretry_for": (smtplib.SMTPException, OSError, ConnectionError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 5,
}


# acks_late: an evaluation is idempotent (the partial unique constraint keeps one open alert per series).
@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def evaluate_series_for_report(report_id: int) -> dict:
    result = services.alerts_evaluate_for_report(report_id=report_id)
    return {"opened": result.opened, "updated": result.updated, "unsupported": result.unsupported}


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def sweep_all_series() -> dict:
    """Nightly: every State x dimension series, windows ending today. Opens and updates; closes nothing."""
    result = services.alerts_evaluate()
    return {"opened": result.opened, "updated": result.updated, "unsupported": result.unsupported}


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def notify_new_alert(alert_id: int) -> int:
    """Fan out: one send_alert_email per recipient still to receive this alert."""
    recipients = notifications.alert_recipients(alert_id=alert_id)
    for email, kind in recipients:
        send_alert_email.delay(alert_id, email, kind)
    return len(recipients)


# acks_late: the delivery row claimed before sending makes a redelivered task send nothing twice.
@shared_task(acks_late=True, reject_on_worker_lost=True, **SMTP_RETRY)
def send_alert_email(alert_id: int, email: str, recipient_kind: str) -> str:
    return str(notifications.alert_email_send(alert_id=alert_id, email=email, recipient_kind=recipient_kind))
