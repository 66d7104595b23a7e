"""Celery tasks: thin wrappers that take plain values and call services."""

import datetime
import logging
import smtplib

from celery import shared_task
from celery.exceptions import Retry
from django.db import InterfaceError, OperationalError

from . import followup_recompute, services, subscriptions
from .models import Period

logger = logging.getLogger(__name__)

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
def recompute_state_for_report(state_code: str, observed_on: str) -> list[str]:
    return services.scorecards_compute_for_report(
        state_code=state_code, observed_on=datetime.date.fromisoformat(observed_on)
    )


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def recompute_followup_since(state_code: str, since: str) -> list[str]:
    """A verified or retracted assessment: the State's follow-up rows of the periods from its date on."""
    return followup_recompute.followup_compute_since(state_code=state_code, since=datetime.date.fromisoformat(since))


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def recompute_recent_periods() -> list[str]:
    """Nightly: the current and previous quarter and year."""
    periods = [Period.objects.for_span(span) for span in services.current_and_previous_periods()]
    services.scorecards_compute_periods(periods=periods)
    return [period.label for period in periods]


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def recompute_stale_periods() -> list[str]:
    """Nightly catch-up: every computed period that a report changed since its computation."""
    return services.scorecards_recompute_stale()


# Digests and confirmation emails -------------------------------------------------------------------

# What an SMTP server (or the network to it) does when it is briefly unwell: worth retrying.
TRANSIENT_SMTP_ERRORS = (smtplib.SMTPException, OSError, ConnectionError)
SMTP_RETRY = {
    "autoretry_for": TRANSIENT_SMTP_ERRORS,
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**SMTP_RETRY)
def send_confirmation(subscription_id: int) -> bool:
    """The double opt-in email. Sending it twice is harmless (both links work), so plain retries."""
    return subscriptions.confirmation_send(subscription_id=subscription_id)


# acks_late: the delivery row claimed before sending makes a redelivered task send nothing twice.
@shared_task(acks_late=True, reject_on_worker_lost=True, **SMTP_RETRY)
def send_digest(subscription_id: int, period_label: str) -> str:
    """One digest edition to one subscription, once; the lease sweep resends it if this worker dies mid-send."""
    return str(subscriptions.digest_send(subscription_id=subscription_id, period_label=period_label))


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def send_digests(frequency: str, period_label: str | None = None) -> int:
    """Beat, monthly or quarterly at 06:00 UTC: one send_digest per active subscription of that frequency."""
    edition, subscription_ids = subscriptions.digest_fan_out(frequency=frequency, period_label=period_label)
    for subscription_id in subscription_ids:
        try:
            send_digest.delay(subscription_id, edition.label)
        except (Retry, *TRANSIENT_SMTP_ERRORS) as exc:  # only eagerly (no broker): one failure must not stop the rest
            logger.error("digest %s to subscription %s failed: %s", edition.label, subscription_id, exc)
    return len(subscription_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def sweep_digest_deliveries() -> dict:
    """Beat, every 5 minutes: resend expired digest claims with their Message-ID, raise those out of attempts."""
    result = subscriptions.deliveries_sweep()
    return {"resent": result.resent, "failed": result.failed, "escalated": result.escalated}
