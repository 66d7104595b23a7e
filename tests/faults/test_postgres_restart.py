"""PostgreSQL (a private cluster) restarted inside a recompute's transaction: the task retries and completes.

Guards the retry of scorecards.tasks.recompute_period on database connection
errors (`autoretry_for` OperationalError/InterfaceError with backoff): without it
the task dies with the connection and the period is never recomputed.
"""

import datetime
import time

import pytest

from .harness import scenario, send_task, wait_for
from .test_worker_kill import period_scores

pytestmark = [pytest.mark.integration, pytest.mark.slow]

OUTAGE_SECONDS = 3


def test_a_recompute_cut_off_by_a_database_restart_completes_after_it(
    private_postgres, private_redis, fault_db, workers, tmp_path
):
    dbname = fault_db.rsplit("/", 1)[1]
    seeded = scenario("seed-recompute", database_url=fault_db)
    dimension, period = seeded["dimension_id"], seeded["period"]
    marker = tmp_path / "inside-recompute"
    workers.start(
        CORFU_RECOMPUTE_PAUSE_SECONDS="15",  # longer than the restart; the retry does not pause
        CORFU_RECOMPUTE_PAUSE_MARKER=str(marker),
        CELERY_VISIBILITY_TIMEOUT="600",  # the worker stays alive: no redelivery, only the task's own retry
    )
    send_task(private_redis.url, "scorecards.tasks.recompute_period", period)
    wait_for(marker.exists, timeout=120, what="the recompute to reach its transaction", logs=workers.logs)

    private_postgres.pg_ctl("stop", "-m", "fast")  # cuts the worker's connection inside the transaction
    time.sleep(OUTAGE_SECONDS)
    private_postgres.pg_ctl("start")
    back_at = datetime.datetime.now(datetime.UTC)
    between = period_scores(private_postgres, dbname, dimension, period)["dimension_scores"]
    assert between in (["100.0"] * 6, [seeded["due_score"]] * 6), f"a half-written set: {between}"

    wait_for(
        lambda: period_scores(private_postgres, dbname, dimension, period)["computed_at"] > back_at,
        timeout=150,
        what="the recompute to be retried and committed once PostgreSQL was back",
        logs=workers.logs,
    )
    after = period_scores(private_postgres, dbname, dimension, period)
    assert after["dimension_scores"] == [seeded["due_score"]] * 6
    assert after["rows"] == after["distinct"] == 6 * 2
