from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commitments.models import Commitment, Theme
from corfu_tracker.api.serializers import SlugRelatedField
from states.models import State

from ..models import (
    AssessingSource,
    Assessment,
    FollowUpIndex,
    Institution,
    Rating,
    Recommendation,
    RecommendationStatus,
)
from ..services import ASSESSMENT_FIELDS, CATALOGUE_FIELDS


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["slug", "name", "kind", "url"]


class AssessmentSerializer(serializers.ModelSerializer):
    """A verified assessment as the public reads it: no identities."""

    recommendation = serializers.CharField(source="recommendation.code", read_only=True)
    source_url = serializers.URLField(allow_blank=True, read_only=True, label="Source link")
    is_synthetic = serializers.BooleanField(read_only=True, help_text="True for synthetic demo data.")

    class Meta:
        model = Assessment
        fields = ["id", "recommendation", "rating", "assessed_on", "source", "source_url", "summary", "is_synthetic"]
        read_only_fields = fields


class AssessmentStaffSerializer(AssessmentSerializer):
    """What signed-in staff see in addition: the review state, when, and why. Still no identities."""

    class Meta(AssessmentSerializer.Meta):
        fields = [
            *AssessmentSerializer.Meta.fields,
            "status",
            "created_at",
            "submitted_at",
            "reviewed_at",
            "rejection_reason",
            "retracted_at",
            "retraction_reason",
        ]
        read_only_fields = fields


class AssessmentWriteSerializer(serializers.ModelSerializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    source = serializers.ChoiceField(choices=AssessingSource.choices, help_text="Who assessed it.")

    class Meta:
        model = Assessment
        fields = ASSESSMENT_FIELDS


class AssessmentReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the assessment is rejected or retracted.")


class RecommendationSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state_id", read_only=True)
    institution = serializers.CharField(source="institution.slug", read_only=True)
    commitments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    status = serializers.ChoiceField(
        choices=RecommendationStatus.choices,
        read_only=True,
        help_text="Rating of the latest verified assessment, or not_assessed.",
    )
    last_assessed_on = serializers.DateField(read_only=True, allow_null=True)
    overdue = serializers.BooleanField(
        read_only=True, help_text="Not closed, and no verified assessment in the last 24 months (or since issuance)."
    )
    closed = serializers.BooleanField(read_only=True, help_text="Fully implemented or no longer applicable.")

    class Meta:
        model = Recommendation
        fields = [
            *CATALOGUE_FIELDS,
            "commitments",
            "themes",
            "status",
            "last_assessed_on",
            "overdue",
            "closed",
            "is_synthetic",
        ]
        read_only_fields = fields

    # The column behind each field, for the list page built from `.values()` rows (corfu_tracker/api/values.py);
    # `commitments` and `themes` come from one query each (selectors.recommendation_codes), the institution's
    # slug from its id (no join, so the page's COUNT reads one table).
    values_map = {
        "code": "code",
        "state": "state_id",
        "institution": "institution_id",
        "source_title": "source_title",
        "source_date": "source_date",
        "source_url": "source_url",
        "number": "number",
        "text": "text",
        "priority": "priority",
        "addressee": "addressee",
        "status": "status",
        "last_assessed_on": "last_assessed_on",
        "overdue": "overdue",
        "closed": "closed",
        "is_synthetic": "is_synthetic",
    }


class RecommendationDetailSerializer(RecommendationSerializer):
    assessments = serializers.SerializerMethodField(help_text="Verified assessments, oldest first.")

    class Meta(RecommendationSerializer.Meta):
        fields = [*RecommendationSerializer.Meta.fields, "assessments"]
        read_only_fields = fields

    @extend_schema_field(AssessmentSerializer(many=True))
    def get_assessments(self, recommendation) -> list[dict]:
        verified = sorted(recommendation.verified_assessments, key=lambda a: (a.assessed_on, a.id))
        return AssessmentSerializer(verified, many=True).data


class RecommendationWriteSerializer(serializers.ModelSerializer):
    state = SlugRelatedField(slug_field="code", queryset=State.objects.all())
    institution = SlugRelatedField(slug_field="slug", queryset=Institution.objects.all())
    commitments = SlugRelatedField(
        slug_field="code", many=True, queryset=Commitment.objects.all(), help_text="At least one, by code."
    )
    themes = SlugRelatedField(slug_field="slug", many=True, queryset=Theme.objects.all(), required=False)

    class Meta:
        model = Recommendation
        fields = [*CATALOGUE_FIELDS, "commitments", "themes"]


class FollowUpIndexSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state_id", read_only=True, allow_null=True)
    group = serializers.CharField(source="group.slug", read_only=True, allow_null=True, default=None)
    dimension = serializers.SerializerMethodField()
    method = serializers.IntegerField(source="method_version", read_only=True)

    class Meta:
        model = FollowUpIndex
        fields = [
            "period",
            "state",
            "group",
            "dimension",
            "method",
            "index",
            "recommendation_count",
            "rated_count",
            "fully_count",
            "mostly_count",
            "partially_count",
            "not_implemented_count",
            "no_longer_applicable_count",
            "not_assessed_count",
            "overdue_count",
            "median_days_to_fully",
            "computed_at",
        ]
        read_only_fields = fields

    def get_dimension(self, row) -> str:
        return row.dimension.slug if row.dimension_id else "overall"
