"""Export jobs: `POST /api/v1/exports/` queues one (202), `GET .../{id}/` follows it, `.../download/` fetches it."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from corfu_tracker.api.schema import ErrorDetailSerializer

from .. import services
from ..models import MEDIA_TYPES, ExportFormat, ExportJob, ExportStatus
from .serializers import ExportJobCreateSerializer, ExportJobSerializer

UUID_PATTERN = "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


class NotReady(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_ready"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "expired"


class _FileRenderer(BaseRenderer):
    """Lets a client ask for the file's media type; the download answers with a FileResponse, not rendered data."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CSVFileRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class ParquetFileRenderer(_FileRenderer):
    media_type = MEDIA_TYPES[ExportFormat.PARQUET]
    format = "parquet"


EXAMPLE = OpenApiExample(
    "Verified human-dimension reports on Austria",
    value={"resource": "reports", "filters": {"state": "AT", "dimension": "human"}, "format": "csv"},
    request_only=True,
)


@extend_schema_view(
    create=extend_schema(
        request=ExportJobCreateSerializer,
        responses={202: ExportJobSerializer},
        examples=[EXAMPLE],
        description="Queue an export of every row a list would give for these filters. Anonymous callers export "
        "published rows only. Answers 202 at once; follow `url` until `status` is `done`, then fetch "
        "`download_url`. An unknown filter or a refused value is a 400 naming it under `filters`.",
    ),
    retrieve=extend_schema(
        description="The job's status, and once done its row count, byte size, SHA-256 and download link. Only "
        "its requester reads a signed-in user's job; an anonymous job is read by whoever holds its id.",
    ),
)
class ExportJobViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Export jobs: a Celery worker writes every matching row to a file, which expires after a few days."""

    serializer_class = ExportJobSerializer
    permission_classes = [permissions.AllowAny]
    lookup_value_regex = UUID_PATTERN
    throttle_scope = "exports"

    def get_queryset(self):
        return ExportJob.objects.visible_to(self.request.user)

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(ScopedRateThrottle())
        return throttles

    def handle_exception(self, exc):
        # A refused download is JSON, whichever file type the client asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def create(self, request, *args, **kwargs):
        serializer = ExportJobCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = services.export_job_create(
            user=request.user, resource=data["resource"], filters=data["filters"], file_format=data["format"]
        )
        job.refresh_from_db()  # with Celery eager (the embedded default) the job has run already
        body = ExportJobSerializer(job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, MEDIA_TYPES[ExportFormat.PARQUET]): OpenApiTypes.BINARY,
            (409, "application/json"): OpenApiResponse(
                ErrorDetailSerializer, description="Not ready: the job is queued, running or failed."
            ),
            (410, "application/json"): OpenApiResponse(
                ErrorDetailSerializer, description="Expired: the file was deleted."
            ),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONRenderer, CSVFileRenderer, ParquetFileRenderer],
    )
    def download(self, request, pk=None):
        """The file, once the job is done (with its SHA-256 as the ETag)."""
        job = self.get_object()
        current = job.current_status()
        if current == ExportStatus.EXPIRED:
            raise Gone(f"This export expired on {job.expires_at:%Y-%m-%d %H:%M} UTC: request a new one.")
        if current != ExportStatus.DONE:
            detail = f"The export is {current}" + (f": {job.error}" if job.error else "; try again shortly.")
            raise NotReady(detail)
        response = FileResponse(
            job.path.open("rb"), as_attachment=True, filename=job.download_name, content_type=job.media_type
        )
        response["ETag"] = f'"{job.sha256}"'
        return response
