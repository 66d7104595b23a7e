"""Exports: the API's streamed CSV of every report against `psql`'s `\\copy` of the same rows and columns.

    python -m bench.exports --reports 1000000      this section alone (prepares the database like `python -m bench`)
    python -m bench.exports --slow-client          also: does a long stream finish under sync / gthread workers?

Project: `GET /api/v1/reports/?format=csv` as an anonymous client, through gunicorn (the bench's server, with
EXPORT_SYNC_MAX_ROWS=0 so the whole table streams), timed to the last byte. Floor: `psql -c "\\copy (SELECT
<the same columns of the same rows, same order>) TO '/dev/null' CSV HEADER"`, without the formula
neutralisation. Interleaved pairs (the side that goes first alternates), the median of the pairs' ratios, and
the load average before and after. Then an export job (CSV, then Parquet) run in this process, timed.
"""

import argparse
import datetime
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import environ

TARGET_RATIO = 2.0
READ_BYTES = 64 * 1024


def _stream(host: str, port: int, path: str) -> dict:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=600)
    connection.request("GET", path)
    response = connection.getresponse()
    first_byte = None
    size = lines = 0
    while block := response.read(READ_BYTES):
        first_byte = first_byte or time.perf_counter() - started
        size += len(block)
        lines += block.count(b"\n")
    connection.close()
    return {
        "status": response.status,
        "seconds": time.perf_counter() - started,
        "first_byte_seconds": first_byte,
        "bytes": size,
        "lines": lines,
    }


def floor_sql() -> str:
    """The rows and columns of the anonymous CSV, plain (no neutralisation), as one literal SELECT."""
    from django.db import connection

    from commitments.api.serializers import ReportSerializer
    from commitments.api.views import REPORT_CSV_FIELDS, report_export_queryset
    from commitments.models import Report
    from corfu_tracker.api.values import values_map_columns

    annotations, columns = values_map_columns({name: ReportSerializer.values_map[name] for name in REPORT_CSV_FIELDS})
    queryset = report_export_queryset(Report.objects.visible_to(None)).annotate(**annotations).values_list(*columns)
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return connection.ops.compose_sql(sql, params)


def _psql_copy(url: str, select: str) -> dict:
    config = environ.Env.db_url_config(url)
    env = {**os.environ, "PGPASSWORD": config.get("PASSWORD") or ""}
    command = [
        "psql",
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        str(config.get("HOST") or "127.0.0.1"),
        "-p",
        str(config.get("PORT") or 5432),
        "-U",
        config.get("USER") or "postgres",
        "-d",
        config["NAME"],
        "-c",
        f"\\copy ({select}) TO '/dev/null' WITH (FORMAT csv, HEADER)",
    ]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return {"seconds": time.perf_counter() - started}


def compare_stream(*, host: str, port: int, url: str, repeats: int = 3) -> dict:
    load_before = os.getloadavg()
    select = floor_sql()
    path = "/api/v1/reports/?format=csv"
    _stream(host, port, path)  # warm up both: caches, the worker's connection
    _psql_copy(url, select)
    project, floor = [], []
    for index in range(repeats):
        if index % 2:
            floor.append(_psql_copy(url, select))
            project.append(_stream(host, port, path))
        else:
            project.append(_stream(host, port, path))
            floor.append(_psql_copy(url, select))
    ratios = [run["seconds"] / copy["seconds"] for run, copy in zip(project, floor, strict=True)]
    return {
        "path": path,
        "project_runs": project,
        "floor_runs": floor,
        "project_seconds": min(run["seconds"] for run in project),
        "floor_seconds": min(run["seconds"] for run in floor),
        "pair_ratios": ratios,
        "ratio": statistics.median(ratios),
        "target_ratio": TARGET_RATIO,
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
    }


def time_jobs() -> dict:
    """An anonymous export job of every report, CSV then Parquet, run in this process; job rows and files removed."""
    from django.conf import settings

    from exports.models import ExportJob
    from exports.services import export_job_run

    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as directory:
        settings.EXPORTS_DIR = Path(directory)
        for file_format in ("csv", "parquet"):
            job = ExportJob.objects.create(resource="reports", format=file_format)
            started = time.perf_counter()
            outcome = export_job_run(job_id=str(job.pk))
            seconds = time.perf_counter() - started
            job.refresh_from_db()
            results[file_format] = {
                "outcome": outcome,
                "seconds": seconds,
                "rows": job.row_count,
                "bytes": job.byte_size,
                "error": job.error,
            }
            job.delete()
    return results


def run(*, host: str, port: int, url: str, repeats: int = 3) -> dict:
    return {"stream": compare_stream(host=host, port=port, url=url, repeats=repeats), "jobs": time_jobs()}


def slow_client(*, env: dict, timeout: int = 30, pause: float = 0.02) -> dict:
    """The whole CSV read by a client slower than gunicorn's `--timeout`, under sync and under gthread workers.

    A sync worker reports to the arbiter only between requests: it is killed mid-response, after a 200.
    """
    from .server import BASE_DIR, HOST, free_port

    outcomes = {}
    for name, worker in {
        "sync": ["--worker-class", "sync"],
        "gthread": ["--worker-class", "gthread", "--threads", "4"],
    }.items():
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--workers", "2", *worker]
        command += ["--timeout", str(timeout), "--bind", f"{HOST}:{port}", "--log-level", "critical"]
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(8)
            started = time.perf_counter()
            connection = http.client.HTTPConnection(HOST, port, timeout=600)
            connection.request("GET", "/api/v1/reports/?format=csv")
            response = connection.getresponse()
            lines, error = 0, None
            try:
                while block := response.read(READ_BYTES):
                    lines += block.count(b"\n")
                    time.sleep(pause)
            except (http.client.HTTPException, OSError) as exc:
                error = repr(exc)
            outcomes[name] = {
                "status": response.status,
                "lines": lines,
                "seconds": round(time.perf_counter() - started, 1),
                "error": error,
                "timeout": timeout,
            }
        finally:
            process.terminate()
            process.wait(timeout=60)
    return outcomes


def main(argv=None) -> None:
    from . import database
    from .server import gunicorn, production_env

    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=int(os.environ.get("N") or 100_000))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--slow-client", action="store_true", help="also stream to a slow client, sync vs gthread")
    args = parser.parse_args(argv)
    url = database.database_url()
    database.ensure_database(url)
    database.check_ours(url)
    env = {**production_env(url), "EXPORT_SYNC_MAX_ROWS": "0"}
    os.environ.update(env)
    import django

    django.setup()
    print(database.prepare(reports=args.reports, log=lambda message: print(message, file=sys.stderr)))
    results_dir = Path(__file__).resolve().parent / "results"
    with gunicorn(env=env, workers=args.workers, log_path=results_dir / "gunicorn-exports.log.tmp") as (host, port):
        figures = run(host=host, port=port, url=url, repeats=args.repeats)
    if args.slow_client:
        figures["slow_client"] = slow_client(env=env)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    figures = {"reports": args.reports, "measured_at": stamp, **figures}
    import json

    path = results_dir / f"exports-{stamp}-N{args.reports}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    stream = figures["stream"]
    print(
        f"stream {stream['project_seconds']:.2f} s, \\copy {stream['floor_seconds']:.2f} s, median pair ratio "
        f"{stream['ratio']:.2f} (target <= {TARGET_RATIO}); load {stream['load_average_before'][0]:.1f} -> "
        f"{stream['load_average_after'][0]:.1f}; jobs: "
        + ", ".join(f"{name} {job['seconds']:.2f} s ({job['rows']:,} rows)" for name, job in figures["jobs"].items())
    )
    for name, outcome in figures.get("slow_client", {}).items():
        print(f"slow client, {name} workers: {outcome}")
    print(f"Results: {path}")


if __name__ == "__main__":
    main()
