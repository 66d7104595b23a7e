"""Recomputing scorecards. Every path (task, command, API, demo) comes through here."""

import logging
import os
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone

from commitments.models import Report, ReportStatus
from recommendations.followup import followup_compute_periods
from recommendations.selectors import followup_inputs_changed
from states.models import State

from . import scoring
from .models import DEFAULT_METHOD, Period, Scorecard
from .periods import PeriodSpan, periods_affected_by, periods_of_year

logger = logging.getLogger(__name__)


def scoring_params(periods: list[Period], *, state_code: str | None, computed_at) -> dict:
    """The parameters of the scoring statements: each period's dates and the span they cover together."""
    ops = connection.ops
    params = {
        "state": state_code,
        "computed_at": ops.adapt_datetimefield_value(computed_at),
        "first_day": ops.adapt_datefield_value(min(period.span.lookback_start for period in periods)),
        "last_day": ops.adapt_datefield_value(max(period.span.end for period in periods)),
    }
    previous = previous_period_ids(periods)
    for index, period in enumerate(periods):
        span = period.span
        params[f"p{index}_id"] = period.pk
        params[f"p{index}_start"] = ops.adapt_datefield_value(span.start)
        params[f"p{index}_end"] = ops.adapt_datefield_value(span.end)
        params[f"p{index}_lookback"] = ops.adapt_datefield_value(span.lookback_start)
        params[f"p{index}_previous"] = previous.get(period.pk)
    return params


def previous_period_ids(periods: list[Period]) -> dict[int, int]:
    """The stored period before each of these (previous quarter or year), by period id."""
    previous = {period.pk: period.span.previous().label for period in periods}
    ids = dict(Period.objects.filter(label__in=set(previous.values())).values_list("label", "id"))
    return {period_id: ids[label] for period_id, label in previous.items() if label in ids}


def _pause_for_fault_tests() -> None:
    # Fault-injection seam for the worker-kill test and bench/faults: keeps the
    # swap transaction open so a worker can be killed inside it. Unset in production.
    # With a marker file, only the first run pauses (a retry after the fault goes straight on).
    seconds = float(os.environ.get("CORFU_RECOMPUTE_PAUSE_SECONDS") or 0)
    if seconds:
        marker = os.environ.get("CORFU_RECOMPUTE_PAUSE_MARKER")
        if marker:
            if os.path.exists(marker):
                return
            with open(marker, "w") as handle:
                handle.write(str(os.getpid()))
        time.sleep(seconds)


def _update_ranks(cursor, moved: set[tuple]) -> None:
    """Re-rank the partitions (period_id, method_version, dimension_id) where one State's score moved."""
    if not moved:
        return
    params = {}
    for index, (period_id, method_version, dimension_id) in enumerate(sorted(moved, key=str)):
        params[f"moved{index}_period"] = period_id
        params[f"moved{index}_method"] = method_version
        params[f"moved{index}_dimension"] = dimension_id or 0
    cursor.execute(scoring.UPDATE_RANKS.replace("{partitions}", scoring.partitions_values(len(moved))), params)


def _refresh_period_aggregates(cursor, periods: list[Period], *, state_code: str | None, computed_at) -> None:
    """Group rows of these periods and the trends of the periods after.

    The State rows came with their trends and ranks; a fixed number of statements follows,
    whatever the number of periods.
    """
    ops = connection.ops
    cast_dates = connection.vendor == "postgresql"
    params = {"state": state_code, "computed_at": ops.adapt_datetimefield_value(computed_at)}
    previous = previous_period_ids(periods)
    for index, period in enumerate(periods):
        params[f"target{index}_id"] = period.pk
        params[f"target{index}_end"] = ops.adapt_datefield_value(period.end)
        params[f"target{index}_previous"] = previous.get(period.pk)
    targets = scoring.targets_values(len(periods), cast_dates=cast_dates)
    in_scope, scope_join = (scoring.ONE_STATE_GROUP_DELETE, scoring.ONE_STATE_GROUP_MEMBERS) if state_code else ("", "")
    delete = scoring.DELETE_GROUP_SCORECARDS.replace("{in_scope}", in_scope)
    cursor.execute(delete.replace("{targets}", targets), params)
    insert = scoring.INSERT_GROUP_SCORECARDS.replace("{scope_join}", scope_join)
    cursor.execute(insert.replace("{targets}", targets), params)
    # Stored periods right after the recomputed ones (and not recomputed with them) compare with the new scores.
    recomputed = {period.pk for period in periods}
    following = {period.span.next().label: period.pk for period in periods}
    pairs = sorted(
        (following_id, following[label])
        for label, following_id in Period.objects.filter(label__in=following).values_list("label", "id")
        if following_id not in recomputed
    )
    if pairs:
        for index, (period_id, previous_id) in enumerate(pairs):
            params[f"pair{index}_id"] = period_id
            params[f"pair{index}_previous"] = previous_id
        trends = scoring.pairs_values(len(pairs))
        cursor.execute(scoring.UPDATE_STATE_TRENDS.replace("{pairs}", trends), params)
        cursor.execute(scoring.UPDATE_GROUP_TRENDS.replace("{pairs}", trends), params)


def _write_state_rows(
    cursor, rows: list[tuple], *, periods: list[Period], state_code: str | None, computed_at
) -> set[tuple]:
    """Replace the State rows of these periods (of one State, or all) with `rows`, in the caller's transaction.

    PostgreSQL merges them (rows that exist are updated in place, new ones inserted) and then deletes the
    rows the recompute no longer produces, all stamped with an older `computed_at`; SQLite deletes the
    periods' rows and inserts the new ones.

    Returns the rank partitions (period_id, method_version, dimension_id) that a one-State recompute must
    re-rank: those where the State's score or eligibility moved (its rows there came without a true rank).
    """
    stale = Scorecard.objects.filter(period__in=periods)
    if not state_code:
        moved = set()
    else:
        stale = stale.filter(state_id=state_code)
        old = scoring.rank_partitions(stale.values_list(*[name for name, _ in scoring.STATE_SCORECARD_COLUMNS[:8]]))
        new = scoring.rank_partitions(rows)
        moved = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    if connection.vendor != "postgresql":
        stale.delete()
        for start in range(0, len(rows), scoring.INSERT_BATCH_ROWS):
            batch = rows[start : start + scoring.INSERT_BATCH_ROWS]
            cursor.execute(scoring.insert_state_scorecards(len(batch)), [value for row in batch for value in row])
        return moved | set(scoring.rank_partitions(rows)) if state_code else moved
    if rows:
        merge = scoring.merge_state_scorecards(one_state=bool(state_code))
        columns = [list(column) for column in zip(*rows, strict=True)]
        cursor.execute(merge, columns + [state_code] if state_code else columns)
    stale.exclude(computed_at=computed_at).delete()
    return moved


def scorecards_compute_periods(
    *, periods: list[Period], state_code: str | None = None, with_followup: bool = True
) -> int:
    """Recompute these periods for all States (or one) in one transaction. Returns State rows written.

    `with_followup=False` leaves the follow-up index alone, for callers whose change cannot move it.

    Writes the rows of every method in `settings.SCORING_METHODS` (by default 1 and 2) in the
    same statement, so both versions always describe the same reports.

    Readers see the old sets or the new sets, never a mix: the deletes and the
    inserts commit together. Locks on the period rows serialise concurrent runs.
    """
    periods = sorted(periods, key=lambda period: (period.start, -period.end.toordinal()))
    if not periods:
        return 0
    started = time.monotonic()
    computed_at = timezone.now()
    with transaction.atomic():
        list(Period.objects.select_for_update().filter(pk__in=[p.pk for p in periods]).order_by("pk"))
        with connection.cursor() as cursor:
            statement = scoring.state_scorecards_statement(
                settings.SCORING_METHODS, periods=len(periods), vendor=connection.vendor, one_state=bool(state_code)
            )
            cursor.execute(statement, scoring_params(periods, state_code=state_code, computed_at=computed_at))
            rows = cursor.fetchall()
            moved = _write_state_rows(cursor, rows, periods=periods, state_code=state_code, computed_at=computed_at)
            written = len(rows)
            _update_ranks(cursor, moved)
            _refresh_period_aggregates(cursor, periods, state_code=state_code, computed_at=computed_at)
        if with_followup:
            # The follow-up index does not depend on the scoring method: one set of rows, tagged with the default.
            followup_compute_periods(
                periods=periods, state_code=state_code, method_version=DEFAULT_METHOD, computed_at=computed_at
            )
        _pause_for_fault_tests()
    logger.info(
        "scorecards computed: periods=%s state=%s rows=%s seconds=%.2f",
        ",".join(period.label for period in periods),
        state_code or "all",
        written,
        time.monotonic() - started,
    )
    return written


def scorecards_compute_period(*, period: Period | str, state_code: str | None = None) -> int:
    """Recompute one period for all States (or one State) in one transaction."""
    if isinstance(period, str):
        period = Period.objects.for_label(period)
    return scorecards_compute_periods(periods=[period], state_code=state_code)


def scorecards_compute_year(*, year: int) -> int:
    """The four quarters and the year, in one statement and one transaction."""
    return scorecards_compute_periods(periods=[Period.objects.for_span(span) for span in periods_of_year(year)])


def scorecards_compute_for_report(*, state_code: str, observed_on) -> list[str]:
    """Recompute one State in every already-computed period a report on that day can change."""
    if not State.objects.filter(code=state_code).exists():
        return []
    labels = [span.label for span in periods_affected_by(observed_on, until=timezone.localdate())]
    computed = Scorecard.objects.filter(period=OuterRef("pk"))
    periods = list(Period.objects.filter(Exists(computed), label__in=labels))
    # A report moves no follow-up row (the index reads recommendations, assessments and memberships only):
    # assessments have their own recompute (followup_recompute.py), and the full recompute writes both.
    scorecards_compute_periods(periods=periods, state_code=state_code, with_followup=False)
    return sorted(period.label for period in periods)


def current_and_previous_periods(today=None) -> list[PeriodSpan]:
    """What the nightly job recomputes: the current and previous quarter and year."""
    today = today or timezone.localdate()
    quarter = PeriodSpan.containing(today, "quarter")
    year = PeriodSpan.containing(today, "year")
    return [quarter.previous(), quarter, year.previous(), year]


def scorecards_stale_periods() -> list[Period]:
    """Computed periods that a report changed since their last computation may have moved.

    The catch-up for recomputes that were never queued (a broker outage) or were lost.
    A report counts if it is or ever was verified (whatever its status now: retracted, or
    moved back by any path), was changed after the period's oldest row was computed, and
    was observed within the period's implementation window (which contains the period
    itself, where its violations count).
    """
    computed = Period.objects.filter(scorecard__isnull=False).annotate(computed_at=Min("scorecard__computed_at"))
    stale = []
    for period in computed.order_by("start", "-end"):
        span = period.span
        changed = Report.objects.filter(
            Q(ever_verified=True) | Q(status=ReportStatus.VERIFIED),
            updated_at__gt=period.computed_at,
            observed_on__gte=span.lookback_start,
            observed_on__lte=span.end,
        )
        # The follow-up index, written by the same recompute, reads recommendations and assessments.
        if changed.exists() or followup_inputs_changed(since=period.computed_at, until=span.end):
            stale.append(period)
    return stale


def scorecards_recompute_stale() -> list[str]:
    """Recompute every stale period (all States) in one statement and one transaction."""
    stale = scorecards_stale_periods()
    scorecards_compute_periods(periods=stale)
    return [period.label for period in stale]
