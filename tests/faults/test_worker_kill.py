"""Worker killed inside a recompute's transaction: the set stays whole, and the task is not lost.

Guards `acks_late=True` on scorecards.tasks.recompute_period. The worker is a
prefork pool (one child) killed with its child, so the message is redelivered
only if it was still unacknowledged: with acks_late off, Celery acknowledges it
when the child starts it, and the recompute is lost.
"""

import datetime

import pytest

from .harness import scenario, send_task, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def period_scores(cluster, dbname: str, dimension_id: int, period: str) -> dict:
    with cluster.connect(dbname) as conn:
        rows = conn.execute(
            """
            SELECT s.state_id, s.dimension_id, s.score, s.computed_at
            FROM scorecards_scorecard s JOIN scorecards_period p ON p.id = s.period_id
            WHERE p.label = %s AND (s.dimension_id = %s OR s.dimension_id IS NULL) AND s.method_version = 1
            """,
            [period, dimension_id],
        ).fetchall()
    return {
        "rows": len(rows),
        "distinct": len({(state, dimension) for state, dimension, _, _ in rows}),
        "scores": sorted((state, dimension or 0, str(score)) for state, dimension, score, _ in rows),
        "dimension_scores": sorted(str(score) for _, dimension, score, _ in rows if dimension == dimension_id),
        "computed_at": max((computed_at for *_, computed_at in rows), default=None),
    }


def test_a_recompute_whose_worker_was_killed_is_run_again_by_a_new_worker(
    private_postgres, private_redis, fault_db, workers, tmp_path
):
    dbname = fault_db.rsplit("/", 1)[1]
    seeded = scenario("seed-recompute", database_url=fault_db)
    dimension, period = seeded["dimension_id"], seeded["period"]
    before = period_scores(private_postgres, dbname, dimension, period)
    assert before["dimension_scores"] == ["100.0"] * 6

    marker = tmp_path / "inside-recompute"
    first = workers.start(CORFU_RECOMPUTE_PAUSE_SECONDS="300", CORFU_RECOMPUTE_PAUSE_MARKER=str(marker))
    send_task(private_redis.url, "scorecards.tasks.recompute_period", period)
    wait_for(marker.exists, timeout=120, what="the recompute to reach its transaction", logs=workers.logs)

    killed_at = datetime.datetime.now(datetime.UTC)
    workers.kill(first)
    after_kill = period_scores(private_postgres, dbname, dimension, period)
    assert after_kill == before, "the killed recompute changed the stored set (it must commit whole or not at all)"

    workers.start()  # no pause; finds the unacknowledged task once its visibility timeout (5 s) has passed
    wait_for(
        lambda: period_scores(private_postgres, dbname, dimension, period)["computed_at"] > killed_at,
        timeout=90,
        what="a new worker to run the killed recompute again (lost if it was acknowledged before the kill)",
        logs=workers.logs,
    )
    after = period_scores(private_postgres, dbname, dimension, period)
    assert after["dimension_scores"] == [seeded["due_score"]] * 6
    assert after["rows"] == after["distinct"] == 6 * 2  # the dimension and overall, no duplicates
