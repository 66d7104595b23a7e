"""API throughput against bare Django views, and the mixed read load, under gunicorn."""

import json
import time

from django.db import connection

from .load import get, merge, run_load

PAGE_SIZE = 100


def _pairs(year: int) -> dict[str, tuple[str, str]]:
    return {
        "reports": (
            f"/api/v1/reports/?page_size={PAGE_SIZE}",
            f"/bench/bare/reports/?page_size={PAGE_SIZE}",
        ),
        "scorecards": (
            f"/api/v1/scorecards/?page_size={PAGE_SIZE}&period={year}",
            f"/bench/bare/scorecards/?page_size={PAGE_SIZE}&period={year}",
        ),
        "recommendations": (
            f"/api/v1/recommendations/?page_size={PAGE_SIZE}",
            f"/bench/bare/recommendations/?page_size={PAGE_SIZE}",
        ),
    }


# What identifies a row of each list (recommendations are addressed by code).
ROW_KEYS = {"recommendations": "code"}


def _ids(host: str, port: int, path: str, key: str = "id") -> list:
    status, body = get(host, port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
    return [row[key] for row in json.loads(body)["results"]]


def compare_api(
    *,
    host: str,
    port: int,
    year: int,
    clients: int,
    seconds: float,
    rounds: int = 2,
    warmup: float = 2.0,
    only: list[str] | None = None,
) -> dict:
    """Each endpoint (or those named in `only`) and its bare view with the same clients and duration.

    The two sides alternate in `rounds`: that spreads a burst of load from other processes on the
    machine over both.
    """
    results = {}
    for name, (api_path, bare_path) in _pairs(year).items():
        if only is not None and name not in only:
            continue
        key = ROW_KEYS.get(name, "id")
        api_ids, bare_ids = _ids(host, port, api_path, key), _ids(host, port, bare_path, key)
        if api_ids != bare_ids or len(api_ids) != PAGE_SIZE:
            raise RuntimeError(f"{name}: the API and the bare view return different rows ({len(api_ids)} ids)")
        entry = {"same_rows": True, "page_size": PAGE_SIZE, "rounds": rounds}
        for path in (api_path, bare_path):
            run_load(host=host, port=port, paths=[path], clients=clients, seconds=warmup)
        runs = {"api": [], "bare": []}
        for _ in range(rounds):
            for label, path in (("api", api_path), ("bare", bare_path)):
                runs[label].append(
                    run_load(host=host, port=port, paths=[path], clients=clients, seconds=seconds / rounds)
                )
        for label, path in (("api", api_path), ("bare", bare_path)):
            entry[label] = {"path": path, **merge(runs[label]).as_dict()}
        entry["ratio"] = entry["api"]["rps"] / entry["bare"]["rps"]
        results[name] = entry
    return results


def load_paths(year: int) -> list[str]:
    """The read mix: catalogue, reports, scorecards, group scorecards, a report and an explanation."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM commitments_report WHERE status = 'verified' ORDER BY id DESC LIMIT 1")
        (report_id,) = cursor.fetchone()
        cursor.execute(
            "SELECT s.id FROM scorecards_scorecard s JOIN scorecards_period p ON p.id = s.period_id "
            "WHERE p.label = %s AND s.dimension_id IS NOT NULL AND s.score IS NOT NULL AND s.method_version = 2 "
            "ORDER BY s.id LIMIT 1",
            [str(year)],
        )
        (scorecard_id,) = cursor.fetchone()
    return [
        "/api/v1/states/",
        "/api/v1/commitments/",
        f"/api/v1/reports/?page_size={PAGE_SIZE}",
        f"/api/v1/scorecards/?page_size={PAGE_SIZE}&period={year}",
        f"/api/v1/group-scorecards/?period={year}",
        f"/api/v1/reports/{report_id}/",
        f"/api/v1/scorecards/{scorecard_id}/explain/",
    ]


def load(*, host: str, port: int, year: int, clients: int, seconds: float) -> dict:
    paths = load_paths(year)
    for path in paths:
        status, body = get(host, port, path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
    started = time.monotonic()
    result = run_load(host=host, port=port, paths=paths, clients=clients, seconds=seconds).as_dict()
    result["wall_seconds"] = round(time.monotonic() - started, 1)
    result["paths"] = paths
    return result
