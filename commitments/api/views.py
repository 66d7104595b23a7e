from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from corfu_tracker.api.csv import BOUNDED_CSV_FORMAT_PARAMETER, CSVListMixin, stream_csv
from corfu_tracker.api.filters import SearchFilter
from corfu_tracker.api.pagination import ReportCursorPagination
from corfu_tracker.api.permissions import ActionPermissions, CatalogueWritePermission
from corfu_tracker.api.values import values_page_response
from corfu_tracker.workflow import version_tag

from .. import services
from ..imports import IMPORT_COLUMN_NAMES, report_import_row
from ..models import Commitment, Dimension, Report, SourceDocument, Theme
from .filters import CommitmentFilter, ReportFilter, SourceDocumentFilter
from .serializers import (
    CommitmentDetailSerializer,
    CommitmentSerializer,
    DimensionSerializer,
    ReasonSerializer,
    ReportSerializer,
    ReportStaffSerializer,
    ReportWriteSerializer,
    SourceDocumentSerializer,
    ThemeSerializer,
)

CATALOGUE_METHODS = ["get", "post", "put", "patch", "head", "options"]


class DimensionViewSet(viewsets.ReadOnlyModelViewSet):
    """The three dimensions of security."""

    queryset = Dimension.objects.all()
    serializer_class = DimensionSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-z0-9_]+"
    pagination_class = None


class ThemeViewSet(viewsets.ModelViewSet):
    """Themes, starting with the eight Corfu Process topics."""

    queryset = Theme.objects.all()
    serializer_class = ThemeSerializer
    permission_classes = [CatalogueWritePermission]
    lookup_field = "slug"
    lookup_value_regex = "[-a-z0-9_]+"
    http_method_names = CATALOGUE_METHODS


class SourceDocumentViewSet(viewsets.ModelViewSet):
    """OSCE/CSCE documents holding commitments, by code (COP-1990)."""

    queryset = SourceDocument.objects.prefetch_related("dimensions")
    serializer_class = SourceDocumentSerializer
    permission_classes = [CatalogueWritePermission]
    lookup_field = "code"
    lookup_value_regex = "[-A-Za-z0-9_]+"
    filterset_class = SourceDocumentFilter
    ordering_fields = ["adopted_on", "code"]
    http_method_names = CATALOGUE_METHODS


class CommitmentViewSet(viewsets.ModelViewSet):
    """The catalogue of commitments, by stable code (COP-1990-7.3)."""

    queryset = Commitment.objects.select_related("document", "dimension").prefetch_related("themes")
    serializer_class = CommitmentSerializer
    permission_classes = [CatalogueWritePermission]
    lookup_field = "code"
    lookup_value_regex = "[-A-Za-z0-9.]+"
    filterset_class = CommitmentFilter
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    search_fields = ["code", "title", "summary"]
    ordering_fields = ["code", "in_force_from", "weight"]
    http_method_names = CATALOGUE_METHODS

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("relations_out__target", "relations_in__source")
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CommitmentDetailSerializer
        return CommitmentSerializer


# The CSV export's columns: fields of the public report rows (ReportSerializer.values_map).
REPORT_CSV_FIELDS = [
    "id",
    "state",
    "commitment",
    "dimension",
    "kind",
    "level",
    "severity",
    "observed_on",
    "source",
    "source_url",
    "status",
    "summary",
]

# `?format=csv&layout=...`: the documented public columns above, or the bulk import's columns.
CSV_LAYOUTS = ["default", "import"]


def report_export_queryset(queryset):
    """The order of every CSV of reports, streamed or written by an export job: newest first."""
    return queryset.order_by("-id")


STAFF_FIELDS_NOTE = (
    "Staff (Reporters and Reviewers) also get who created, submitted and reviewed each report, when, and any"
    " rejection or retraction reason (as in the responses of the write operations)."
)
ETAG_NOTE = (
    " The `ETag` header names the version read; send it back in `If-Match` on an edit or a workflow step to"
    " have the step refused (412) if the report changed meanwhile."
)


def sees_workflow_fields(user) -> bool:
    """Staff (anyone who may view reports in the admin) see who did what; the public and roleless users do not."""
    return bool(user and user.is_authenticated and user.has_perm("commitments.view_report"))


def if_match(request) -> list[str] | None:
    """The entity tags of the `If-Match` header, or None when the caller sent none."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    return [tag.strip() for tag in header.split(",") if tag.strip()]


REPORT_EXAMPLE = OpenApiExample(
    "A violation report",
    value={
        "state": "AT",
        "commitment": "COP-1990-7.3",
        "kind": "violation",
        "severity": "serious",
        "observed_on": "2010-05-04",
        "source": "odihr",
        "source_url": "https://www.osce.org/odihr/elections",
        "summary": "Observers found that voters abroad could not register in time.",
    },
    request_only=True,
)


def _report_link(operation_id: str, description: str, *, if_match: bool = False) -> dict:
    """An OpenAPI link to a report operation, naming the report by the `id` in the response body."""
    parameters = {"id": "$response.body#/id"}
    if if_match:
        parameters["header.If-Match"] = "$response.header.ETag"
    return {"operationId": operation_id, "parameters": parameters, "description": description}


GET = _report_link("reports_retrieve", "Read the report again.")
EDIT = _report_link("reports_partial_update", "Edit the draft, refused (412) if it changed since.", if_match=True)
SUBMIT = _report_link("reports_submit_create", "Send the draft for review.", if_match=True)
VERIFY = _report_link("reports_verify_create", "Publish it (a reviewer other than its submitter).", if_match=True)
REJECT = _report_link("reports_reject_create", "Reject it with a reason (a reviewer other than its submitter).")
RETRACT = _report_link("reports_retract_create", "Withdraw it with a reason.")


@extend_schema_view(
    list=extend_schema(
        description="Reports, newest first, in cursor pages. Anonymous callers see verified reports only. "
        + STAFF_FIELDS_NOTE,
        parameters=[
            BOUNDED_CSV_FORMAT_PARAMETER,
            OpenApiParameter(
                "layout",
                str,
                enum=list(CSV_LAYOUTS),
                description="With `format=csv`: `import` writes the columns and formats of the bulk import "
                "(`manage.py import_reports`, the admin's import), so the file imports into another database.",
            ),
        ],
        responses={(200, "application/json"): ReportSerializer, (200, "text/csv"): OpenApiTypes.STR},
    ),
    retrieve=extend_schema(
        description=STAFF_FIELDS_NOTE + ETAG_NOTE,
        responses=ReportSerializer,
    ),
)
class ReportViewSet(
    CSVListMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Implementation and violation reports. Anonymous callers see verified reports only."""

    permission_classes = [ActionPermissions]
    # Reporters create, edit and submit; Reviewers also review (commitments/staff_groups.py).
    action_permissions = {
        "create": ["commitments.add_report"],
        "update": ["commitments.change_report"],
        "partial_update": ["commitments.change_report"],
        "submit": ["commitments.add_report"],
        "verify": ["commitments.review_report"],
        "reject": ["commitments.review_report"],
        "retract": ["commitments.change_report"],
    }
    # Operations that honour `If-Match`, and those whose answer carries an `ETag` (corfu_tracker.api.schema
    # documents both, and the 412).
    if_match_actions = {"update", "partial_update", "submit", "verify", "reject", "retract"}
    etag_actions = {"retrieve", "create", *if_match_actions}
    # What can follow each answer (corfu_tracker.api.schema adds them to the schema as OpenAPI links).
    # The last steps (verify, reject, retract) lead nowhere new: a client reads the report again.
    openapi_links = {
        "create": {"201": {"GetReport": GET, "EditDraft": EDIT, "SubmitDraft": SUBMIT}},
        "retrieve": {"200": {"EditDraft": EDIT, "SubmitDraft": SUBMIT}},
        "partial_update": {"200": {"SubmitDraft": SUBMIT}},
        "update": {"200": {"SubmitDraft": SUBMIT}},
        "submit": {"200": {"VerifyReport": VERIFY, "RejectReport": REJECT, "RetractReport": RETRACT}},
    }
    filterset_class = ReportFilter
    export_resource = "reports"
    pagination_class = ReportCursorPagination
    ordering_fields = ["id", "observed_on"]
    ordering = ["-id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Report.objects.visible_to(self.request.user).select_related("commitment__dimension")
        if sees_workflow_fields(self.request.user):
            queryset = queryset.select_related("created_by", "submitted_by", "reviewed_by")
        return queryset

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ReportWriteSerializer
        if self.action in ("reject", "retract"):
            return ReasonSerializer
        if self.request and sees_workflow_fields(self.request.user):
            return ReportStaffSerializer
        return ReportSerializer

    def list(self, request, *args, **kwargs):
        if self.wants_csv(request):
            layout = request.query_params.get("layout", "default")
            if layout not in CSV_LAYOUTS:
                raise ValidationError({"layout": [f"Unknown layout “{layout}”: use {' or '.join(CSV_LAYOUTS)}."]})
            queryset = report_export_queryset(self.filter_queryset(self.get_queryset()))
            if layout == "import":
                self.refuse_if_too_long_to_stream(queryset)
                rows = map(report_import_row, queryset.select_related("commitment").iterator(chunk_size=2000))
                return stream_csv(rows=rows, header=IMPORT_COLUMN_NAMES, filename="reports-import.csv")
            return self.csv_response(
                queryset, values_map=ReportSerializer.values_map, names=REPORT_CSV_FIELDS, filename="reports.csv"
            )
        queryset = self.filter_queryset(self.get_queryset())
        return values_page_response(self, queryset, self.get_serializer_class().values_map)

    def _respond(self, report, status_code=status.HTTP_200_OK):
        report = self.get_queryset().get(pk=report.pk)
        serializer_class = ReportStaffSerializer if sees_workflow_fields(self.request.user) else ReportSerializer
        response = Response(serializer_class(report, context=self.get_serializer_context()).data, status=status_code)
        response["ETag"] = version_tag(report)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    @extend_schema(
        description="Create a draft owned by the caller, naming the State and commitment by their codes.",
        request=ReportWriteSerializer,
        responses={201: ReportStaffSerializer},
        examples=[REPORT_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        serializer = ReportWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        report = services.report_create_draft(user=request.user, **serializer.validated_data)
        return self._respond(report, status.HTTP_201_CREATED)

    @extend_schema(request=ReportWriteSerializer, responses={200: ReportStaffSerializer})
    def update(self, request, *args, **kwargs):
        report = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = ReportWriteSerializer(
            report, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        report = services.report_update_draft(
            report=report, user=request.user, if_match=if_match(request), **serializer.validated_data
        )
        return self._respond(report)

    @extend_schema(request=ReportWriteSerializer, responses={200: ReportStaffSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=None, responses={200: ReportStaffSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft for review (its author only)."""
        return self._respond(
            services.report_submit(report=self.get_object(), user=request.user, if_match=if_match(request))
        )

    @extend_schema(request=None, responses={200: ReportStaffSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Publish a submitted report (a reviewer other than its submitter)."""
        return self._respond(
            services.report_verify(report=self.get_object(), user=request.user, if_match=if_match(request))
        )

    @extend_schema(request=ReasonSerializer, responses={200: ReportStaffSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a submitted report, with a reason (a reviewer other than its submitter)."""
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_reject(
            report=self.get_object(),
            user=request.user,
            reason=serializer.validated_data["reason"],
            if_match=if_match(request),
        )
        return self._respond(report)

    @extend_schema(request=ReasonSerializer, responses={200: ReportStaffSerializer})
    @action(detail=True, methods=["post"])
    def retract(self, request, pk=None):
        """Withdraw a report, with a reason (its author or a reviewer). Reports are never deleted."""
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_retract(
            report=self.get_object(),
            user=request.user,
            reason=serializer.validated_data["reason"],
            if_match=if_match(request),
        )
        return self._respond(report)
