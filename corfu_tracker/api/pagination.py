from django.conf import settings
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class StrictPageSizeMixin:
    """A page size the client may lower or raise up to the cap; anything else is a 400, not silently changed."""

    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"page_size": f"“{raw}” is not a whole number."}) from None
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({"page_size": f"Page size must be between 1 and {self.max_page_size}."})
        return size


class PageNumberPagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    pass


class ReportCursorPagination(StrictPageSizeMixin, pagination.CursorPagination):
    """Cursor pages for millions of rows: no COUNT, stable under inserts."""

    page_size = 50
    ordering = "-id"
