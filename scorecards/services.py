"""Recomputing scorecards. Every path (task, command, API, demo) comes through here."""

import logging
import os
import time

from django.db import connection, transaction
from django.utils import timezone

from states.models import State

from . import scoring
from .models import METHOD_VERSION, GroupScorecard, Period, Scorecard
from .periods import PeriodSpan, periods_affected_by, periods_of_year

logger = logging.getLogger(__name__)


def _params(period: Period, *, state_code: str | None, computed_at) -> dict:
    span = period.span
    ops = connection.ops
    previous = Period.objects.filter(label=span.previous().label).values_list("id", flat=True).first()
    return {
        "period_id": period.pk,
        "previous_period_id": previous,
        "start": ops.adapt_datefield_value(span.start),
        "end": ops.adapt_datefield_value(span.end),
        "lookback_start": ops.adapt_datefield_value(span.lookback_start),
        "state": state_code,
        "method_version": METHOD_VERSION,
        "computed_at": ops.adapt_datetimefield_value(computed_at),
    }


def _pause_for_fault_tests() -> None:
    # Fault-injection seam for the worker-kill test and bench/faults: keeps the
    # swap transaction open so a worker can be killed inside it. Unset in production.
    seconds = float(os.environ.get("CORFU_RECOMPUTE_PAUSE_SECONDS") or 0)
    if seconds:
        marker = os.environ.get("CORFU_RECOMPUTE_PAUSE_MARKER")
        if marker:
            with open(marker, "w") as handle:
                handle.write(str(os.getpid()))
        time.sleep(seconds)


def _refresh_period_aggregates(cursor, params: dict) -> None:
    """Ranks, trends and group rows of a period, from its State rows."""
    cursor.execute("UPDATE scorecards_scorecard SET rank = NULL WHERE period_id = %(period_id)s", params)
    cursor.execute(scoring.UPDATE_RANKS, params)
    GroupScorecard.objects.filter(period_id=params["period_id"]).delete()
    cursor.execute(scoring.INSERT_GROUP_SCORECARDS, params)
    cursor.execute(scoring.UPDATE_GROUP_TRENDS, params)


def _refresh_next_period_trends(cursor, period: Period, state_code: str | None) -> None:
    following = Period.objects.filter(label=period.span.next().label).first()
    if following is None:
        return
    params = {"period_id": following.pk, "previous_period_id": period.pk, "state": state_code}
    cursor.execute(scoring.UPDATE_STATE_TRENDS, params)
    cursor.execute(scoring.UPDATE_GROUP_TRENDS, params)


def scorecards_compute_period(*, period: Period | str, state_code: str | None = None) -> int:
    """Recompute one period for all States (or one), in one transaction. Returns State rows written.

    Readers see the old set or the new set, never a mix: the delete and the
    insert commit together. A lock on the period row serialises concurrent runs.
    """
    if isinstance(period, str):
        period = Period.objects.for_label(period)
    started = time.monotonic()
    with transaction.atomic():
        Period.objects.select_for_update().filter(pk=period.pk).first()
        params = _params(period, state_code=state_code, computed_at=timezone.now())
        stale = Scorecard.objects.filter(period=period)
        if state_code:
            stale = stale.filter(state_id=state_code)
        stale.delete()
        with connection.cursor() as cursor:
            cursor.execute(scoring.INSERT_STATE_SCORECARDS, params)
            written = cursor.rowcount
            cursor.execute(scoring.UPDATE_STATE_TRENDS, params)
            _refresh_period_aggregates(cursor, params)
            _refresh_next_period_trends(cursor, period, state_code)
        _pause_for_fault_tests()
    logger.info(
        "scorecards computed: period=%s state=%s rows=%s seconds=%.2f",
        period.label,
        state_code or "all",
        written,
        time.monotonic() - started,
    )
    return written


def scorecards_compute_year(*, year: int) -> dict[str, int]:
    """The four quarters, then the year: each period swapped in its own transaction."""
    return {
        span.label: scorecards_compute_period(period=Period.objects.for_span(span)) for span in periods_of_year(year)
    }


def scorecards_compute_for_report(*, state_code: str, observed_on) -> list[str]:
    """Recompute one State in every already-computed period a report on that day can change."""
    labels = [span.label for span in periods_affected_by(observed_on, until=timezone.localdate())]
    periods = Period.objects.filter(label__in=labels, scorecard__isnull=False).distinct()
    if not State.objects.filter(code=state_code).exists():
        return []
    done = []
    for period in periods.order_by("start", "-end"):
        scorecards_compute_period(period=period, state_code=state_code)
        done.append(period.label)
    return done


def current_and_previous_periods(today=None) -> list[PeriodSpan]:
    """What the nightly job recomputes: the current and previous quarter and year."""
    today = today or timezone.localdate()
    quarter = PeriodSpan.containing(today, "quarter")
    year = PeriodSpan.containing(today, "year")
    return [quarter.previous(), quarter, year.previous(), year]
