"""New-alert emails to the Early warning staff group and to subscribers who opted in, each at most once.

As the scorecard digests (scorecards/subscriptions.py): an `AlertDelivery` row, unique per
alert and address, is inserted and committed before the message goes to the SMTP server,
so a second run or a second worker finds it and sends nothing. An SMTP error marks it
`failed` and is re-raised for Celery to retry; the retry takes the failed row over with a
conditional UPDATE.
"""

import logging
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from scorecards.emails import make_message
from scorecards.models import Subscription
from scorecards.subscriptions import unsubscribe_url

from .models import EARLY_WARNING_GROUP, Alert, AlertDelivery, DeliveryStatus, RecipientKind

logger = logging.getLogger(__name__)


class AlertEmailOutcome(StrEnum):
    SENT = "sent"
    ALREADY_CLAIMED = "already-claimed"
    NOT_A_RECIPIENT = "not-a-recipient"
    MISSING = "missing"


def _staff_addresses() -> set[str]:
    users = get_user_model().objects.filter(is_active=True, is_staff=True, groups__name=EARLY_WARNING_GROUP)
    return {email.lower() for email in users.exclude(email="").values_list("email", flat=True)}


def _subscribers(alert: Alert):
    """Active subscriptions that opted in to alerts and follow this State and dimension (none chosen = all)."""
    return (
        Subscription.objects.active()
        .filter(alerts=True)
        .filter(Q(states__isnull=True) | Q(states=alert.state_id))
        .filter(Q(dimensions__isnull=True) | Q(dimensions=alert.dimension_id))
        .distinct()
    )


def alert_recipients(*, alert_id: int) -> list[tuple[str, str]]:
    """(address, kind) still to be sent this alert: staff first, then subscribers not already staff."""
    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None:
        return []
    done = set(
        AlertDelivery.objects.filter(alert=alert, status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING]).values_list(
            "email", flat=True
        )
    )
    staff = _staff_addresses()
    recipients = [(email, RecipientKind.STAFF.value) for email in sorted(staff - done)]
    subscribers = {email.lower() for email in _subscribers(alert).values_list("email", flat=True)}
    recipients += [(email, RecipientKind.SUBSCRIBER.value) for email in sorted(subscribers - staff - done)]
    return recipients


def _is_recipient(alert: Alert, email: str, kind: str) -> bool:
    if kind == RecipientKind.STAFF:
        return email in _staff_addresses()
    return _subscribers(alert).filter(email__iexact=email).exists()


def admin_url(alert: Alert) -> str:
    return settings.SITE_URL + reverse("admin:early_warning_alert_change", args=[alert.pk])


def alert_message(*, alert: Alert, email: str, kind: str):
    context = {
        "alert": alert,
        "staff": kind == RecipientKind.STAFF,
        "admin_url": admin_url(alert),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": "",
    }
    headers = {"Auto-Submitted": "auto-generated"}
    if kind == RecipientKind.SUBSCRIBER:
        subscription = Subscription.objects.filter(email__iexact=email).first()
        if subscription is not None:
            context["unsubscribe_url"] = unsubscribe_url(subscription)
            headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return make_message("alert", email, context, headers=headers)


def _claim(*, alert: Alert, email: str, kind: str) -> AlertDelivery | None:
    now = timezone.now()
    with transaction.atomic():
        delivery, created = AlertDelivery.objects.get_or_create(
            alert=alert, email=email, defaults={"recipient_kind": kind, "claimed_at": now}
        )
    if created:
        return delivery
    if delivery.status != DeliveryStatus.FAILED:
        return None
    claimed = AlertDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.FAILED, attempts=delivery.attempts
    ).update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    delivery.refresh_from_db()
    return delivery


def alert_email_send(*, alert_id: int, email: str, recipient_kind: str) -> AlertEmailOutcome:
    """One new-alert email to one address, at most once. SMTP errors are recorded and re-raised."""
    alert = Alert.objects.select_related("state", "dimension").filter(pk=alert_id).first()
    if alert is None:
        return AlertEmailOutcome.MISSING
    email = email.lower()
    if not _is_recipient(alert, email, recipient_kind):
        return AlertEmailOutcome.NOT_A_RECIPIENT
    message = alert_message(alert=alert, email=email, kind=recipient_kind)
    delivery = _claim(alert=alert, email=email, kind=recipient_kind)
    if delivery is None:
        return AlertEmailOutcome.ALREADY_CLAIMED
    try:
        message.send()
    except Exception as exc:
        AlertDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED, error=f"attempt {delivery.attempts}: {type(exc).__name__}: {exc}"[:2000]
        )
        logger.warning("alert %s to %s failed: %s", alert_id, email, exc)
        raise
    AlertDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now()
    )
    return AlertEmailOutcome.SENT
