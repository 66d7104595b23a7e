"""Scorecard recompute of one year (methods 1 and 2 together): the project's service against the floor SELECT.

Besides the floor (bench/floor.py: the same rows from one hand-written SELECT), the physical floor: a
count of the rows that SELECT reads, from the index alone and reading the columns from the table.
PostgreSQL's temporary-file bytes (pg_stat_database.temp_bytes, for this database) are recorded for
each side: memory that did not fit `work_mem` shows up there, not in Python's figures.
"""

import os
import statistics
import time

from django.db import connection

from scorecards.services import scorecards_compute_year

from .floor import compare, floor_rows, project_rows, scan_rows


def _temp_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def _timed(function, *args, **kwargs):
    """Seconds and result of one call, and the temp bytes PostgreSQL wrote meanwhile.

    A backend flushes its statistics when it exits: the connection is closed after the call, and the
    counter read from a new one after a short pause (outside the timing)."""
    temp_before = _temp_bytes()
    started = time.perf_counter()
    result = function(*args, **kwargs)
    seconds = time.perf_counter() - started
    connection.close()
    time.sleep(0.3)
    return seconds, result, _temp_bytes() - temp_before


def _median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def run(*, year: int, repeats: int = 3) -> dict:
    """Warm up both, then `repeats` interleaved pairs (project, floor); the median of the pairs' ratios.

    The machine is shared: each pair runs back to back under about the same load, so the
    median ratio of the pairs is steadier than a ratio of best times. Both are recorded.
    """
    load_before = os.getloadavg()
    scorecards_compute_year(year=year)
    floor_rows(year)
    project_times, floor_times, project_temp, floor_temp = [], [], [], []
    floor = None
    for index in range(repeats):
        sides = ["project", "floor"] if index % 2 == 0 else ["floor", "project"]
        for side in sides:  # alternate which side goes first, so neither always gets the warmer cache
            if side == "project":
                seconds, _, temp = _timed(scorecards_compute_year, year=year)
                project_times.append(seconds)
                project_temp.append(temp)
            else:
                seconds, floor, temp = _timed(floor_rows, year)
                floor_times.append(seconds)
                floor_temp.append(temp)
    pair_ratios = [project / floor_seconds for project, floor_seconds in zip(project_times, floor_times, strict=True)]
    scans = {}
    for kind in ("index_count", "heap_read"):
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            rows_read = scan_rows(year, kind=kind)
            times.append(time.perf_counter() - started)
        scans[kind] = {"median_ms": _median_ms(times), "runs_ms": [round(t * 1000, 1) for t in times]}
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
        "project_median_seconds": statistics.median(project_times),
        "floor_median_seconds": statistics.median(floor_times),
        "pair_ratios": pair_ratios,
        "ratio": statistics.median(pair_ratios),
        "ratio_of_best_times": min(project_times) / min(floor_times),
        "scan_rows": rows_read,
        "scan": scans,
        "project_over_scan": statistics.median(project_times) * 1000 / scans["heap_read"]["median_ms"],
        "temp_bytes_project": project_temp,
        "temp_bytes_floor": floor_temp,
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "rows": comparison.rows,
        "identical": comparison.identical,
        "comparison": comparison.describe(),
        "mean_overall_coverage": mean_coverage(1),
        "mean_overall_coverage_v2": mean_coverage(2),
    }
