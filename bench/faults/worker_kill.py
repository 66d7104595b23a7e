"""Kill the Celery worker inside a recompute's transaction; a new worker must finish it, whole."""

import time

from django.utils import timezone

from scorecards import services, tasks

from .common import Workers, check, wait_for
from .scores import check_whole_and_right, snapshot


def run(*, workers: Workers, label: str) -> tuple[str, dict]:
    services.scorecards_compute_period(period=label)
    before = snapshot(label)
    marker = workers.log_dir / "inside-recompute"
    first = workers.start(CORFU_RECOMPUTE_PAUSE_SECONDS="300", CORFU_RECOMPUTE_PAUSE_MARKER=str(marker))
    tasks.recompute_period.delay(label)
    wait_for(marker.exists, timeout=120, what="the recompute to reach its transaction", workers=workers)

    killed_at = timezone.now()
    workers.kill(first)
    after_kill = snapshot(label)
    check(
        after_kill["scores"] == before["scores"] and after_kill["computed_at"] == before["computed_at"],
        "the killed recompute changed the stored set (it must commit whole or not at all)",
    )

    started = time.monotonic()
    workers.start()  # picks up the unacknowledged task once the visibility timeout (3 s) has passed
    wait_for(
        lambda: (snapshot(label)["computed_at"] or killed_at) > killed_at,
        timeout=180,
        what="a new worker to run the recompute again",
        workers=workers,
    )
    recovered = time.monotonic() - started
    whole = check_whole_and_right(label)
    check("recompute_period" in workers.logs(), "the worker logs do not show the task")
    return (
        f"worker SIGKILLed inside the {label} recompute's transaction: old set intact ({before['rows']} rows); "
        f"a new worker re-ran it {recovered:.0f} s later; {whole['rows']} rows, no duplicates, equal to the floor",
        {"period": label, "rows_before": before["rows"], "recovered_after_seconds": round(recovered, 1), **whole},
    )
