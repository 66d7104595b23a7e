"""The follow-up index as set-based SQL (see docs/methodology.md, "Follow-up index").

Written by the scorecards recompute, in its transaction, for the same periods: scorecards call
`followup_compute_periods`; this app never imports scorecards. Periods are anything with `label`,
`start` and `end` (scorecards' Period rows).

Per period P (end E), for each recommendation issued by E: its rating as of E is that of its latest
verified assessment dated on or before E (none: not assessed). Values fully/mostly/partially/not
implemented = 100/75/50/0; no longer applicable and not assessed have no value. A row aggregates the
recommendations of a State (or of a group's members at E, or of all States) serving a commitment of
one dimension (or any, for the overall row): index = mean value to one decimal; counts by status;
overdue = not closed and last verified assessment (or issuance) on or before E minus 24 months;
median days from issuance to the first verified `fully` dated on or before E.
"""

from contextlib import contextmanager

from dateutil.relativedelta import relativedelta
from django.db import connection

from .models import FollowUpIndex

OVERDUE_AFTER = relativedelta(months=24)

# One statement writes every row: the State rows (of one State, or all) and the group rows.
# The index is a stock, not a flow: it depends on the period's end only, so each distinct end is computed
# once (a year and its fourth quarter share theirs). Each verified assessment holds from its date until
# the next verified one of the same recommendation (`superseded_on`), so "the latest as of E" is a plain
# join, not a sort per period. State rows aggregate the recommendations; group rows add up their members'
# State aggregates, and only the medians go back to the recommendations.
STATEMENT = """
WITH
periods (label, period_start, period_end, overdue_cutoff) AS (VALUES {periods}),
ends AS (SELECT DISTINCT period_end, overdue_cutoff FROM periods),
verified AS (
    SELECT recommendation_id, rating, assessed_on,
           LEAD(assessed_on) OVER (PARTITION BY recommendation_id ORDER BY assessed_on, id) AS superseded_on
    FROM recommendations_assessment WHERE status = 'verified'
),
first_fully AS (
    SELECT recommendation_id, MIN(assessed_on) AS fully_on
    FROM recommendations_assessment WHERE status = 'verified' AND rating = 'fully'
    GROUP BY recommendation_id
),
rec_rows AS (
    SELECT e.period_end, r.id, r.state_id, COALESCE(v.rating, 'not_assessed') AS status,
           CASE v.rating WHEN 'fully' THEN 100 WHEN 'mostly' THEN 75 WHEN 'partially' THEN 50
                         WHEN 'not_implemented' THEN 0 END AS value,
           CASE WHEN v.rating IN ('fully', 'no_longer_applicable') THEN 0
                WHEN COALESCE(v.assessed_on, r.source_date) <= e.overdue_cutoff THEN 1 ELSE 0 END AS overdue,
           CASE WHEN f.fully_on <= e.period_end THEN {days_to_fully} END AS days_to_fully
    FROM ends e
    JOIN recommendations_recommendation r ON r.source_date <= e.period_end
    LEFT JOIN first_fully f ON f.recommendation_id = r.id
    LEFT JOIN verified v
      ON v.recommendation_id = r.id AND v.assessed_on <= e.period_end
     AND (v.superseded_on IS NULL OR v.superseded_on > e.period_end)
),
rec_dimensions AS (
    SELECT DISTINCT rc.recommendation_id AS id, c.dimension_id
    FROM recommendations_recommendation_commitments rc JOIN commitments_commitment c ON c.id = rc.commitment_id
),
-- Each recommendation counts once in every dimension it serves, and once in the overall row (dimension 0).
by_state AS (
    SELECT rr.period_end, rr.state_id, rd.dimension_id, {counts}
    FROM rec_rows rr JOIN rec_dimensions rd ON rd.id = rr.id
    GROUP BY rr.period_end, rr.state_id, rd.dimension_id
    UNION ALL
    SELECT rr.period_end, rr.state_id, 0, {counts}
    FROM rec_rows rr
    GROUP BY rr.period_end, rr.state_id
),
-- Every group the State belongs to at the period's end, and "all participating States" (group 0).
members AS (
    SELECT e.period_end, m.state_id, m.group_id
    FROM ends e
    JOIN states_membership m ON m.joined_on <= e.period_end AND (m.left_on IS NULL OR m.left_on > e.period_end)
    JOIN states_state s ON s.code = m.state_id AND s.admitted_on <= e.period_end
    UNION ALL
    SELECT e.period_end, s.code, 0 FROM ends e JOIN states_state s ON s.admitted_on <= e.period_end
),
by_group AS (
    SELECT b.period_end, m.group_id, b.dimension_id,
           SUM(value_sum) AS value_sum, SUM(rated) AS rated, SUM(recommendations) AS recommendations,
           SUM(fully) AS fully, SUM(mostly) AS mostly, SUM(partially) AS partially,
           SUM(not_implemented) AS not_implemented, SUM(no_longer_applicable) AS no_longer_applicable,
           SUM(not_assessed) AS not_assessed, SUM(overdue) AS overdue, SUM(with_days) AS with_days
    FROM by_state b JOIN members m ON m.period_end = b.period_end AND m.state_id = b.state_id
    GROUP BY b.period_end, m.group_id, b.dimension_id
),
aggregated AS (
    SELECT period_end, state_id AS who_state, 0 AS who_group, dimension_id, value_sum, rated, recommendations,
           fully, mostly, partially, not_implemented, no_longer_applicable, not_assessed, overdue, with_days
    FROM by_state
    UNION ALL
    SELECT period_end, '', group_id, dimension_id, value_sum, rated, recommendations,
           fully, mostly, partially, not_implemented, no_longer_applicable, not_assessed, overdue, with_days
    FROM by_group
),
-- The medians: only the recommendations fully implemented by the period's end, sorted once.
fully_rows AS (
    SELECT period_end, state_id, id, days_to_fully FROM rec_rows WHERE days_to_fully IS NOT NULL
),
fully_subjects AS (
    SELECT f.period_end, f.state_id, f.days_to_fully, rd.dimension_id
    FROM fully_rows f JOIN rec_dimensions rd ON rd.id = f.id
    UNION ALL
    SELECT period_end, state_id, days_to_fully, 0 FROM fully_rows
),
fully_days AS (
    SELECT period_end, state_id AS who_state, 0 AS who_group, dimension_id, days_to_fully FROM fully_subjects
    UNION ALL
    SELECT f.period_end, '', m.group_id, f.dimension_id, f.days_to_fully
    FROM fully_subjects f JOIN members m ON m.period_end = f.period_end AND m.state_id = f.state_id
),
ranked AS (
    SELECT period_end, who_state, who_group, dimension_id, days_to_fully,
           ROW_NUMBER() OVER (
               PARTITION BY period_end, who_group, dimension_id, who_state{bytewise} ORDER BY days_to_fully
           ) AS position
    FROM fully_days
),
medians AS (
    SELECT r.period_end, r.who_state, r.who_group, r.dimension_id, ROUND(AVG(r.days_to_fully)) AS median_days
    FROM ranked r
    JOIN aggregated a
      ON a.period_end = r.period_end AND a.who_state = r.who_state AND a.who_group = r.who_group
     AND a.dimension_id = r.dimension_id
    -- Integer halves (group sums come back as numeric on PostgreSQL).
    WHERE r.position IN ((CAST(a.with_days AS integer) + 1) / 2, (CAST(a.with_days AS integer) + 2) / 2)
    GROUP BY r.period_end, r.who_state, r.who_group, r.dimension_id
)
SELECT p.label, p.period_start, p.period_end, NULLIF(a.who_state, ''), NULLIF(a.who_group, 0),
       NULLIF(a.dimension_id, 0), ROUND(a.value_sum * 1.0 / NULLIF(a.rated, 0), 1),
       a.recommendations, a.rated, a.fully, a.mostly, a.partially, a.not_implemented, a.no_longer_applicable,
       a.not_assessed, a.overdue, md.median_days, %(method_version)s, %(computed_at)s
FROM aggregated a
JOIN periods p ON p.period_end = a.period_end
LEFT JOIN medians md
  ON md.period_end = a.period_end AND md.who_state = a.who_state AND md.who_group = a.who_group
 AND md.dimension_id = a.dimension_id
WHERE %(state)s IS NULL OR a.who_state IN (%(state)s, '')
"""

COUNTS = """SUM(rr.value) AS value_sum, COUNT(rr.value) AS rated, COUNT(*) AS recommendations,
           SUM(CASE rr.status WHEN 'fully' THEN 1 ELSE 0 END) AS fully,
           SUM(CASE rr.status WHEN 'mostly' THEN 1 ELSE 0 END) AS mostly,
           SUM(CASE rr.status WHEN 'partially' THEN 1 ELSE 0 END) AS partially,
           SUM(CASE rr.status WHEN 'not_implemented' THEN 1 ELSE 0 END) AS not_implemented,
           SUM(CASE rr.status WHEN 'no_longer_applicable' THEN 1 ELSE 0 END) AS no_longer_applicable,
           SUM(CASE rr.status WHEN 'not_assessed' THEN 1 ELSE 0 END) AS not_assessed,
           SUM(rr.overdue) AS overdue, COUNT(rr.days_to_fully) AS with_days"""

INSERT = """
INSERT INTO recommendations_followupindex (
    period, period_start, period_end, state_id, group_id, dimension_id, "index",
    recommendation_count, rated_count, fully_count, mostly_count, partially_count, not_implemented_count,
    no_longer_applicable_count, not_assessed_count, overdue_count, median_days_to_fully,
    method_version, computed_at
)
"""


def _statement(count: int) -> str:
    postgres = connection.vendor == "postgresql"
    date = "CAST(%({name})s AS date)" if postgres else "%({name})s"
    values = ", ".join(
        f"(%(p{i}_label)s, "
        + ", ".join(date.format(name=f"p{i}_{field}") for field in ("start", "end", "cutoff"))
        + ")"
        for i in range(count)
    )
    days = (
        "f.fully_on - r.source_date"
        if postgres
        else "CAST(julianday(f.fully_on) - julianday(r.source_date) AS INTEGER)"
    )
    statement = STATEMENT.replace("{periods}", values).replace("{days_to_fully}", days).replace("{counts}", COUNTS)
    statement = statement.replace("{bytewise}", ' COLLATE "C"' if postgres else "")
    return INSERT + statement


def _params(periods, *, state_code, method_version, computed_at) -> dict:
    ops = connection.ops
    params = {
        "state": state_code,
        "method_version": method_version,
        "computed_at": ops.adapt_datetimefield_value(computed_at),
    }
    for i, period in enumerate(periods):
        params[f"p{i}_label"] = period.label
        params[f"p{i}_start"] = ops.adapt_datefield_value(period.start)
        params[f"p{i}_end"] = ops.adapt_datefield_value(period.end)
        params[f"p{i}_cutoff"] = ops.adapt_datefield_value(period.end - OVERDUE_AFTER)
    return params


def followup_compute_periods(*, periods, state_code: str | None, method_version: int, computed_at) -> int:
    """Replace the follow-up rows of these periods: one State's (or all States'), and every group's.

    Call inside the recompute's transaction. Group rows pool all member States, so they are always
    recomputed whole. Returns the rows written (State and group rows).
    """
    periods = list(periods)
    if not periods:
        return 0
    labels = [period.label for period in periods]
    stale = FollowUpIndex.objects.filter(period__in=labels, method_version=method_version)
    state_rows = stale.filter(state__isnull=False)
    if state_code:
        state_rows = state_rows.filter(state_id=state_code)
    state_rows.delete()
    stale.filter(state__isnull=True).delete()
    params = _params(periods, state_code=state_code, method_version=method_version, computed_at=computed_at)
    with connection.cursor() as cursor, _without_jit(cursor):
        cursor.execute(_statement(len(periods)), params)
        return cursor.rowcount


@contextmanager
def _without_jit(cursor):
    """PostgreSQL's JIT compiler spends seconds on this statement (its row estimates are far too high for
    the CTEs) to save milliseconds: off for the statement, back to what it was after (bench/followup.py)."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
    (previous, _) = cursor.fetchone()
    yield
    cursor.execute("SELECT set_config('jit', %s, true)", [previous])
