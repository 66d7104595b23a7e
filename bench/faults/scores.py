"""Is a period's scorecard set whole, and is it right? (Shared by the recompute faults.)"""

from django.conf import settings
from django.db.models import Max

from commitments.models import Dimension
from scorecards.models import Period, Scorecard
from states.models import State

from ..floor import compare, floor_rows, project_rows
from .common import check


def snapshot(label: str) -> dict:
    rows = list(
        Scorecard.objects.filter(period__label=label).values_list("state_id", "dimension_id", "method_version", "score")
    )
    return {
        "rows": len(rows),
        "distinct": len({(state, dimension, method) for state, dimension, method, _ in rows}),
        "scores": sorted(rows, key=lambda row: (row[0], row[1] or 0, row[2])),
        "computed_at": Scorecard.objects.filter(period__label=label).aggregate(latest=Max("computed_at"))["latest"],
    }


def expected_rows(label: str) -> int:
    period = Period.objects.get(label=label)
    methods = len(settings.SCORING_METHODS)
    return State.objects.filter(admitted_on__lte=period.end).count() * (Dimension.objects.count() + 1) * methods


def check_whole_and_right(label: str) -> dict:
    """States x (dimensions + overall) x methods rows, no duplicates, and the same scores as the floor computes now."""
    period = Period.objects.get(label=label)
    seen = snapshot(label)
    expected = expected_rows(label)
    check(seen["rows"] == expected, f"{label}: {seen['rows']} scorecards, expected {expected}")
    check(seen["distinct"] == seen["rows"], f"{label}: duplicate (State, dimension, method) rows")
    floor = floor_rows(period.start.year, periods=[(period.label, period.start, period.end)])
    stored = {key: values for key, values in project_rows(period.end.year).items() if key[0] == label}
    comparison = compare(floor, stored)
    check(comparison.identical, f"{label}: stored scores differ from the floor: {comparison.describe()}")
    return {"rows": seen["rows"], "expected_rows": expected, "matches_floor": True}
