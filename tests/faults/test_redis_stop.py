"""The broker (a private redis-server) dies and comes back empty: work queued during the outage is not lost.

A reviewer verifies a report while Redis is down: the review is saved, the
recompute it could not queue is reported (logged at ERROR; a direct `.delay()`
raises to its caller), and once Redis is back the same worker, reconnected, runs
the nightly catch-up (`recompute_stale_periods`), which brings the report into
the scorecards. Guards the receiver that does not let a broker outage undo a
review and the catch-up's detection of periods changed since their computation.
"""

import datetime

import pytest
from kombu.exceptions import OperationalError as BrokerUnavailable

from .harness import scenario, send_task, wait_for
from .test_worker_kill import period_scores

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def austria(cluster, dbname: str, dimension_id: int, period: str) -> str | None:
    with cluster.connect(dbname) as conn:
        row = conn.execute(
            """
            SELECT s.score FROM scorecards_scorecard s JOIN scorecards_period p ON p.id = s.period_id
            WHERE p.label = %s AND s.state_id = 'AT' AND s.dimension_id = %s AND s.method_version = 1
            """,
            [period, dimension_id],
        ).fetchone()
    return str(row[0]) if row else None


def test_a_review_saved_while_redis_was_down_reaches_the_scorecards_after_it(
    private_postgres, private_redis, fault_db, workers
):
    dbname = fault_db.rsplit("/", 1)[1]
    seeded = scenario("seed-review", database_url=fault_db)
    dimension, period = seeded["dimension_id"], seeded["period"]
    worker = workers.start()
    started = datetime.datetime.now(datetime.UTC)
    send_task(private_redis.url, "scorecards.tasks.recompute_period", period)
    wait_for(
        lambda: period_scores(private_postgres, dbname, dimension, period)["computed_at"] > started,
        timeout=120,
        what="the worker to run a task before the outage",
        logs=workers.logs,
    )

    private_redis.kill()
    verified = scenario(
        "verify",
        str(seeded["report_id"]),
        str(seeded["reviewer_id"]),
        database_url=fault_db,
        broker_url=private_redis.url,
        check=False,
    )
    with pytest.raises(BrokerUnavailable):
        send_task(private_redis.url, "scorecards.tasks.recompute_period", period)
    private_redis.start()  # on the same port, empty: nothing queued before the outage survived it

    assert verified["_returncode"] == 0, f"verifying during the outage failed:\n{verified['_stderr'][-3000:]}"
    assert verified["status"] == "verified"
    assert "could not queue the scorecard recompute for AT" in verified["_stderr"], "the lost enqueue was not reported"
    assert austria(private_postgres, dbname, dimension, period) == "100.0"

    send_task(private_redis.url, "scorecards.tasks.recompute_stale_periods")  # what beat runs at 03:00
    wait_for(
        lambda: austria(private_postgres, dbname, dimension, period) == "95.0",
        timeout=150,
        what="the reconnected worker's catch-up to bring the report verified during the outage into the scorecards",
        logs=workers.logs,
    )
    assert worker.poll() is None, "the worker exited during the outage"
