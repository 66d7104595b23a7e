"""Celery tasks: thin wrappers that take plain values and call services."""

import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)
RETRY = {
    "autoretry_for": TRANSIENT_DB_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}


# acks_late: a recompute replaces a whole set in one transaction, so running it
# again after a worker died half-way is safe and gives the same rows.
@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def recompute_period(period_label: str) -> int:
    return services.scorecards_compute_period(period=period_label)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def recompute_year(year: int) -> dict:
    return services.scorecards_compute_year(year=year)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def recompute_state_for_report(state_code: str, observed_on: str) -> list[str]:
    return services.scorecards_compute_for_report(
        state_code=state_code, observed_on=datetime.date.fromisoformat(observed_on)
    )


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def recompute_recent_periods() -> list[str]:
    """Nightly: the current and previous quarter and year."""
    labels = [span.label for span in services.current_and_previous_periods()]
    for label in labels:
        services.scorecards_compute_period(period=label)
    return labels
