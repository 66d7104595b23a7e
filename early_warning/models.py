"""Alerts on violation spikes per State x dimension, the early actions taken on them, and alert emails."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from commitments.models import Dimension, Report
from corfu_tracker.models import TimeStampedModel
from states.models import State

from .staff_group import EARLY_WARNING_GROUP  # noqa: F401  (re-exported)


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLOSED = "closed", "Closed"


class AlertSeverity(models.TextChoices):
    ELEVATED = "elevated", "Elevated"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical (non-derogable)"


SEVERITY_RANK = {AlertSeverity.ELEVATED: 1, AlertSeverity.HIGH: 2, AlertSeverity.CRITICAL: 3}


class AlertRule(models.TextChoices):
    SPIKE = "spike", "Rise against the State's baseline"
    NON_DEROGABLE = "non_derogable", "Grave violation of a non-derogable commitment"


class AlertQuerySet(models.QuerySet):
    def not_closed(self) -> "AlertQuerySet":
        return self.exclude(status=AlertStatus.CLOSED)


class Alert(TimeStampedModel):
    """Something is rising now in one State and dimension; staff follow it up until it is closed."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="alerts")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="alerts")
    rule = models.CharField(max_length=20, choices=AlertRule.choices)
    severity = models.CharField(max_length=10, choices=AlertSeverity.choices)
    status = models.CharField(max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    last_triggered_at = models.DateTimeField(default=timezone.now)
    # The window and figures of the latest trigger (docs/early-warning.md).
    window_start = models.DateField()
    window_end = models.DateField()
    baseline_start = models.DateField()
    baseline_end = models.DateField()
    baseline_weight = models.FloatField(help_text="Severity-weighted verified violations in the baseline.")
    baseline_reports = models.PositiveIntegerField()
    baseline_weekly_rate = models.FloatField(help_text="Weighted per week (with the floor for quiet States).")
    expected_weight = models.FloatField(help_text="What the baseline rate predicts for the window.")
    observed_weight = models.FloatField(help_text="Severity-weighted verified violations in the window.")
    observed_reports = models.PositiveIntegerField()
    ratio = models.FloatField()
    p_value = models.FloatField(help_text="Upper-tail probability of the observed weight under the baseline.")
    grave_non_derogable = models.PositiveIntegerField(default=0)
    supported = models.BooleanField(
        default=True, help_text="False once retractions leave the trigger's own window below the rule."
    )
    reports = models.ManyToManyField(Report, related_name="alerts", blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(blank=True, help_text="Required to close: what happened and why it is closed.")
    internal_note = models.TextField(blank=True, help_text="Staff only; never shown when alerts are public.")

    objects = AlertQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_triggered_at"])

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            # At most one alert per series that is not closed: a new trigger updates it.
            models.UniqueConstraint(
                fields=["state", "dimension"], condition=~Q(status="closed"), name="alert_one_open_per_series"
            ),
            models.CheckConstraint(condition=Q(status__in=AlertStatus.values), name="alert_status_valid"),
            models.CheckConstraint(condition=Q(severity__in=AlertSeverity.values), name="alert_severity_valid"),
            models.CheckConstraint(condition=Q(rule__in=AlertRule.values), name="alert_rule_valid"),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="alert_closed_has_outcome",
                violation_error_message="A closed alert has an outcome.",
            ),
            models.CheckConstraint(condition=Q(window_start__lte=models.F("window_end")), name="alert_window_ordered"),
        ]
        indexes = [models.Index(fields=["status", "-opened_at"], name="alert_status_opened_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.state_id} {self.dimension} {self.severity} ({self.status})"

    @property
    def opened_on(self) -> datetime.date:
        return timezone.localdate(self.opened_at)

    def clean(self):
        if self.status == AlertStatus.CLOSED and not (self.outcome or "").strip():
            raise ValidationError({"outcome": "Say what happened before closing the alert."})


class ActionKind(models.TextChoices):
    CHAIRMANSHIP_STATEMENT = "chairmanship_statement", "Chairmanship statement"
    PERMANENT_COUNCIL_DISCUSSION = "permanent_council_discussion", "Permanent Council discussion"
    MOSCOW_MECHANISM = "moscow_mechanism", "Moscow Mechanism"
    VIENNA_MECHANISM = "vienna_mechanism", "Vienna Mechanism"
    FIELD_OPERATION_VISIT = "field_operation_visit", "Field operation visit"
    HCNM_ENGAGEMENT = "hcnm_engagement", "HCNM engagement"
    ODIHR_ASSESSMENT = "odihr_assessment", "ODIHR assessment"
    OTHER = "other", "Other"


class EarlyAction(TimeStampedModel):
    """What was done about an alert, on which day, by whom."""

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=40, choices=ActionKind.choices)
    taken_on = models.DateField(help_text="The day the action was taken.")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["taken_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ActionKind.values), name="earlyaction_kind_valid")]
        indexes = [models.Index(fields=["alert", "taken_on"], name="earlyaction_alert_taken_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.taken_on} (alert #{self.alert_id})"

    def clean(self):
        errors = early_action_errors(
            alert=self.alert if self.alert_id else None, kind=self.kind, taken_on=self.taken_on
        )
        if errors:
            raise ValidationError(errors)


def early_action_errors(*, alert: Alert | None, kind: str, taken_on: datetime.date | None) -> dict[str, str]:
    """The rules of a new action, by field. Shared by the model, the service and the API."""
    errors: dict[str, str] = {}
    if kind not in ActionKind.values:
        errors["kind"] = f"Unknown kind “{kind}”: use one of {', '.join(ActionKind.values)}."
    if alert is not None and alert.status == AlertStatus.CLOSED:
        errors["status"] = "The alert is closed: no more actions can be recorded on it."
    if taken_on is not None:
        if taken_on > timezone.localdate():
            errors["taken_on"] = f"{taken_on} is in the future."
        elif alert is not None and taken_on < alert.opened_on:
            errors["taken_on"] = f"{taken_on} is before the alert was opened ({alert.opened_on})."
    return errors


class RecipientKind(models.TextChoices):
    STAFF = "staff", "Early warning staff"
    SUBSCRIBER = "subscriber", "Subscriber"


class DeliveryStatus(models.TextChoices):
    SENDING = "sending", "Sending (claimed)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will be retried)"


class AlertDelivery(models.Model):
    """The claim on, and record of, one new-alert email to one address (inserted and committed before sending)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    recipient_kind = models.CharField(max_length=10, choices=RecipientKind.choices)
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name_plural = "alert deliveries"
        constraints = [
            models.UniqueConstraint(fields=["alert", "email"], name="alertdelivery_once_per_address"),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="alertdelivery_status"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="alertdelivery_sent_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"alert #{self.alert_id} to {self.email}: {self.status}"
