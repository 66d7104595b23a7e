"""Bare Django views: the floor the API is compared with.

Each returns the same rows as its API endpoint (same filter, ordering and page
size, the same joined columns) through `.values()` and `JsonResponse`: no DRF,
no serializers, no filter sets, no throttles. Served only under
`bench.settings`, never by the project's URLconf.
"""

from django.http import HttpRequest, JsonResponse

from commitments.models import Report, ReportSource
from scorecards.models import Scorecard

REPORT_COLUMNS = [
    "id",
    "state_id",
    "commitment__code",
    "commitment__dimension__slug",
    "kind",
    "level",
    "severity",
    "observed_on",
    "summary",
    "source",
    "source_url",
    "citation",
    "status",
    "corrects_id",
    "created_at",
]

SCORECARD_COLUMNS = [
    "id",
    "period__label",
    "period__kind",
    "period__start",
    "period__end",
    "dimension__slug",
    "method_version",
    "score",
    "score_low",
    "score_high",
    "evidence",
    "trend",
    "state_id",
    "state__name",
    "coverage",
    "assessed_count",
    "in_force_count",
    "report_count",
    "violation_count",
    "rank",
    "method_version",
    "computed_at",
]


def _page_size(request: HttpRequest, default: int = 50) -> int:
    return max(1, min(500, int(request.GET.get("page_size") or default)))


def bare_reports(request: HttpRequest) -> JsonResponse:
    """Verified reports, newest first, keyset-paged by id like the API's cursor pages."""
    size = _page_size(request)
    queryset = Report.objects.verified().order_by("-id")
    before = request.GET.get("before")
    if before:
        queryset = queryset.filter(id__lt=int(before))
    rows = list(queryset.values(*REPORT_COLUMNS)[: size + 1])
    page, more = rows[:size], len(rows) > size
    for row in page:
        row["is_synthetic"] = row["source"] == ReportSource.SYNTHETIC_DEMO
    return JsonResponse({"next": page[-1]["id"] if more else None, "results": page})


def bare_scorecards(request: HttpRequest) -> JsonResponse:
    """One period's method-2 State scorecards (the API's default) in the API's order, numbered pages with a count."""
    size = _page_size(request)
    page = max(1, int(request.GET.get("page") or 1))
    queryset = Scorecard.objects.filter(method_version=2).order_by("period__start", "state_id", "dimension_id")
    if request.GET.get("period"):
        queryset = queryset.filter(period__label=request.GET["period"])
    rows = list(queryset.values(*SCORECARD_COLUMNS)[(page - 1) * size : page * size])
    return JsonResponse({"count": queryset.count(), "results": rows})
