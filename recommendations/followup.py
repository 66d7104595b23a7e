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

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Q

from states.models import Membership

from .models import FollowUpIndex

OVERDUE_AFTER = relativedelta(months=24)

REC_ROWS_CTES = """
periods (label, period_start, period_end, overdue_cutoff) AS (VALUES {periods}),
recs AS (
    SELECT p.label, p.period_end, p.overdue_cutoff, r.id, r.state_id, r.source_date
    FROM periods p
    JOIN recommendations_recommendation r ON r.source_date <= p.period_end
    WHERE %(state)s IS NULL OR r.state_id = %(state)s
),
verified AS (
    SELECT a.id, a.recommendation_id, a.rating, a.assessed_on
    FROM recommendations_assessment a WHERE a.status = 'verified'
),
ranked_assessments AS (
    SELECT rc.label, rc.id AS recommendation_id, v.rating, v.assessed_on,
           ROW_NUMBER() OVER (PARTITION BY rc.label, rc.id ORDER BY v.assessed_on DESC, v.id DESC) AS position
    FROM recs rc
    JOIN verified v ON v.recommendation_id = rc.id AND v.assessed_on <= rc.period_end
),
latest AS (
    -- A left join from recs keeps the planner's row estimate at the recommendations' count; filtering
    -- the window's output instead (position = 1) made it guess one row and nest loops over the groups.
    SELECT rc.label, rc.id, rc.state_id, rc.source_date, rc.overdue_cutoff, a.rating, a.assessed_on
    FROM recs rc
    LEFT JOIN ranked_assessments a ON a.label = rc.label AND a.recommendation_id = rc.id AND a.position = 1
),
first_fully AS (
    SELECT rc.label, rc.id, MIN(v.assessed_on) AS fully_on
    FROM recs rc
    JOIN verified v ON v.recommendation_id = rc.id AND v.rating = 'fully' AND v.assessed_on <= rc.period_end
    GROUP BY rc.label, rc.id
),
rec_rows AS (
    SELECT l.label, l.id, l.state_id, COALESCE(l.rating, 'not_assessed') AS status,
           CASE l.rating WHEN 'fully' THEN 100 WHEN 'mostly' THEN 75 WHEN 'partially' THEN 50
                         WHEN 'not_implemented' THEN 0 END AS value,
           CASE WHEN l.rating IN ('fully', 'no_longer_applicable') THEN 0
                WHEN COALESCE(l.assessed_on, l.source_date) <= l.overdue_cutoff THEN 1 ELSE 0 END AS overdue,
           {days_to_fully} AS days_to_fully
    FROM latest l LEFT JOIN first_fully f ON f.label = l.label AND f.id = l.id
),
rec_dimensions AS (
    SELECT DISTINCT rr.label, rr.id, c.dimension_id
    FROM rec_rows rr
    JOIN recommendations_recommendation_commitments rc ON rc.recommendation_id = rr.id
    JOIN commitments_commitment c ON c.id = rc.commitment_id
    UNION ALL
    SELECT label, id, NULL FROM rec_rows
)
"""

AGGREGATE = """
ranked AS (
    SELECT label, who_state, who_group, dimension_id, days_to_fully,
           ROW_NUMBER() OVER (
               PARTITION BY label, who_state, who_group, dimension_id ORDER BY days_to_fully
           ) AS position,
           COUNT(*) OVER (PARTITION BY label, who_state, who_group, dimension_id) AS fully_total
    FROM subjects WHERE days_to_fully IS NOT NULL
),
medians AS (
    SELECT label, who_state, who_group, dimension_id, ROUND(AVG(days_to_fully)) AS median_days
    FROM ranked WHERE position IN ((fully_total + 1) / 2, (fully_total + 2) / 2)
    GROUP BY label, who_state, who_group, dimension_id
),
aggregated AS (
    SELECT label, who_state, who_group, dimension_id,
           ROUND(AVG(value) * 1.0, 1) AS followup_index,
           COUNT(*) AS recommendations, COUNT(value) AS rated,
           SUM(CASE status WHEN 'fully' THEN 1 ELSE 0 END) AS fully,
           SUM(CASE status WHEN 'mostly' THEN 1 ELSE 0 END) AS mostly,
           SUM(CASE status WHEN 'partially' THEN 1 ELSE 0 END) AS partially,
           SUM(CASE status WHEN 'not_implemented' THEN 1 ELSE 0 END) AS not_implemented,
           SUM(CASE status WHEN 'no_longer_applicable' THEN 1 ELSE 0 END) AS no_longer_applicable,
           SUM(CASE status WHEN 'not_assessed' THEN 1 ELSE 0 END) AS not_assessed,
           SUM(overdue) AS overdue
    FROM subjects
    GROUP BY label, who_state, who_group, dimension_id
)
SELECT a.label, p.period_start, p.period_end, a.who_state, a.who_group, a.dimension_id, a.followup_index,
       a.recommendations, a.rated, a.fully, a.mostly, a.partially, a.not_implemented, a.no_longer_applicable,
       a.not_assessed, a.overdue, m.median_days, %(method_version)s, %(computed_at)s
FROM aggregated a
JOIN periods p ON p.label = a.label
LEFT JOIN medians m
  ON m.label = a.label AND COALESCE(m.who_state, '') = COALESCE(a.who_state, '')
 AND COALESCE(m.who_group, 0) = COALESCE(a.who_group, 0) AND COALESCE(m.dimension_id, 0) = COALESCE(a.dimension_id, 0)
"""

INSERT = """
INSERT INTO recommendations_followupindex (
    period, period_start, period_end, state_id, group_id, dimension_id, "index",
    recommendation_count, rated_count, fully_count, mostly_count, partially_count, not_implemented_count,
    no_longer_applicable_count, not_assessed_count, overdue_count, median_days_to_fully,
    method_version, computed_at
)
WITH """

STATE_SUBJECTS = """,
subjects AS (
    SELECT rr.label, rr.state_id AS who_state, CAST(NULL AS bigint) AS who_group, rd.dimension_id,
           rr.status, rr.value, rr.overdue, rr.days_to_fully
    FROM rec_rows rr JOIN rec_dimensions rd ON rd.label = rr.label AND rd.id = rr.id
),"""

# Every group the State belongs to at the period's end, and "all participating States" (group NULL).
GROUP_SUBJECTS = """,
members AS (
    SELECT p.label, m.state_id, m.group_id
    FROM periods p
    JOIN states_membership m ON m.joined_on <= p.period_end AND (m.left_on IS NULL OR m.left_on > p.period_end)
    JOIN states_state s ON s.code = m.state_id AND s.admitted_on <= p.period_end
    UNION ALL
    SELECT p.label, s.code, NULL FROM periods p JOIN states_state s ON s.admitted_on <= p.period_end
),
subjects AS (
    SELECT rr.label, CAST(NULL AS varchar(2)) AS who_state, m.group_id AS who_group, rd.dimension_id,
           rr.status, rr.value, rr.overdue, rr.days_to_fully
    FROM rec_rows rr
    JOIN rec_dimensions rd ON rd.label = rr.label AND rd.id = rr.id
    JOIN members m ON m.label = rr.label AND m.state_id = rr.state_id{group_scope}
),"""


def _group_scope(periods, state_code: str | None) -> tuple[str, dict, Q]:
    """After a recompute of one State, only the group rows it can move: "all States" and the groups it
    belongs to at each period's end. Returns the SQL condition on `members` with its parameters, and the
    same rows as a filter on the stored group rows."""
    if not state_code:
        return "", {}, Q()
    memberships = list(Membership.objects.filter(state_id=state_code).only("group_id", "joined_on", "left_on"))
    pairs = sorted(
        {(period.label, m.group_id) for period in periods for m in memberships if m.is_active_on(period.end)}
    )
    params = {}
    for index, (label, group_id) in enumerate(pairs):
        params[f"scope{index}_label"], params[f"scope{index}_group"] = label, group_id
    values = ", ".join(f"(%(scope{index}_label)s, %(scope{index}_group)s)" for index in range(len(pairs)))
    condition = "\n    WHERE m.group_id IS NULL" + (f" OR (m.label, m.group_id) IN (VALUES {values})" if pairs else "")
    stored = Q(group__isnull=True)
    for label, group_id in pairs:
        stored |= Q(period=label, group_id=group_id)
    return condition, params, stored


def _statement(subjects: str, count: int) -> str:
    postgres = connection.vendor == "postgresql"
    date = "CAST(%({name})s AS date)" if postgres else "%({name})s"
    values = ", ".join(
        f"(%(p{i}_label)s, "
        + ", ".join(date.format(name=f"p{i}_{field}") for field in ("start", "end", "cutoff"))
        + ")"
        for i in range(count)
    )
    days = (
        "f.fully_on - l.source_date"
        if postgres
        else "CAST(julianday(f.fully_on) - julianday(l.source_date) AS INTEGER)"
    )
    ctes = REC_ROWS_CTES.replace("{periods}", values).replace("{days_to_fully}", days)
    return INSERT + ctes + subjects + AGGREGATE


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

    Call inside the recompute's transaction. Group rows pool all member States: after a recompute of one
    State, those of "all States" and of the groups it belongs to are recomputed whole. Returns the State
    rows written.
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
    group_scope, scope_params, stored_scope = _group_scope(periods, state_code)
    stale.filter(stored_scope, state__isnull=True).delete()
    params = _params(periods, state_code=state_code, method_version=method_version, computed_at=computed_at)
    with connection.cursor() as cursor:
        cursor.execute(_statement(STATE_SUBJECTS, len(periods)), params)
        written = cursor.rowcount
        groups = _statement(GROUP_SUBJECTS.replace("{group_scope}", group_scope), len(periods))
        cursor.execute(groups, params | scope_params | {"state": None})
    return written
