from django.conf import settings
from django.db.models import F
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from corfu_tracker.api.csv import BOUNDED_CSV_FORMAT_PARAMETER, CSVListMixin
from corfu_tracker.api.values import values_page_response

from .. import tasks
from ..models import DEFAULT_METHOD, GroupScorecard, Scorecard
from ..selectors import scorecard_explain
from .filters import GroupScorecardFilter, ScorecardFilter
from .serializers import ExplanationSerializer, GroupScorecardSerializer, RecomputeSerializer, ScorecardSerializer

# The CSV export's columns: fields of the scorecard rows (ScorecardSerializer.values_map).
SCORECARD_CSV_FIELDS = [
    "period",
    "state",
    "dimension",
    "score",
    "trend",
    "coverage",
    "assessed_count",
    "in_force_count",
    "report_count",
    "violation_count",
    "rank",
    "method_version",
    "score_low",
    "score_high",
    "evidence",
    "computed_at",
]

METHOD_PARAMETER = OpenApiParameter(
    "method",
    int,
    enum=[1, 2],
    default=int(DEFAULT_METHOD),
    description=(
        "Scoring method (docs/methodology.md): `2` (default) lowers scores for violations and gives each score a "
        "90% interval and an evidence level; `1` reproduces the figures published under method 1."
    ),
)


def scoring_method_param(raw: str | None) -> int:
    """The scoring method a `method` parameter names (default 2); any other value is a 400 naming `method`."""
    if raw in (None, ""):
        return int(DEFAULT_METHOD)
    active = [int(version) for version in settings.SCORING_METHODS]
    if str(raw).strip() not in {str(version) for version in active}:
        choices = " or ".join(str(version) for version in active)
        raise ValidationError({"method": [f"Unknown scoring method “{raw}”: use {choices}."]})
    return int(raw)


class MethodMixin:
    """`?method=1|2` (default 2) narrows every list, detail and action to the rows of that scoring method."""

    validates_query = True  # an unknown method is a 400 on every action: the schema documents it (api/schema.py)

    def scoring_method(self) -> int:
        return scoring_method_param(self.request.query_params.get("method"))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request to read
            return super().get_queryset()
        return super().get_queryset().filter(method_version=self.scoring_method())


class CanRecompute(permissions.BasePermission):
    message = "Only staff allowed to change scorecards may trigger a recompute."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_staff and user.has_perm("scorecards.change_scorecard"))


@extend_schema_view(
    list=extend_schema(
        parameters=[
            METHOD_PARAMETER,
            BOUNDED_CSV_FORMAT_PARAMETER,
        ],
        responses={(200, "application/json"): ScorecardSerializer, (200, "text/csv"): OpenApiTypes.STR},
    ),
    retrieve=extend_schema(parameters=[METHOD_PARAMETER]),
)
class ScorecardViewSet(MethodMixin, CSVListMixin, viewsets.ReadOnlyModelViewSet):
    """Per-State scorecards: one row per State, dimension (or overall) and period."""

    queryset = Scorecard.objects.select_related("period", "state", "dimension")
    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilter
    export_resource = "scorecards"
    export_parameters = ("method",)
    ordering_fields = ["score", "rank", "period__start", "state", "trend", "coverage"]
    ordering = ["period__start", "state_id", "dimension_id"]

    def list(self, request, *args, **kwargs):
        if self.wants_csv(request):
            return self.csv_response(
                self.filter_queryset(self.get_queryset()),
                values_map=ScorecardSerializer.values_map,
                names=SCORECARD_CSV_FIELDS,
                filename="scorecards.csv",
            )
        return values_page_response(self, self.filter_queryset(self.get_queryset()), ScorecardSerializer.values_map)

    @extend_schema(responses=ExplanationSerializer, parameters=[METHOD_PARAMETER])
    @action(detail=True, methods=["get"])
    def explain(self, request, pk=None):
        """The reports behind a score: method 1, each assessed commitment with its value v; method 2, the
        commitments with a level (A) with their y, the deductions d for violations outside A, and the
        interval's inputs (n, N, SE)."""
        explanation = scorecard_explain(scorecard=self.get_object())
        return Response(ExplanationSerializer(explanation, context=self.get_serializer_context()).data)

    @extend_schema(
        request=RecomputeSerializer,
        responses={
            202: inline_serializer(
                "RecomputeQueued", {"period": serializers.CharField(), "status": serializers.CharField()}
            )
        },
    )
    @action(detail=False, methods=["post"], permission_classes=[CanRecompute])
    def recompute(self, request):
        """Queue a recompute of one period for all States (staff only)."""
        serializer = RecomputeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        label = serializer.validated_data["period"]
        tasks.recompute_period.delay_on_commit(label)
        return Response({"period": label, "status": "queued"}, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(parameters=[METHOD_PARAMETER]), retrieve=extend_schema(parameters=[METHOD_PARAMETER])
)
class GroupScorecardViewSet(MethodMixin, viewsets.ReadOnlyModelViewSet):
    """Mean scores of groups (members as of each period's end); `all` = all participating States."""

    # The "all participating States" and "overall" rows (no group, no dimension) come first on
    # every database; PostgreSQL would otherwise sort NULLs last and SQLite first.
    queryset = GroupScorecard.objects.select_related("period", "group", "dimension").order_by(
        "period__start", F("group_id").asc(nulls_first=True), F("dimension_id").asc(nulls_first=True)
    )
    serializer_class = GroupScorecardSerializer
    filterset_class = GroupScorecardFilter
    ordering_fields = ["score", "period__start", "group"]
