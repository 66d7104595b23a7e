"""Reads: the figures of every series in one query, a series' weekly values, alert lists and response times."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    FloatField,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from commitments.models import Report, ReportKind, ReportStatus

from .detector import DEFAULT, SEVERITY_WEIGHTS, Figures, Parameters, Windows, week_index, windows_for
from .models import EARLY_WARNING_GROUP, Alert, AlertStatus

SeriesKey = tuple[str, int]  # (state code, dimension id)


def _weight() -> Case:
    return Case(
        *[When(severity=severity, then=Value(weight)) for severity, weight in SEVERITY_WEIGHTS.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )


def _verified_violations():
    return Report.objects.filter(status=ReportStatus.VERIFIED, kind=ReportKind.VIOLATION)


def series_figures(
    *,
    as_of: datetime.date,
    state_code: str | None = None,
    dimension_id: int | None = None,
    params: Parameters = DEFAULT,
) -> dict[SeriesKey, Figures]:
    """The figures of every series with a verified violation in the baseline or window: one grouped query.

    Sums of the weekly series: the window is weeks 0..W-1 counted back from `as_of`, the baseline the B weeks before.
    """
    windows = windows_for(as_of, params)
    in_window = Q(observed_on__gte=windows.window_start)
    weight = _weight()
    squared = Case(
        *[When(severity=s, then=Value(w * w)) for s, w in SEVERITY_WEIGHTS.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    grave_non_derogable = Count("pk", filter=in_window & Q(severity="grave", commitment__non_derogable=True))
    queryset = _verified_violations().filter(
        observed_on__gte=windows.baseline_start, observed_on__lte=windows.window_end
    )
    if state_code is not None:
        queryset = queryset.filter(state_id=state_code)
    if dimension_id is not None:
        queryset = queryset.filter(commitment__dimension_id=dimension_id)
    rows = (
        queryset.values("state_id", "commitment__dimension_id")
        .order_by()
        .annotate(
            observed_weight=Coalesce(Sum(weight, filter=in_window), 0.0),
            observed_reports=Count("pk", filter=in_window),
            observed_weight_squares=Coalesce(Sum(squared, filter=in_window), 0.0),
            baseline_weight=Coalesce(Sum(weight, filter=~in_window), 0.0),
            baseline_reports=Count("pk", filter=~in_window),
            baseline_weight_squares=Coalesce(Sum(squared, filter=~in_window), 0.0),
            grave_non_derogable=grave_non_derogable,
        )
    )
    return {
        (row["state_id"], row["commitment__dimension_id"]): Figures(
            observed_weight=float(row["observed_weight"]),
            observed_reports=row["observed_reports"],
            observed_weight_squares=float(row["observed_weight_squares"]),
            baseline_weight=float(row["baseline_weight"]),
            baseline_reports=row["baseline_reports"],
            baseline_weight_squares=float(row["baseline_weight_squares"]),
            grave_non_derogable=int(row["grave_non_derogable"]),
        )
        for row in rows
    }


def window_report_ids(*, state_code: str, dimension_id: int, windows: Windows) -> list[int]:
    """The verified violation reports in a window: the reports behind an alert."""
    return list(
        _verified_violations()
        .filter(
            state_id=state_code,
            commitment__dimension_id=dimension_id,
            observed_on__gte=windows.window_start,
            observed_on__lte=windows.window_end,
        )
        .order_by("observed_on", "pk")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class WeeklySeries:
    as_of: datetime.date
    weeks: list[datetime.date]  # the last day of each week, oldest first
    weights: list[float]
    window_weeks: int
    baseline_weekly_rate: float


def weekly_series(
    *, state_code: str, dimension_id: int, as_of: datetime.date, params: Parameters = DEFAULT
) -> WeeklySeries:
    """The severity-weighted weekly series of the baseline and window ending `as_of` (for the admin chart)."""
    windows = windows_for(as_of, params)
    total_weeks = params.window_weeks + params.baseline_weeks
    sums = [0.0] * total_weeks
    rows = (
        _verified_violations()
        .filter(
            state_id=state_code,
            commitment__dimension_id=dimension_id,
            observed_on__gte=windows.baseline_start,
            observed_on__lte=as_of,
        )
        .values("observed_on", "severity")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in rows:
        index = week_index(as_of=as_of, observed_on=row["observed_on"])
        sums[total_weeks - 1 - index] += SEVERITY_WEIGHTS[row["severity"]] * row["n"]
    weeks = [as_of - datetime.timedelta(days=7 * (total_weeks - 1 - i)) for i in range(total_weeks)]
    baseline = sum(sums[: params.baseline_weeks])
    rate = max(baseline / params.baseline_weeks, params.min_weekly_rate)
    return WeeklySeries(as_of, weeks, sums, params.window_weeks, rate)


# Alerts ------------------------------------------------------------------------------------------


def alert_staff_can_see(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name=EARLY_WARNING_GROUP).exists())
    )


def alert_list(*, user, public: bool):
    """The alerts a caller may read: all for Early warning staff; open and closed (no acknowledged) when public."""
    queryset = Alert.objects.select_related("state", "dimension")
    if alert_staff_can_see(user):
        return queryset
    if public:
        return queryset.filter(status__in=[AlertStatus.OPEN, AlertStatus.CLOSED])
    return queryset.none()


def alert_response_times(*, state_code: str | None = None, year: int | None = None) -> list[dict]:
    """Per State and year opened: alerts, those with an action, closed ones, mean days to first action and to close."""
    first_action = Min("actions__taken_on")
    queryset = Alert.objects.all()
    if state_code:
        queryset = queryset.filter(state_id=state_code)
    if year:
        queryset = queryset.filter(opened_at__year=year)
    alerts = queryset.annotate(first_action_on=first_action, year=ExtractYear("opened_at")).values(
        "pk", "state_id", "year", "opened_at", "closed_at", "first_action_on"
    )
    groups: dict[tuple[str, int], dict] = defaultdict(lambda: {"alerts": 0, "to_action": [], "to_close": []})
    for alert in alerts:
        group = groups[(alert["state_id"], alert["year"])]
        group["alerts"] += 1
        opened_on = alert["opened_at"].date()
        if alert["first_action_on"]:
            group["to_action"].append((alert["first_action_on"] - opened_on).days)
        if alert["closed_at"]:
            group["to_close"].append((alert["closed_at"] - alert["opened_at"]).total_seconds() / 86400)

    def mean(values):
        return round(sum(values) / len(values), 1) if values else None

    return [
        {
            "state": state,
            "year": year,
            "alerts": group["alerts"],
            "with_action": len(group["to_action"]),
            "closed": len(group["to_close"]),
            "mean_days_to_first_action": mean(group["to_action"]),
            "mean_days_to_close": mean(group["to_close"]),
        }
        for (state, year), group in sorted(groups.items())
    ]
