"""Scorecard recompute of one year (methods 1 and 2 together): the project's service against the floor SELECT."""

import os
import statistics
import time

from scorecards.services import scorecards_compute_year

from .floor import compare, floor_rows, project_rows, year_periods


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def run(*, year: int, repeats: int = 3) -> dict:
    """Warm up both, then `repeats` interleaved pairs (project, floor); the median of the pairs' ratios.

    The machine is shared: each pair runs back to back under about the same load, so the
    median ratio of the pairs is steadier than a ratio of best times. Both are recorded.
    """
    load_before = os.getloadavg()
    scorecards_compute_year(year=year)
    floor_rows(year)
    project_times, floor_times = [], []
    floor = None
    for index in range(repeats):
        if index % 2:  # alternate which side goes first, so neither always gets the warmer cache
            seconds, floor = _timed(floor_rows, year)
            floor_times.append(seconds)
            seconds, _ = _timed(scorecards_compute_year, year=year)
            project_times.append(seconds)
        else:
            seconds, _ = _timed(scorecards_compute_year, year=year)
            project_times.append(seconds)
            seconds, floor = _timed(floor_rows, year)
            floor_times.append(seconds)
    pair_ratios = [project / floor_seconds for project, floor_seconds in zip(project_times, floor_times, strict=True)]
    # Diagnostic: the same floor statement once per period, as the project runs its statements.
    per_period_times = []
    for _ in range(repeats):
        started = time.perf_counter()
        for period in year_periods(year):
            floor_rows(year, periods=[period])
        per_period_times.append(time.perf_counter() - started)
    comparison = compare(floor, project_rows(year))

    def mean_coverage(method: int) -> float:
        overall = [
            values
            for (label, _, dimension, version), values in floor.items()
            if dimension is None and label == str(year) and version == method
        ]
        return round(sum(float(values[4]) for values in overall) / len(overall), 4) if overall else 0.0

    return {
        "year": year,
        "methods": [1, 2],
        "project_seconds": min(project_times),
        "floor_seconds": min(floor_times),
        "project_runs": project_times,
        "floor_runs": floor_times,
        "pair_ratios": pair_ratios,
        "ratio": statistics.median(pair_ratios),
        "ratio_of_best_times": min(project_times) / min(floor_times),
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "floor_per_period_seconds": min(per_period_times),
        "rows": comparison.rows,
        "identical": comparison.identical,
        "comparison": comparison.describe(),
        "mean_overall_coverage": mean_coverage(1),
        "mean_overall_coverage_v2": mean_coverage(2),
    }
