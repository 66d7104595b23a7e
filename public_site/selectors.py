"""Reads for the public pages. Each builds one page's numbers in a fixed number of queries.

The public app writes nothing but subscriptions (through scorecards.subscriptions);
these functions only read the other apps' models.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Commitment, Dimension, Report, ReportKind, ReportSource, ReportStatus
from scorecards.charts import Point
from scorecards.models import DEFAULT_METHOD, GroupScorecard, Period, PeriodKind, Scorecard
from scorecards.selectors import scorecards_data_version
from states.models import Membership, State, StateGroup

OVERALL = "overall"
ALL_STATES = "all"
REPORTS_SHOWN = 10


@dataclass(frozen=True)
class Cell:
    """One score as a page shows it."""

    score: Decimal | None
    low: Decimal | None = None
    high: Decimal | None = None
    evidence: str | None = None
    coverage: Decimal | None = None
    rank: int | None = None
    trend: Decimal | None = None

    @property
    def is_thin(self) -> bool:
        return self.evidence in ("insufficient", "limited")

    @property
    def shows_number(self) -> bool:
        return self.score is not None and self.evidence != "insufficient"


@dataclass
class Column:
    slug: str
    name: str


@dataclass
class HeatRow:
    code: str
    name: str
    cells: list[Cell | None]


@dataclass
class Heatmap:
    period: Period
    method: int
    columns: list[Column]
    rows: list[HeatRow]
    group: StateGroup | None
    group_row: list[Cell | None]
    sort: str


def data_version() -> str:
    return scorecards_data_version()


def synthetic_reports_exist(*, version: str | None = None) -> bool:
    """Whether any report comes from the synthetic demo generator (cached per data version)."""
    key = f"public:synthetic:{version or data_version()}"
    present = cache.get(key)
    if present is None:
        present = Report.objects.filter(source=ReportSource.SYNTHETIC_DEMO).exists()
        cache.set(key, present, 24 * 3600)
    return present


def periods_computed(*, method: int = DEFAULT_METHOD) -> list[Period]:
    """Periods that have scorecards, newest first (quarters before their year when they start together)."""
    with_rows = Scorecard.objects.filter(period=OuterRef("pk"), method_version=method)
    return list(Period.objects.filter(Exists(with_rows)).order_by("-start", "end"))


def period_default(*, periods: list[Period], today: datetime.date | None = None) -> Period | None:
    """The latest computed period that has ended (its reports are in), else the latest that has begun,
    else the latest computed."""
    today = today or timezone.localdate()
    ended = [period for period in periods if period.end < today]
    started = [period for period in periods if period.start <= today]
    return (ended or started or periods or [None])[0]


def _cell(row) -> Cell:
    return Cell(
        score=row.score,
        low=row.score_low,
        high=row.score_high,
        evidence=row.evidence,
        coverage=getattr(row, "coverage", None),
        rank=getattr(row, "rank", None),
        trend=row.trend,
    )


def _columns() -> tuple[list[Column], list[int | None]]:
    dimensions = list(Dimension.objects.order_by("position", "name"))
    columns = [Column(dimension.slug, dimension.name) for dimension in dimensions] + [Column(OVERALL, _("Overall"))]
    return columns, [dimension.pk for dimension in dimensions] + [None]


def sort_keys(columns: list[Column]) -> list[str]:
    return ["name", "code", *(column.slug for column in columns)]


def heatmap_build(*, period: Period, group: StateGroup | None, sort: str, method: int = DEFAULT_METHOD) -> Heatmap:
    """Every participating State's scores in the period (or the group's members then), sorted.

    Five queries whatever the number of States: dimensions, States, their rows, the
    group's own rows and (for a group) nothing more, since membership is a join.
    """
    columns, dimension_ids = _columns()
    states = State.objects.participating_on(period.end)
    if group is not None:
        states = states.filter(memberships__in=Membership.objects.of_group_on(group, period.end)).distinct()
    states = list(states.order_by("name").values_list("code", "name"))
    by_key = {
        (row.state_id, row.dimension_id): row
        for row in Scorecard.objects.filter(period=period, method_version=method).only(
            "state_id", "dimension_id", "score", "score_low", "score_high", "evidence", "coverage", "rank", "trend"
        )
    }
    rows = [
        HeatRow(
            code=code,
            name=name,
            cells=[_cell(by_key[(code, pk)]) if (code, pk) in by_key else None for pk in dimension_ids],
        )
        for code, name in states
    ]
    group_rows = {
        row.dimension_id: row
        for row in GroupScorecard.objects.filter(period=period, method_version=method, group=group)
    }
    group_row = [_cell(group_rows[pk]) if pk in group_rows else None for pk in dimension_ids]
    return Heatmap(
        period=period,
        method=method,
        columns=columns,
        rows=_sorted(rows, sort=sort, columns=columns),
        group=group,
        group_row=group_row,
        sort=sort,
    )


def _sorted(rows: list[HeatRow], *, sort: str, columns: list[Column]) -> list[HeatRow]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    rows = sorted(rows, key=lambda row: row.name)
    if key == "name":
        return list(reversed(rows)) if descending else rows
    if key == "code":
        return sorted(rows, key=lambda row: row.code, reverse=descending)
    index = [column.slug for column in columns].index(key)

    def score(row: HeatRow):
        cell = row.cells[index]
        return cell.score if cell is not None and cell.shows_number else None

    scored = [row for row in rows if score(row) is not None]
    unscored = [row for row in rows if score(row) is None]
    # Rows without a number go last in either direction; ties keep name order.
    return sorted(scored, key=score, reverse=descending) + unscored


# A State's page.


@dataclass
class Series:
    """One dimension's (or overall) history: a point per quarter, with the rank in the latest period."""

    slug: str
    name: str
    points: list[Point]
    latest: Cell | None
    ranked: int


@dataclass
class StateProfile:
    state: State
    period: Period | None
    series: list[Series]
    memberships: list[Membership]
    reports: list[Report] = field(default_factory=list)


def state_profile(*, state: State, period: Period | None, method: int = DEFAULT_METHOD) -> StateProfile:
    """The State's quarterly history per dimension and overall, its rank in `period`, memberships and
    latest verified reports: six queries, whatever the number of periods."""
    columns, dimension_ids = _columns()
    rows = list(
        Scorecard.objects.filter(state=state, method_version=method)
        .filter(Q(period__kind=PeriodKind.QUARTER) | Q(period=period))
        .select_related("period")
        .order_by("period__start", "period__end")
    )
    ranked = {}
    if period is not None:
        ranked = dict(
            Scorecard.objects.filter(period=period, method_version=method, rank__isnull=False)
            .values_list("dimension_id")
            .annotate(n=Count("id"))
            .values_list("dimension_id", "n")
        )
    series = []
    for column, pk in zip(columns, dimension_ids, strict=True):
        mine = [row for row in rows if row.dimension_id == pk]
        points = [
            Point(row.period.label, row.score, row.score_low, row.score_high, row.coverage)
            for row in mine
            if row.period.kind == PeriodKind.QUARTER
        ]
        latest = next((_cell(row) for row in mine if period is not None and row.period_id == period.pk), None)
        series.append(Series(column.slug, column.name, points, latest, ranked.get(pk, 0)))
    memberships = list(
        Membership.objects.filter(state=state).select_related("group").order_by("group__name", "joined_on")
    )
    reports = list(
        Report.objects.filter(state=state, status=ReportStatus.VERIFIED)
        .select_related("commitment")
        .order_by("-observed_on", "-id")[:REPORTS_SHOWN]
    )
    return StateProfile(state=state, period=period, series=series, memberships=memberships, reports=reports)


# Commitments.


def commitments_list(
    *, dimension: Dimension | None = None, document=None, theme=None, search: str = ""
) -> list[Commitment]:
    """Commitments in natural code order (COP-1990-7.3 before COP-1990-10), filtered."""
    commitments = Commitment.objects.select_related("document", "dimension")
    if dimension is not None:
        commitments = commitments.filter(dimension=dimension)
    if document is not None:
        commitments = commitments.filter(document=document)
    if theme is not None:
        commitments = commitments.filter(themes=theme)
    search = (search or "").strip()
    if search:
        commitments = commitments.filter(
            Q(code__icontains=search) | Q(title__icontains=search) | Q(summary__icontains=search)
        )
    return list(commitments.distinct().order_by("sort_key", "code"))


@dataclass
class StateStatus:
    code: str
    name: str
    level: str | None
    level_observed_on: datetime.date | None
    report_id: int | None
    violations: int


def commitment_status_grid(*, commitment: Commitment, today: datetime.date | None = None) -> list[StateStatus]:
    """Every participating State's latest verified implementation level on the commitment, and its
    verified violations observed in the last 365 days: one query."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    verified = Report.objects.filter(state=OuterRef("pk"), commitment=commitment, status=ReportStatus.VERIFIED)
    latest = verified.filter(kind=ReportKind.IMPLEMENTATION).order_by("-observed_on", "-id")
    violations = (
        verified.filter(kind=ReportKind.VIOLATION, observed_on__gte=since, observed_on__lte=today)
        .order_by()
        .values("state")
        .annotate(n=Count("id"))
        .values("n")
    )
    states = (
        State.objects.participating_on(today)
        .annotate(
            level=Subquery(latest.values("level")[:1]),
            level_observed_on=Subquery(latest.values("observed_on")[:1]),
            report_id=Subquery(latest.values("id")[:1]),
            violations=Coalesce(Subquery(violations, output_field=IntegerField()), Value(0)),
        )
        .order_by("name")
        .values_list("code", "name", "level", "level_observed_on", "report_id", "violations")
    )
    return [StateStatus(*row) for row in states]


# Single objects the views look up.


def state_get(*, code: str) -> State | None:
    return State.objects.filter(code=code.upper()).first()


def period_get(*, label: str) -> Period | None:
    return Period.objects.filter(label=label).first()


def group_get(*, slug: str) -> StateGroup | None:
    return None if slug == ALL_STATES else StateGroup.objects.filter(slug=slug).first()


def groups_list() -> list[tuple[str, str]]:
    return list(StateGroup.objects.order_by("name").values_list("slug", "name"))


def commitment_get(*, code: str) -> Commitment | None:
    return (
        Commitment.objects.select_related("document", "dimension").prefetch_related("themes").filter(code=code).first()
    )
