"""One-State update: verifying one report until its State's scorecards are committed.

What is timed, per verify: `report_verify()` (the service the admin and the API call) with Celery
eager, as the benchmark runs it (no broker). The service locks and verifies the report and commits;
its on-commit hooks then run their tasks in-process: the scorecard recompute of the report's State
in every computed period the report touches (`scorecards_compute_for_report`: one SELECT for all
those periods, the write of its rows, ranks, group rows and trends of the periods after them, and
the follow-up index, in one transaction), and the early-warning evaluation of the report's series.
The call returns after both committed. In production the same tasks are queued on commit and a
worker runs them; the reviewer's request does not wait for them.

`scorecards_ms` is the scorecard task alone (Celery's task_prerun/task_postrun around it), so the
early-warning share is visible. The report is an implementation report observed on 15 October
three years before the recomputed year, so it touches 17 periods (13 quarters and 4 years), all
computed beforehand; its level alternates between full and partial from one verify to the next, so
each verify moves the State's scores where that report is the latest. Each verify is paired with the
floor SELECT restricted to the same State and periods (plain SQL from bench/floor.py, reading only);
the pairs alternate which side goes first.

The reports made here are deleted afterwards and the State's periods recomputed, so the seeded
database is left as it was.
"""

import datetime
import os
import statistics
import time

from celery.signals import task_postrun, task_prerun
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection

from commitments.models import Commitment, Report
from commitments.services import report_create_draft, report_submit, report_verify
from commitments.staff_groups import all_staff_groups, sync_staff_groups
from scorecards.models import Period
from scorecards.periods import periods_affected_by, periods_of_year
from scorecards.services import scorecards_compute_for_report, scorecards_compute_periods
from states.models import State

from .floor import floor_sql

STATE = "AT"
# Each verify alternates the level of the State's latest report on the commitment, so its scores move in
# every verify (and the other States' ranks with them): a verify that moved nothing would skip the re-rank.
LEVELS = ("full", "partial")
SCORECARD_TASK = "scorecards.tasks.recompute_state_for_report"


def _users():
    sync_staff_groups(group_model=Group, permission_model=Permission, groups=all_staff_groups())
    users = get_user_model().objects
    reporter, _ = users.get_or_create(username="bench-reporter", defaults={"is_staff": True})
    reviewer, _ = users.get_or_create(username="bench-reviewer", defaults={"is_staff": True})
    reporter.groups.add(Group.objects.get(name="Reporters"))
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    # Fresh objects: permissions are cached on the instance.
    return users.get(pk=reporter.pk), users.get(pk=reviewer.pk)


def _submitted_report(reporter, commitment, observed_on, level: str, serial: int) -> Report:
    # Each its own link: the same report twice would be refused as a duplicate of the first.
    report = report_create_draft(
        user=reporter,
        state=State.objects.get(code=STATE),
        commitment=commitment,
        kind="implementation",
        level=level,
        observed_on=observed_on,
        summary="Benchmark report (deleted after the run).",
        source="state",
        source_url=f"https://example.org/bench-one-state/{serial}",
    )
    return report_submit(report=report, user=reporter)


def _vacuum_scorecards() -> None:
    """What autovacuum does after the preparation's rewrite of every row (it is off on some shared test
    servers): the dead rows would otherwise sit in every scan of the timed statements."""
    with connection.cursor() as cursor:
        for table in ("scorecards_scorecard", "scorecards_groupscorecard", "recommendations_followupindex"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _floor_one_state(periods: list[Period]) -> float:
    sql, params = floor_sql([(period.label, period.start, period.end) for period in periods], state=STATE)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()
    return time.perf_counter() - started


def run(*, year: int, verifies: int = 20) -> dict:
    load_before = os.getloadavg()
    observed_on = datetime.date(year - 3, 10, 15)
    spans = periods_affected_by(observed_on, until=datetime.date(year, 12, 31))
    years = range(year - 3, year + 1)
    started = time.perf_counter()
    all_periods = [Period.objects.for_span(span) for y in years for span in periods_of_year(y)]
    scorecards_compute_periods(periods=all_periods)
    _vacuum_scorecards()
    prepare_seconds = time.perf_counter() - started
    periods = list(Period.objects.filter(label__in=[span.label for span in spans]))
    commitment = Commitment.objects.in_force_on(observed_on).filter(in_force_until__isnull=True).order_by("code")[0]
    reporter, reviewer = _users()

    task_seconds: list[float] = []
    task_started: dict[str, float] = {}

    def before(sender=None, task_id=None, **kwargs):
        if sender is not None and sender.name == SCORECARD_TASK:
            task_started[task_id] = time.perf_counter()

    def after(sender=None, task_id=None, **kwargs):
        if task_id in task_started:
            task_seconds.append(time.perf_counter() - task_started.pop(task_id))

    task_prerun.connect(before, weak=False)
    task_postrun.connect(after, weak=False)
    made: list[int] = []
    verify_times, floor_times = [], []
    try:
        warm = _submitted_report(reporter, commitment, observed_on, LEVELS[1], serial=0)
        made.append(warm.pk)
        report_verify(report=warm, user=reviewer)
        _floor_one_state(periods)
        task_seconds.clear()
        for index in range(verifies):
            report = _submitted_report(reporter, commitment, observed_on, LEVELS[index % 2], serial=index + 1)
            made.append(report.pk)
            if index % 2:
                floor_times.append(_floor_one_state(periods))
            began = time.perf_counter()
            report_verify(report=report, user=reviewer)
            verify_times.append(time.perf_counter() - began)
            if not index % 2:
                floor_times.append(_floor_one_state(periods))
    finally:
        task_prerun.disconnect(before)
        task_postrun.disconnect(after)
        _remove(made, observed_on)
    recomputed = [label for label in (span.label for span in spans) if label in {p.label for p in periods}]
    return {
        "state": STATE,
        "report": f"implementation, observed {observed_on}, level alternating {LEVELS[0]} / {LEVELS[1]}",
        "periods": len(recomputed),
        "period_labels": recomputed,
        "verifies": verifies,
        "measured": (
            "report_verify() with Celery eager, from the call to its return: the verify commits, then its "
            "on-commit tasks run in-process and commit (scorecards of the State in the periods above, ranks, "
            "group rows, trends, follow-up index; and the early-warning evaluation). scorecards_ms is the "
            "scorecard task alone."
        ),
        "verify_ms": [round(seconds * 1000, 1) for seconds in verify_times],
        "scorecards_ms": [round(seconds * 1000, 1) for seconds in task_seconds],
        "floor_ms": [round(seconds * 1000, 1) for seconds in floor_times],
        "verify_median_ms": round(statistics.median(verify_times) * 1000, 1),
        "scorecards_median_ms": round(statistics.median(task_seconds) * 1000, 1) if task_seconds else None,
        "floor_median_ms": round(statistics.median(floor_times) * 1000, 1),
        "pair_ratio_median": round(statistics.median(v / f for v, f in zip(verify_times, floor_times, strict=True)), 2),
        "prepare_seconds": round(prepare_seconds, 2),
        "prepared_periods": len(all_periods),
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
    }


def _remove(report_ids: list[int], observed_on: datetime.date) -> None:
    """Delete the benchmark's reports (and their history), then recompute the State as it was."""
    if not report_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM commitments_historicalreport WHERE id = ANY(%s)", [report_ids])
        cursor.execute("DELETE FROM early_warning_alert_reports WHERE report_id = ANY(%s)", [report_ids])
        cursor.execute("DELETE FROM commitments_report WHERE id = ANY(%s)", [report_ids])
    scorecards_compute_for_report(state_code=STATE, observed_on=observed_on)
