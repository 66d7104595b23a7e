"""Bare Django views: the floor the API is compared with.

Each returns the same rows as its API endpoint (same filter, ordering and page
size, the same joined columns) through `.values()` and `JsonResponse`: no DRF,
no serializers, no filter sets, no throttles. Served only under
`bench.settings`, never by the project's URLconf.
"""

from django.db import connection
from django.http import HttpRequest, JsonResponse

from commitments.models import Report, ReportSource
from recommendations.selectors import overdue_cutoff
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


# The recommendations list's page in one hand-written statement: the page first (newest source, then
# code), then each row's commitments and themes. Status and last assessment date are the columns the
# verify and retract steps keep; overdue and closed as the API defines them (recommendations/selectors.py).
RECOMMENDATIONS_PAGE = """
SELECT r.code, r.state_id AS state, i.slug AS institution, r.source_title, r.source_date, r.source_url,
       r.number, r.text, r.priority, r.addressee,
       ARRAY(SELECT c.code FROM recommendations_recommendation_commitments rc
             JOIN commitments_commitment c ON c.id = rc.commitment_id
             WHERE rc.recommendation_id = r.id ORDER BY c.code) AS commitments,
       ARRAY(SELECT t.slug FROM recommendations_recommendation_themes rt
             JOIN commitments_theme t ON t.id = rt.theme_id
             WHERE rt.recommendation_id = r.id ORDER BY t.slug) AS themes,
       r.status, r.last_assessed_on,
       r.status IN ('fully', 'no_longer_applicable') AS closed,
       r.status NOT IN ('fully', 'no_longer_applicable')
           AND COALESCE(r.last_assessed_on, r.source_date) <= %(cutoff)s AS overdue,
       r.is_synthetic
FROM (SELECT * FROM recommendations_recommendation ORDER BY source_date DESC, code LIMIT %(limit)s OFFSET %(offset)s) r
JOIN recommendations_institution i ON i.id = r.institution_id
ORDER BY r.source_date DESC, r.code
"""


def bare_recommendations(request: HttpRequest) -> JsonResponse:
    """Recommendations with status, overdue and closed, newest source first, numbered pages with a count."""
    size = _page_size(request)
    page = max(1, int(request.GET.get("page") or 1))
    params = {"cutoff": overdue_cutoff(), "limit": size, "offset": (page - 1) * size}
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM recommendations_recommendation")
        (count,) = cursor.fetchone()
        cursor.execute(RECOMMENDATIONS_PAGE, params)
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return JsonResponse({"count": count, "results": rows})
