"""Streaming CSV: rows leave the database in chunks and are written as they come."""

import csv

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer, JSONRenderer

from corfu_tracker.spreadsheets import spreadsheet_safe


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
    """`?format=csv` on the list action only; errors (a bad filter, say) stay JSON whatever format was asked for."""

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


class _Echo:
    def write(self, value):
        return value


def stream_csv(*, rows, header: list[str], filename: str) -> StreamingHttpResponse:
    """Every text cell goes through `spreadsheet_safe`: no cell starts a formula in a spreadsheet."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([spreadsheet_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
