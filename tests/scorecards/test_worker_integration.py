"""Scorecards through a real Celery worker on the local Redis (not eager).

These tests start `celery -A corfu_tracker worker` as a subprocess against the
test database, so they need PostgreSQL (the worker cannot see SQLite's
in-memory test database) and Redis. CI provides both.
"""

import datetime
import signal
import time
from decimal import Decimal

import pytest

from commitments import services as report_services
from scorecards import services, tasks
from scorecards.models import Scorecard
from tests.celery_workers import DEFAULT_BROKER_URL, Workers, real_broker
from tests.factories import CommitmentFactory, DimensionFactory, ReportFactory, StateFactory

D = datetime.date

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker():
    with real_broker(DEFAULT_BROKER_URL) as url:
        yield url


@pytest.fixture
def workers(tmp_path):
    pool = Workers(tmp_path, DEFAULT_BROKER_URL)
    yield pool
    pool.stop_all()


# Redis: hand a dead worker's task to another after 3 s, and look for such tasks every second.
FAST_REDELIVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "3",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}


def wait_for(predicate, *, timeout=60.0, what="condition", workers=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    logs = workers.logs() if workers else ""
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n--- worker logs ---\n{logs[-4000:]}")


@pytest.fixture
def catalogue():
    human = DimensionFactory(slug="human")
    commitments = [CommitmentFactory(dimension=human) for _ in range(5)]
    states = [StateFactory(code=code) for code in ("AT", "BE", "CH", "DK", "FI", "IE")]
    for state in states:
        for commitment in commitments:
            ReportFactory(state=state, commitment=commitment, observed_on=D(2010, 5, 1), level="full", verified=True)
    return {"human": human, "commitments": commitments, "states": states}


def test_verifying_a_report_changes_the_scorecard_through_the_worker(broker, workers, catalogue, reporter, reviewer):
    services.scorecards_compute_period(period="2010-Q2")
    human = catalogue["human"]

    def austria_score():
        return Scorecard.objects.get(state_id="AT", period__label="2010-Q2", dimension=human, method_version=1).score

    assert austria_score() == Decimal("100.0")
    report = ReportFactory(
        state_id="AT",
        commitment=catalogue["commitments"][0],
        observed_on=D(2010, 6, 1),
        violation=True,
        severity="grave",
        created_by=reporter,
        submitted=True,
    )
    report_services.report_verify(report=report, user=reviewer)

    time.sleep(1)
    assert austria_score() == Decimal("100.0"), "the recompute ran eagerly, not through the broker"
    workers.start()
    wait_for(lambda: austria_score() == Decimal("90.0"), what="the worker to recompute AT", workers=workers)
    assert "recompute_state_for_report" in workers.logs()


def test_worker_killed_mid_recompute_leaves_whole_sets_and_a_new_worker_completes(broker, workers, catalogue, tmp_path):
    services.scorecards_compute_period(period="2010-Q2")
    old_rows = set(
        Scorecard.objects.filter(method_version=1, period__label="2010-Q2").values_list(
            "state_id", "dimension_id", "score"
        )
    )
    for state in catalogue["states"]:
        ReportFactory(
            state=state,
            commitment=catalogue["commitments"][0],
            observed_on=D(2010, 6, 1),
            violation=True,
            severity="serious",
            verified=True,
        )

    marker = tmp_path / "inside-transaction"
    first = workers.start(
        **FAST_REDELIVERY, CORFU_RECOMPUTE_PAUSE_SECONDS="120", CORFU_RECOMPUTE_PAUSE_MARKER=str(marker)
    )
    tasks.recompute_period.delay("2010-Q2")
    wait_for(marker.exists, what="the recompute to reach its transaction", workers=workers)

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    rows_after_kill = set(
        Scorecard.objects.filter(method_version=1, period__label="2010-Q2").values_list(
            "state_id", "dimension_id", "score"
        )
    )
    assert rows_after_kill == old_rows, "a killed recompute must leave the previous set whole"

    workers.start(**FAST_REDELIVERY)  # no pause: picks up the unacknowledged task once its visibility timeout passed

    def recomputed():
        cards = Scorecard.objects.filter(method_version=1, period__label="2010-Q2", dimension=catalogue["human"])
        return cards.count() == 6 and all(card.score == Decimal("95.0") for card in cards)

    wait_for(recomputed, timeout=90, what="a new worker to finish the recompute", workers=workers)
    per_state_dimension = Scorecard.objects.filter(method_version=1, period__label="2010-Q2").values_list(
        "state_id", "dimension_id"
    )
    assert len(per_state_dimension) == len(set(per_state_dimension)) == 6 * 2  # human + overall, no duplicates
