from django.db.models import BooleanField, ExpressionWrapper, Q
from rest_framework import serializers

from corfu_tracker.api.serializers import ModelCleanSerializer, SlugRelatedField
from states.models import State

from ..models import (
    Commitment,
    CommitmentRelation,
    Dimension,
    RelationKind,
    Report,
    ReportLevel,
    ReportSeverity,
    ReportSource,
    SourceDocument,
    Theme,
)
from ..models.reports import report_content_errors, staff_source_error
from ..services import EDITABLE_FIELDS


class DimensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dimension
        fields = ["slug", "name", "description"]


class ThemeSerializer(ModelCleanSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name", "description"]


class SourceDocumentSerializer(ModelCleanSerializer):
    dimensions = SlugRelatedField(slug_field="slug", many=True, queryset=Dimension.objects.all(), required=False)

    class Meta:
        model = SourceDocument
        fields = [
            "code",
            "title",
            "symbol",
            "adopted_on",
            "place",
            "url",
            "text_source",
            "in_force_note",
            "has_numbered_paragraphs",
            "dimensions",
        ]


class CommitmentSerializer(ModelCleanSerializer):
    document = SlugRelatedField(slug_field="code", queryset=SourceDocument.objects.all())
    dimension = SlugRelatedField(slug_field="slug", queryset=Dimension.objects.all())
    themes = SlugRelatedField(slug_field="slug", many=True, queryset=Theme.objects.all(), required=False)
    in_force_from = serializers.DateField(required=False, help_text="Defaults to the document's adoption date.")

    class Meta:
        model = Commitment
        fields = [
            "code",
            "document",
            "paragraph",
            "title",
            "summary",
            "dimension",
            "themes",
            "weight",
            "weight_reason",
            "non_derogable",
            "in_force_from",
            "in_force_until",
        ]


class RelationOutSerializer(serializers.ModelSerializer):
    """A commitment this one reaffirms, elaborates or supersedes."""

    kind = serializers.ChoiceField(choices=RelationKind.choices, read_only=True)
    commitment = serializers.CharField(source="target.code", read_only=True)

    class Meta:
        model = CommitmentRelation
        fields = ["kind", "commitment"]


class RelationInSerializer(serializers.ModelSerializer):
    """A later commitment that reaffirms, elaborates or supersedes this one."""

    kind = serializers.ChoiceField(choices=RelationKind.choices, read_only=True)
    commitment = serializers.CharField(source="source.code", read_only=True)

    class Meta:
        model = CommitmentRelation
        fields = ["kind", "commitment"]


class CommitmentDetailSerializer(CommitmentSerializer):
    """One commitment with its lineage: what it points back at (`relations_out`) and what points at it."""

    relations_out = RelationOutSerializer(many=True, read_only=True)
    relations_in = RelationInSerializer(many=True, read_only=True)

    class Meta(CommitmentSerializer.Meta):
        fields = [*CommitmentSerializer.Meta.fields, "relations_out", "relations_in"]


class ReportSerializer(serializers.ModelSerializer):
    """A report as the public reads it: no user identities."""

    state = serializers.CharField(source="state_id", read_only=True)
    commitment = serializers.CharField(source="commitment.code", read_only=True)
    dimension = serializers.CharField(source="commitment.dimension.slug", read_only=True)
    # Declared so the schema says they may be blank: read-only model fields lose `allow_blank`.
    source_url = serializers.URLField(allow_blank=True, read_only=True, label="Source link")
    level = serializers.ChoiceField(
        choices=ReportLevel.choices, allow_blank=True, read_only=True, help_text="Implementation reports only."
    )
    severity = serializers.ChoiceField(
        choices=ReportSeverity.choices, allow_blank=True, read_only=True, help_text="Violation reports only."
    )
    is_synthetic = serializers.BooleanField(read_only=True, help_text="True for synthetic demo data.")

    class Meta:
        model = Report
        fields = [
            "id",
            "state",
            "commitment",
            "dimension",
            "kind",
            "level",
            "severity",
            "observed_on",
            "summary",
            "source",
            "source_url",
            "citation",
            "status",
            "is_synthetic",
            "corrects",
            "created_at",
        ]
        read_only_fields = fields

    # The column behind each field, for list pages read with `.values()` (corfu_tracker/api/values.py).
    values_map = {
        "id": "id",
        "state": "state_id",
        "commitment": "commitment__code",
        "dimension": "commitment__dimension__slug",
        "kind": "kind",
        "level": "level",
        "severity": "severity",
        "observed_on": "observed_on",
        "summary": "summary",
        "source": "source",
        "source_url": "source_url",
        "citation": "citation",
        "status": "status",
        "is_synthetic": ExpressionWrapper(Q(source=ReportSource.SYNTHETIC_DEMO), output_field=BooleanField()),
        "corrects": "corrects_id",
        "created_at": "created_at",
    }


class ReportStaffSerializer(ReportSerializer):
    """What signed-in staff see in addition: who did what, when and why."""

    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True, default=None)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True, allow_null=True, default=None)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, allow_null=True, default=None)

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "created_by",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "rejection_reason",
            "retraction_reason",
        ]
        read_only_fields = fields

    values_map = {
        **ReportSerializer.values_map,
        "created_by": "created_by__username",
        "submitted_by": "submitted_by__username",
        "submitted_at": "submitted_at",
        "reviewed_by": "reviewed_by__username",
        "reviewed_at": "reviewed_at",
        "rejection_reason": "rejection_reason",
        "retraction_reason": "retraction_reason",
    }


class ReportWriteSerializer(serializers.ModelSerializer):
    """Create or edit a draft, naming the State and commitment by their codes."""

    state = SlugRelatedField(slug_field="code", queryset=State.objects.all())
    commitment = SlugRelatedField(slug_field="code", queryset=Commitment.objects.all())

    class Meta:
        model = Report
        fields = EDITABLE_FIELDS
        extra_kwargs = {"level": {"required": False}, "severity": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Only a report the caller can see may be corrected: no probing for others' drafts by id.
            fields["corrects"].queryset = Report.objects.visible_to(request.user)
        return fields

    def validate_source(self, value):
        if message := staff_source_error(source=value, current=self.instance.source if self.instance else ""):
            raise serializers.ValidationError(message)
        return value

    def validate(self, attrs):
        merged = {name: getattr(self.instance, name) for name in self.fields if self.instance} | attrs
        errors = report_content_errors(
            kind=merged.get("kind", ""),
            level=merged.get("level", ""),
            severity=merged.get("severity", ""),
            observed_on=merged.get("observed_on"),
            state=merged.get("state"),
            commitment=merged.get("commitment"),
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the report is rejected or retracted.")
