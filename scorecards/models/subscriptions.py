"""Subscribers to the scorecard digests, and one delivery row per digest sent to each."""

import datetime
import secrets
from email.utils import make_msgid

from django.conf import settings
from django.core.mail.utils import DNS_NAME
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from commitments.models import Dimension
from corfu_tracker.models import TimeStampedModel
from states.models import State

from .scorecards import Period


def new_unsubscribe_token() -> str:
    return secrets.token_urlsafe(32)


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> "SubscriptionQuerySet":
        """Confirmed and not unsubscribed: the ones that get digests."""
        return self.filter(confirmed=True, unsubscribed_at__isnull=True)


class Subscription(TimeStampedModel):
    """An email address that asked for periodic scorecard digests (double opt-in)."""

    email = models.EmailField(max_length=254)
    states = models.ManyToManyField(
        State, blank=True, related_name="subscriptions", help_text="None = all participating States."
    )
    dimensions = models.ManyToManyField(
        Dimension, blank=True, related_name="subscriptions", help_text="None = all three dimensions."
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY)
    alerts = models.BooleanField(
        default=False, help_text="Also email each new early-warning alert for these States and dimensions."
    )
    confirmed = models.BooleanField(default=False, help_text="The address owner followed the confirmation link.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_unsubscribe_token, editable=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One subscription per address, whatever its case: subscribe looks it up with email__iexact.
            models.UniqueConstraint(Lower("email"), name="subscription_unique_email_ci"),
            models.CheckConstraint(
                condition=Q(confirmed=False) | Q(confirmed_at__isnull=False), name="subscription_confirmed_has_date"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=[value for value, _ in Frequency.choices]), name="subscription_frequency"
            ),
        ]
        indexes = [
            # send_digests: Subscription.objects.active().filter(frequency=...)
            models.Index(
                fields=["frequency"],
                condition=Q(confirmed=True, unsubscribed_at__isnull=True),
                name="subscription_active_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.frequency}, {self.status_label})"

    @property
    def is_active(self) -> bool:
        return self.confirmed and self.unsubscribed_at is None

    @property
    def status_label(self) -> str:
        if self.unsubscribed_at:
            return "unsubscribed"
        return "confirmed" if self.confirmed else "awaiting confirmation"


class DeliveryStatus(models.TextChoices):
    SENDING = "sending", "Sending (claimed)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will be retried)"


def sending_lease() -> datetime.timedelta:
    """How long a `sending` claim counts as live; an older one is resent by the lease sweep (or raised to staff)."""
    return datetime.timedelta(seconds=settings.DIGEST_SENDING_LEASE)


def new_message_id() -> str:
    """A Message-ID for one delivery, fixed at claim time and reused by every resend of it."""
    return make_msgid(idstring="digest", domain=str(DNS_NAME))


class DigestDelivery(models.Model):
    """The claim on, and the record of, one digest edition sent to one subscription.

    The row is inserted (status `sending`, with the Message-ID every attempt will
    carry) and committed before the message goes to the SMTP server; the unique
    constraint makes a second run or a second worker find it and send nothing.
    A claim older than the lease is resent by the sweep with the same Message-ID,
    up to DIGEST_SEND_MAX_ATTEMPTS attempts, then raised to staff (`escalated_at`).
    """

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    period_label = models.CharField(
        max_length=7, help_text="The digest edition: 2026-Q3 (quarterly) or 2026-11, the month just ended (monthly)."
    )
    period = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        related_name="digest_deliveries",
        help_text="The quarter whose scores it carries.",
    )
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    claimed_at = models.DateTimeField(default=timezone.now, help_text="When the last attempt claimed the row.")
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="The last sending error, if any.")
    message_id = models.CharField(
        max_length=255,
        blank=True,
        help_text="The Message-ID header, set at the claim: every resend carries the same one, "
        "so a receiving server can drop a duplicate.",
    )
    escalated_at = models.DateTimeField(
        null=True, blank=True, help_text="When staff were emailed that this delivery ran out of attempts."
    )

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name_plural = "digest deliveries"
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period_label"], name="digestdelivery_unique_edition"),
            models.CheckConstraint(
                condition=Q(status__in=[value for value, _ in DeliveryStatus.choices]), name="digestdelivery_status"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="digestdelivery_sent_has_date"
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_at"], name="digestdelivery_status_idx")]

    def __str__(self) -> str:
        return f"{self.period_label} to {self.subscription.email}: {self.status}"

    @property
    def is_escalated(self) -> bool:
        return self.escalated_at is not None and self.status != DeliveryStatus.SENT

    @property
    def is_stuck(self) -> bool:
        """Claimed longer ago than the lease and never marked sent: the worker died or hung mid-send."""
        return self.status == DeliveryStatus.SENDING and self.claimed_at < timezone.now() - sending_lease()
