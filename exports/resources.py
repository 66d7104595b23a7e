"""What can be exported: each resource's rows, filters and columns, taken from the app that serves its list.

The registry lives here, above the apps it reads (they know nothing of exports). Each resource
uses the list endpoint's own FilterSet, visibility rule, order and CSV columns, so an export job
holds exactly the rows `?format=csv` would stream for the same filters and the same caller.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError as APIValidationError

from commitments.api.filters import ReportFilter
from commitments.api.serializers import ReportSerializer
from commitments.api.views import REPORT_CSV_FIELDS, report_export_queryset
from commitments.models import Report
from scorecards.api.filters import ScorecardFilter
from scorecards.api.serializers import ScorecardSerializer
from scorecards.api.views import SCORECARD_CSV_FIELDS, ScorecardViewSet, scoring_method_param
from scorecards.models import Scorecard

MAX_FILTERS = 20
MAX_FILTER_VALUE_LENGTH = 200


class InvalidFilters(Exception):
    """Filters that name no filter of the resource, or values it refuses: field name -> messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class ExportResource:
    name: str
    filterset_class: type
    values_map: dict
    columns: list[str]
    # The rows `user` may see, in the export's order; `filters` for parameters outside the FilterSet.
    rows_for: Callable[..., QuerySet]
    parameters: dict[str, str] = field(default_factory=dict)  # name -> help, outside the FilterSet

    def filter_names(self) -> list[str]:
        return [*self.filterset_class.base_filters, *self.parameters]

    def rows(self, *, user, filters: dict[str, str]) -> QuerySet:
        """The filtered rows, or InvalidFilters naming each unknown filter and each refused value."""
        unknown = [name for name in filters if name not in self.filter_names()]
        if unknown:
            known = ", ".join(self.filter_names())
            raise InvalidFilters({name: [f"Unknown filter for {self.name}: use {known}."] for name in unknown})
        try:
            filterset = self.filterset_class(data=filters, queryset=self.rows_for(user=user, filters=filters))
            if not filterset.is_valid():
                raise InvalidFilters(
                    {name: [str(message) for message in errors] for name, errors in filterset.errors.items()}
                )
            return filterset.qs  # filter methods may still refuse a value (an unknown dimension): a 400 too
        except APIValidationError as exc:
            raise InvalidFilters(
                {name: [str(message) for message in messages] for name, messages in exc.detail.items()}
            ) from None


def _report_rows(*, user, filters) -> QuerySet:
    return report_export_queryset(Report.objects.visible_to(user))


def _scorecard_rows(*, user, filters) -> QuerySet:
    method = scoring_method_param(filters.get("method"))
    return Scorecard.objects.filter(method_version=method).order_by(*ScorecardViewSet.ordering)


RESOURCES = {
    resource.name: resource
    for resource in [
        ExportResource(
            name="reports",
            filterset_class=ReportFilter,
            values_map=ReportSerializer.values_map,
            columns=REPORT_CSV_FIELDS,
            rows_for=_report_rows,
        ),
        ExportResource(
            name="scorecards",
            filterset_class=ScorecardFilter,
            values_map=ScorecardSerializer.values_map,
            columns=SCORECARD_CSV_FIELDS,
            rows_for=_scorecard_rows,
            parameters={"method": "Scoring method, 1 or 2 (default 2)."},
        ),
    ]
}
