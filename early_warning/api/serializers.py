from rest_framework import serializers

from commitments.models import Report

from ..models import ActionKind, Alert, EarlyAction

ALERT_FIELDS = [
    "id",
    "state",
    "dimension",
    "rule",
    "severity",
    "status",
    "supported",
    "opened_at",
    "window_start",
    "window_end",
    "baseline_start",
    "baseline_end",
    "baseline_weight",
    "baseline_reports",
    "baseline_weekly_rate",
    "expected_weight",
    "observed_weight",
    "observed_reports",
    "ratio",
    "p_value",
    "grave_non_derogable",
    "acknowledged_at",
    "closed_at",
    "outcome",
    "days_to_first_action",
    "days_to_close",
]


class AlertSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state_id", read_only=True)
    dimension = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    days_to_first_action = serializers.SerializerMethodField()
    days_to_close = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = ALERT_FIELDS
        read_only_fields = ALERT_FIELDS

    def get_days_to_first_action(self, alert) -> int | None:
        first = getattr(alert, "first_action_on", None)
        return (first - alert.opened_on).days if first else None

    def get_days_to_close(self, alert) -> float | None:
        if not alert.closed_at:
            return None
        return round((alert.closed_at - alert.opened_at).total_seconds() / 86400, 1)


PUBLIC_ALERT_FIELDS = [name for name in ALERT_FIELDS if name != "outcome"]


class PublicAlertSerializer(AlertSerializer):
    """When alerts are public: the figures, without the outcome note (staff write it for each other)."""

    class Meta(AlertSerializer.Meta):
        fields = PUBLIC_ALERT_FIELDS
        read_only_fields = PUBLIC_ALERT_FIELDS


class AlertReportSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state_id", read_only=True)
    commitment = serializers.CharField(source="commitment.code", read_only=True)

    class Meta:
        model = Report
        fields = ["id", "state", "commitment", "severity", "observed_on", "status", "summary", "source_url"]
        read_only_fields = fields


class EarlyActionSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = EarlyAction
        fields = ["id", "kind", "taken_on", "note", "created_by", "created_at"]
        read_only_fields = fields


class PublicEarlyActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EarlyAction
        fields = ["kind", "taken_on"]
        read_only_fields = fields


class AlertDetailSerializer(AlertSerializer):
    """Staff: the figures, the reports behind the alert, the actions and the internal note."""

    reports = AlertReportSerializer(many=True, read_only=True)
    actions = EarlyActionSerializer(many=True, read_only=True)

    class Meta(AlertSerializer.Meta):
        fields = [*ALERT_FIELDS, "internal_note", "reports", "actions"]
        read_only_fields = fields


class PublicAlertDetailSerializer(PublicAlertSerializer):
    """Anyone, when alerts are public: the figures, the published reports, the kinds and dates of actions."""

    reports = serializers.SerializerMethodField()
    actions = PublicEarlyActionSerializer(many=True, read_only=True)

    class Meta(AlertSerializer.Meta):
        fields = [*PUBLIC_ALERT_FIELDS, "reports", "actions"]
        read_only_fields = fields

    def get_reports(self, alert) -> list[dict]:
        verified = [report for report in alert.reports.all() if report.status == "verified"]
        return AlertReportSerializer(verified, many=True).data


class CloseSerializer(serializers.Serializer):
    outcome = serializers.CharField(
        allow_blank=True, help_text="What happened and why the alert is closed (required).", max_length=10000
    )

    def validate_outcome(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Say what happened before closing the alert.")
        return value


class EarlyActionWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    taken_on = serializers.DateField()
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=10000)
