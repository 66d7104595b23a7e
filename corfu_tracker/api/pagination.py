from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


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
            raise ValidationError({"page_size": [f"“{raw}” is not a whole number."]}) from None
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({"page_size": [f"Page size must be between 1 and {self.max_page_size}."]})
        return size


class PageNumberPagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    pass


class ReportCursorPagination(StrictPageSizeMixin, pagination.CursorPagination):
    """Cursor pages for millions of rows: no COUNT, stable under inserts."""

    page_size = 50
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        # A hand-made cursor can carry a position that is not a value of the ordering field; DRF would pass it
        # to the database as is (a 500). It is an invalid cursor like any other.
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
            except FieldDoesNotExist:
                return cursor
            try:
                field.to_python(cursor.position)
            except DjangoValidationError:
                raise NotFound(self.invalid_cursor_message) from None
        return cursor
