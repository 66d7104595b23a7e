from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from commitments.api.views import if_match
from corfu_tracker.api.csv import CSVListMixin, stream_csv
from corfu_tracker.api.filters import SearchFilter
from corfu_tracker.api.permissions import ActionPermissions, CatalogueWritePermission
from corfu_tracker.workflow import version_tag

from .. import services
from ..models import Assessment, AssessmentStatus, FollowUpIndex, Institution
from ..selectors import recommendation_codes, recommendations_with_status
from .filters import FollowUpIndexFilter, RecommendationFilter
from .serializers import (
    AssessmentReasonSerializer,
    AssessmentSerializer,
    AssessmentStaffSerializer,
    AssessmentWriteSerializer,
    FollowUpIndexSerializer,
    InstitutionSerializer,
    RecommendationDetailSerializer,
    RecommendationSerializer,
    RecommendationWriteSerializer,
)

# The CSV has exactly the list JSON columns.
RECOMMENDATION_CSV_FIELDS = RecommendationSerializer.Meta.fields


class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    """OSCE institutions that make recommendations; each field operation is one."""

    queryset = Institution.objects.all()
    serializer_class = InstitutionSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-z0-9_]+"
    pagination_class = None


@extend_schema_view(
    list=extend_schema(
        description="Recommendations with their status as of today, newest source first.",
        parameters=[
            OpenApiParameter("format", str, enum=["json", "csv"], description="`csv` streams every matching row.")
        ],
        responses={(200, "application/json"): RecommendationSerializer, (200, "text/csv"): OpenApiTypes.STR},
    ),
    retrieve=extend_schema(
        description="One recommendation by code, with its verified assessments oldest first.",
        responses=RecommendationDetailSerializer,
    ),
)
class RecommendationViewSet(
    CSVListMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Recommendations of OSCE institutions to participating States. Catalogue editors add them."""

    permission_classes = [CatalogueWritePermission]
    lookup_field = "code"
    lookup_value_regex = "[-A-Za-z0-9.]+"
    filterset_class = RecommendationFilter
    filter_backends = [*viewsets.GenericViewSet.filter_backends, SearchFilter]
    search_fields = ["code", "text", "source_title"]
    ordering_fields = ["source_date", "code", "last_assessed_on"]
    ordering = ["-source_date", "code"]

    def get_queryset(self):
        queryset = recommendations_with_status().select_related("institution").prefetch_related("commitments", "themes")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "assessments",
                    queryset=Assessment.objects.filter(status=AssessmentStatus.VERIFIED),
                    to_attr="verified_assessments",
                )
            )
        return queryset.order_by(*self.ordering)

    def get_serializer_class(self):
        if self.action == "create":
            return RecommendationWriteSerializer
        if self.action == "assessments":
            return AssessmentWriteSerializer
        if self.action == "retrieve":
            return RecommendationDetailSerializer
        return RecommendationSerializer

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if self.wants_csv(request):
            return stream_csv(
                rows=self._csv_rows(queryset), header=RECOMMENDATION_CSV_FIELDS, filename="recommendations.csv"
            )
        return self._values_page(queryset.prefetch_related(None).select_related(None))

    def _values_page(self, queryset):
        """The page from `.values()` rows (what RecommendationSerializer gives, tests/recommendations/test_api.py)."""
        values_map = RecommendationSerializer.values_map
        page = self.paginate_queryset(queryset.values("id", *values_map.values()))
        commitments, themes = recommendation_codes(ids=[row["id"] for row in page])
        slugs = dict(Institution.objects.values_list("id", "slug"))
        rows = []
        for row in page:
            data = {name: row[column] for name, column in values_map.items()}
            data["institution"] = slugs[data["institution"]]
            data["commitments"], data["themes"] = commitments[row["id"]], themes[row["id"]]
            rows.append({name: data[name] for name in RecommendationSerializer.Meta.fields})
        return self.get_paginated_response(rows)

    def _csv_rows(self, queryset):
        for data in RecommendationSerializer(queryset.iterator(chunk_size=2000), many=True).data:
            yield [
                ";".join(value) if isinstance(value, list) else value
                for value in (data[name] for name in RECOMMENDATION_CSV_FIELDS)
            ]

    @extend_schema(request=RecommendationWriteSerializer, responses={201: RecommendationDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = RecommendationWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        recommendation = services.recommendation_create(
            user=request.user, commitments=data.pop("commitments"), themes=data.pop("themes", []), **data
        )
        self.action = "retrieve"
        recommendation = self.get_queryset().get(pk=recommendation.pk)
        return Response(RecommendationDetailSerializer(recommendation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description="Create a draft assessment of this recommendation, owned by the caller (reporters).",
        request=AssessmentWriteSerializer,
        responses={201: AssessmentStaffSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[ActionPermissions])
    def assessments(self, request, code=None):
        recommendation = self.get_object()
        serializer = AssessmentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_create_draft(
            recommendation=recommendation, user=request.user, **serializer.validated_data
        )
        response = Response(AssessmentStaffSerializer(assessment).data, status=status.HTTP_201_CREATED)
        response["ETag"] = version_tag(assessment)
        return response

    # ActionPermissions on the `assessments` action: reporters and reviewers write drafts.
    action_permissions = {"assessments": ["recommendations.add_assessment"]}


@extend_schema_view(
    list=extend_schema(
        description="Assessments. Anonymous callers see verified ones only; staff also see their own drafts and,"
        " reviewers, everything submitted. Nobody's identity is shown.",
        responses=AssessmentStaffSerializer,
    ),
    retrieve=extend_schema(responses=AssessmentStaffSerializer),
)
class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessments of recommendations, and their four-eyes review (the same steps, rules and codes as reports).

    Every step honours `If-Match` (412 if the assessment changed since it was read) and answers with its `ETag`.
    """

    permission_classes = [ActionPermissions]
    action_permissions = {
        "submit": ["recommendations.add_assessment"],
        "verify": ["recommendations.review_assessment"],
        "reject": ["recommendations.review_assessment"],
        "retract": ["recommendations.change_assessment"],
    }
    if_match_actions = {"submit", "verify", "reject", "retract"}
    etag_actions = {"retrieve", *if_match_actions}
    filter_backends = [OrderingFilter]
    ordering_fields = ["id", "assessed_on"]
    ordering = ["-id"]

    def get_queryset(self):
        return Assessment.objects.visible_to(self.request.user).select_related("recommendation")

    def get_serializer_class(self):
        if self.action in ("reject", "retract"):
            return AssessmentReasonSerializer
        if self.request and self.request.user.is_authenticated:
            return AssessmentStaffSerializer
        return AssessmentSerializer

    def _respond(self, assessment):
        assessment = self.get_queryset().get(pk=assessment.pk)
        staff = self.request.user.is_authenticated
        response = Response((AssessmentStaffSerializer if staff else AssessmentSerializer)(assessment).data)
        response["ETag"] = version_tag(assessment)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    @extend_schema(request=None, responses={200: AssessmentStaffSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft for review (its author only)."""
        return self._respond(
            services.assessment_submit(assessment=self.get_object(), user=request.user, if_match=if_match(request))
        )

    @extend_schema(request=None, responses={200: AssessmentStaffSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Publish a submitted assessment (a reviewer other than its submitter)."""
        return self._respond(
            services.assessment_verify(assessment=self.get_object(), user=request.user, if_match=if_match(request))
        )

    @extend_schema(request=AssessmentReasonSerializer, responses={200: AssessmentStaffSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a submitted assessment, with a reason (a reviewer other than its submitter)."""
        serializer = AssessmentReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_reject(
            assessment=self.get_object(),
            user=request.user,
            reason=serializer.validated_data["reason"],
            if_match=if_match(request),
        )
        return self._respond(assessment)

    @extend_schema(request=AssessmentReasonSerializer, responses={200: AssessmentStaffSerializer})
    @action(detail=True, methods=["post"])
    def retract(self, request, pk=None):
        """Withdraw an assessment, with a reason (its author or a reviewer). Never deleted."""
        serializer = AssessmentReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_retract(
            assessment=self.get_object(),
            user=request.user,
            reason=serializer.validated_data["reason"],
            if_match=if_match(request),
        )
        return self._respond(assessment)


class FollowUpIndexViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Follow-up index rows (per State or group, dimension or overall, period). See docs/methodology.md."""

    queryset = FollowUpIndex.objects.select_related("dimension", "group")
    serializer_class = FollowUpIndexSerializer
    filterset_class = FollowUpIndexFilter
    ordering_fields = ["period_start", "index"]
