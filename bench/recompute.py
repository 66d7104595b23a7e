"""Scorecard recompute of one year: the project's service against the floor SELECT."""

import time

from scorecards.services import scorecards_compute_year

from .floor import compare, floor_rows, project_rows, year_periods


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def run(*, year: int, repeats: int = 3) -> dict:
    """Warm up both, then `repeats` interleaved runs of each; best times, and the rows compared."""
    scorecards_compute_year(year=year)
    floor_rows(year)
    project_times, floor_times = [], []
    floor = None
    for _ in range(repeats):
        seconds, _ = _timed(scorecards_compute_year, year=year)
        project_times.append(seconds)
        seconds, floor = _timed(floor_rows, year)
        floor_times.append(seconds)
    # Diagnostic: the same floor statement once per period, as the project runs its statements.
    per_period_times = []
    for _ in range(repeats):
        started = time.perf_counter()
        for period in year_periods(year):
            floor_rows(year, periods=[period])
        per_period_times.append(time.perf_counter() - started)
    comparison = compare(floor, project_rows(year))
    overall = [values for (label, _, dimension), values in floor.items() if dimension is None and label == str(year)]
    coverage = sum(float(values[1]) for values in overall) / len(overall) if overall else 0.0
    return {
        "year": year,
        "project_seconds": min(project_times),
        "floor_seconds": min(floor_times),
        "project_runs": project_times,
        "floor_runs": floor_times,
        "ratio": min(project_times) / min(floor_times),
        "floor_per_period_seconds": min(per_period_times),
        "rows": comparison.rows,
        "identical": comparison.identical,
        "comparison": comparison.describe(),
        "mean_overall_coverage": round(coverage, 4),
    }
