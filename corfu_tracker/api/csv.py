"""Streaming CSV: rows leave the database in chunks of about 64 KB and are sent as they come.

A list with more than EXPORT_SYNC_MAX_ROWS matching rows is not streamed: the answer is a
400 pointing at the export job (`POST /api/v1/exports/`) for the same rows, since a
response that long may be cut off by the web server with nothing to tell the client.
"""

import csv
import io

from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer

from corfu_tracker.exporting import CHUNK_BYTES, csv_chunks, export_rows
from corfu_tracker.spreadsheets import spreadsheet_safe

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# `?format=` of the lists whose CSV is bounded and backed by an export job (CSVListMixin.csv_response).
BOUNDED_CSV_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="`csv` streams every matching row, up to 100,000 (`EXPORT_SYNC_MAX_ROWS`): more is "
    "a 400 giving the export job (`POST /api/v1/exports/`) for the same rows.",
)


class CSVRenderer(BaseRenderer):
    """Registers `?format=csv`; list views answer it with `stream_csv` instead of rendering data."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # A fallback: list views stream instead, and CSVListMixin answers errors in JSON.
        writer = csv.writer(_Echo())
        rows = data.items() if isinstance(data, dict) else [[data]]
        return "".join(writer.writerow([spreadsheet_safe(cell) for cell in row]) for row in rows).encode()


class CSVListMixin:
    """`?format=csv` on the list action only; errors (a bad filter, say) stay JSON whatever format was asked for.

    `export_resource` names the same rows for an export job (exports/resources.py), which a list too long to
    stream points to.
    """

    export_resource: str | None = None
    export_parameters: tuple[str, ...] = ()  # query parameters outside the FilterSet that select rows too

    def get_renderers(self):
        renderers = super().get_renderers()
        if self._on_list_route():
            renderers.append(CSVRenderer())
        return renderers

    def _on_list_route(self) -> bool:
        action = getattr(self, "action", None)
        if action is None:
            # A method the route does not take: accept the format so the answer is the 405 it deserves.
            return "list" in (getattr(self, "action_map", None) or {}).values()
        return action == "list"

    def wants_csv(self, request) -> bool:
        return isinstance(getattr(request, "accepted_renderer", None), CSVRenderer)

    def handle_exception(self, exc):
        if self.wants_csv(self.request):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def csv_response(self, queryset, *, values_map: dict, names: list[str], filename: str):
        """Every row of `queryset` (filtered, ordered) as streamed CSV, or the 400 pointing to an export job."""
        self.refuse_if_too_long_to_stream(queryset)
        return _attachment(csv_chunks(export_rows(queryset, values_map=values_map, names=names)), filename)

    def refuse_if_too_long_to_stream(self, queryset) -> None:
        """The 400 pointing to an export job when more than EXPORT_SYNC_MAX_ROWS rows match."""
        limit = settings.EXPORT_SYNC_MAX_ROWS
        if limit and queryset.order_by()[: limit + 1].count() > limit:
            raise ValidationError(self._export_job_pointer(limit))

    def _export_job_pointer(self, limit: int) -> dict:
        filterset_class = getattr(self, "filterset_class", None)
        known = {*(filterset_class.base_filters if filterset_class else ()), *self.export_parameters}
        filters = {name: value for name, value in self.request.query_params.items() if name in known}
        return {
            "format": [
                f"More than {limit:,} rows match: too many to stream in one response. Ask for an export job "
                "instead: POST the body in `export_job` to its `url`, then follow the job's status until its "
                "file is ready to download."
            ],
            "export_job": {
                "method": "POST",
                "url": self.request.build_absolute_uri(reverse("export-list")),
                "body": {"resource": self.export_resource, "filters": filters, "format": "csv"},
            },
        }


class _Echo:
    def write(self, value):
        return value


def _attachment(chunks, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stream_csv(*, rows, header: list[str], filename: str) -> StreamingHttpResponse:
    """Rows computed in Python: every text cell goes through `spreadsheet_safe`, sent in ~64 KB chunks."""

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow([spreadsheet_safe(cell) for cell in row])
            if buffer.tell() >= CHUNK_BYTES:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode()

    return _attachment(chunks(), filename)
