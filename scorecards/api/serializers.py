from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from rest_framework import serializers

from ..models import GroupScorecard, Scorecard
from ..periods import PeriodSpan


class ScoreFieldsSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.label", read_only=True)
    period_kind = serializers.CharField(source="period.kind", read_only=True)
    period_start = serializers.DateField(source="period.start", read_only=True)
    period_end = serializers.DateField(source="period.end", read_only=True)
    dimension = serializers.CharField(source="dimension_slug", read_only=True, help_text="Slug, or `overall`.")
    score = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True)
    trend = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True)
    score_low = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        help_text="Method 2: low end of the score's 90% interval; null for method 1 or no score.",
    )
    score_high = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        help_text="Method 2: high end of the score's 90% interval; null for method 1 or no score.",
    )

    common_fields = [
        "id",
        "period",
        "period_kind",
        "period_start",
        "period_end",
        "dimension",
        "method_version",
        "score",
        "score_low",
        "score_high",
        "evidence",
        "trend",
    ]


class ScorecardSerializer(ScoreFieldsSerializer):
    state = serializers.CharField(source="state_id", read_only=True)
    state_name = serializers.CharField(source="state.name", read_only=True)
    coverage = serializers.DecimalField(max_digits=5, decimal_places=4, coerce_to_string=False)

    class Meta:
        model = Scorecard
        fields = [
            *ScoreFieldsSerializer.common_fields,
            "state",
            "state_name",
            "coverage",
            "assessed_count",
            "in_force_count",
            "report_count",
            "violation_count",
            "rank",
            "computed_at",
        ]
        read_only_fields = fields

    # The column behind each field, for list pages read with `.values()` (corfu_tracker/api/values.py).
    values_map = {
        "id": "id",
        "period": "period__label",
        "period_kind": "period__kind",
        "period_start": "period__start",
        "period_end": "period__end",
        "dimension": Coalesce("dimension__slug", Value("overall")),
        "method_version": "method_version",
        "score": "score",
        "score_low": "score_low",
        "score_high": "score_high",
        "evidence": "evidence",
        "trend": "trend",
        "state": "state_id",
        "state_name": "state__name",
        "coverage": "coverage",
        "assessed_count": "assessed_count",
        "in_force_count": "in_force_count",
        "report_count": "report_count",
        "violation_count": "violation_count",
        "rank": "rank",
        "computed_at": "computed_at",
    }


class GroupScorecardSerializer(ScoreFieldsSerializer):
    group = serializers.CharField(source="group_slug", read_only=True, help_text="Group slug, or `all`.")

    class Meta:
        model = GroupScorecard
        fields = [
            *ScoreFieldsSerializer.common_fields,
            "group",
            "member_count",
            "scored_member_count",
            "computed_at",
        ]
        read_only_fields = fields


class ExplainedReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    level = serializers.CharField()
    severity = serializers.CharField()
    observed_on = serializers.DateField()
    source = serializers.CharField()
    summary = serializers.CharField()


class AssessedCommitmentSerializer(serializers.Serializer):
    commitment = serializers.CharField(source="commitment.code")
    title = serializers.CharField(source="commitment.title")
    dimension = serializers.CharField(source="commitment.dimension.slug")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    level_value = serializers.IntegerField(allow_null=True, help_text="L: 100/50/0, or null if no report.")
    penalty = serializers.IntegerField(help_text="Sum of violation penalties in the period.")
    value = serializers.IntegerField(help_text="v = max(0, (L or 100) - penalty).")
    implementation_report = ExplainedReportSerializer(allow_null=True)
    violation_reports = ExplainedReportSerializer(many=True)


class MeasuredCommitmentSerializer(serializers.Serializer):
    """Method 2: a commitment of A (with an implementation level L)."""

    commitment = serializers.CharField(source="commitment.code")
    title = serializers.CharField(source="commitment.title")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    level_value = serializers.IntegerField(help_text="L: 100/50/0.")
    penalty = serializers.IntegerField(help_text="Sum of violation penalties in the period.")
    y = serializers.IntegerField(help_text="y = max(0, L - penalty).")
    implementation_report = ExplainedReportSerializer()
    violation_reports = ExplainedReportSerializer(many=True)


class DeductionSerializer(serializers.Serializer):
    """Method 2: a commitment with violations but no implementation level takes points off."""

    commitment = serializers.CharField(source="commitment.code")
    title = serializers.CharField(source="commitment.title")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    penalty = serializers.IntegerField(help_text="Sum of violation penalties in the period.")
    deduction = serializers.IntegerField(help_text="d = min(100, penalty).")
    violation_reports = ExplainedReportSerializer(many=True)


class IntervalInputsSerializer(serializers.Serializer):
    n = serializers.IntegerField(help_text="Commitments with an implementation level (|A|).")
    in_force = serializers.IntegerField(help_text="N: commitments in force at the period's end.")
    weight_sum = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False, help_text="W_A.")
    weighted_sum = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, help_text="Sum of w·y over A."
    )
    deductions = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, help_text="Sum of w·d outside A."
    )
    mean = serializers.FloatField(allow_null=True, help_text="ȳ = Σ w·y / W_A.")
    standard_error = serializers.FloatField(allow_null=True, help_text="SE; null when n < 3.")
    half_width = serializers.FloatField(allow_null=True, help_text="h = 1.645 · SE · √(1 − n/N); null when n < 3.")


class UnassessedCommitmentSerializer(serializers.Serializer):
    commitment = serializers.CharField(source="code")
    title = serializers.CharField()


class ExplanationSerializer(serializers.Serializer):
    """Method 1 fills `assessed`; method 2 fills `measured` (A), `deductions` and `interval` (per dimension)."""

    scorecard = ScorecardSerializer()
    method_version = serializers.IntegerField()
    assessed = AssessedCommitmentSerializer(many=True, help_text="Method 1: every assessed commitment with its v.")
    measured = MeasuredCommitmentSerializer(many=True, help_text="Method 2: A, the commitments with a level L.")
    deductions = DeductionSerializer(many=True, help_text="Method 2: violations on commitments outside A.")
    interval = IntervalInputsSerializer(
        allow_null=True, help_text="Method 2, dimension rows: the interval's inputs. Null for method 1 and overall."
    )
    unassessed = UnassessedCommitmentSerializer(many=True)


class RecomputeSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="2010 or 2010-Q2.")

    def validate_period(self, value):
        try:
            span = PeriodSpan.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        if span.start > timezone.localdate():
            raise serializers.ValidationError(f"{span.label} has not started yet.")
        return span.label
