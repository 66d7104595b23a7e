"""Restart PostgreSQL inside a recompute's transaction: the task retries, the set ends whole, no report lost.

This restarts the whole local cluster: every connection on the machine is cut,
other people's test runs included. It runs only when asked for by name.
"""

import subprocess
import time
from pathlib import Path

import psycopg
from django.db import connection
from django.utils import timezone

from commitments.models import Report
from scorecards import services, tasks

from .common import Workers, check, wait_for
from .scores import check_whole_and_right, snapshot

PAUSE_SECONDS = 8


def cluster_version() -> str:
    versions = sorted(path.name for path in Path("/etc/postgresql").iterdir())
    return versions[-1]


def restart_command() -> list[str]:
    return ["pg_ctlcluster", "--skip-systemctl-redirect", cluster_version(), "main", "restart"]


def _accepting(dsn: dict) -> bool:
    try:
        with psycopg.connect(**dsn, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _counts() -> tuple[int, int]:
    return Report.objects.count(), Report.history.count()


def run(*, workers: Workers, label: str) -> tuple[str, dict]:
    services.scorecards_compute_period(period=label)
    before = snapshot(label)
    reports_before, history_before = _counts()
    settings = connection.settings_dict
    dsn = {
        key: value
        for key, value in {
            "dbname": settings["NAME"],
            "user": settings["USER"],
            "password": settings["PASSWORD"],
            "host": settings["HOST"],
            "port": settings["PORT"],
        }.items()
        if value
    }

    marker = workers.log_dir / "inside-recompute-pg"
    workers.start(
        CORFU_RECOMPUTE_PAUSE_SECONDS=str(PAUSE_SECONDS),
        CORFU_RECOMPUTE_PAUSE_MARKER=str(marker),
        CELERY_VISIBILITY_TIMEOUT="300",  # the worker stays alive: no redelivery, only Celery's own retry
    )
    tasks.recompute_period.delay(label)
    wait_for(marker.exists, timeout=120, what="the recompute to reach its transaction", workers=workers)
    marker.unlink()

    connection.close()
    restart_at = timezone.now()
    started = time.monotonic()
    restart = subprocess.run(restart_command(), capture_output=True, text=True, check=False)
    check(restart.returncode == 0, f"{' '.join(restart_command())} failed: {restart.stderr.strip()}")
    wait_for(lambda: _accepting(dsn), timeout=60, what="PostgreSQL to accept connections again")
    restart_seconds = time.monotonic() - started

    connection.close()
    wait_for(
        lambda: (snapshot(label)["computed_at"] or restart_at) > restart_at,
        timeout=240,
        what="the retried recompute to commit",
        workers=workers,
    )
    recovered = time.monotonic() - started
    whole = check_whole_and_right(label)
    reports_after, history_after = _counts()
    logs = workers.logs()
    retried = "Retry in" in logs or "retry: Retry in" in logs
    check(retried, "the worker logs show no retry of the task after the restart")
    check(reports_after == reports_before, f"reports: {reports_before} before, {reports_after} after")
    check(history_after == history_before, f"history rows: {history_before} before, {history_after} after")
    retry_lines = [line.strip() for line in logs.splitlines() if "Retry in" in line or "OperationalError" in line]
    return (
        f"PostgreSQL restarted ({restart_seconds:.0f} s) while the {label} recompute held its transaction open: "
        f"the task failed with a connection error, Celery retried it, and it committed {recovered:.0f} s after "
        f"the restart began; {whole['rows']} rows, no duplicates, equal to the floor; "
        f"{reports_after:,} reports before and after",
        {
            "period": label,
            "rows_before": before["rows"],
            "restart_seconds": round(restart_seconds, 1),
            "recovered_after_seconds": round(recovered, 1),
            "reports_before": reports_before,
            "reports_after": reports_after,
            "history_before": history_before,
            "history_after": history_after,
            "retry_log": retry_lines[:6],
            "restarted_at": restart_at.isoformat(),
            **whole,
        },
    )
