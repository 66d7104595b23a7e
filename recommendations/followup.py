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
from django.db.models import Q

from states.models import Membership

from .models import FollowUpIndex

OVERDUE_AFTER = relativedelta(months=24)

# One statement writes every row: the State rows (of one State, or all) and the group rows.
# The index is a stock, not a flow: it depends on the period's end only. Each distinct end E_k gets its own
# columns (`_k` below), so every recommendation is read once, not once per period: its rating as of E_k
# is that of the verified assessment whose validity (from its date to the next verified one) contains E_k.
# State rows aggregate the recommendations; group rows add up their members' State sums; the medians sort
# the fully implemented recommendations once, with a running count per end.
STATEMENT = """
WITH
periods (label, period_start, period_end) AS (VALUES {periods}),
verified AS (
    SELECT recommendation_id, rating, assessed_on,
           LEAD(assessed_on) OVER (PARTITION BY recommendation_id ORDER BY assessed_on, id) AS superseded_on
    FROM recommendations_assessment WHERE status = 'verified'
),
as_of AS (
    SELECT recommendation_id, MIN(CASE WHEN rating = 'fully' THEN assessed_on END) AS fully_on, {as_of}
    FROM verified GROUP BY recommendation_id
),
rec_facts AS (
    SELECT r.id, r.state_id, r.source_date, a.fully_on, {as_of_columns}
    FROM recommendations_recommendation r
    LEFT JOIN as_of a ON a.recommendation_id = r.id
    WHERE r.source_date <= {last_end}
),
rec_dimensions AS (
    SELECT DISTINCT rc.recommendation_id AS id, c.dimension_id
    FROM recommendations_recommendation_commitments rc JOIN commitments_commitment c ON c.id = rc.commitment_id
),
-- Each recommendation counts once in every dimension it serves, and once in the overall row (dimension 0).
rec_subjects AS (
    SELECT rf.*, rd.dimension_id FROM rec_facts rf JOIN rec_dimensions rd ON rd.id = rf.id
    UNION ALL
    SELECT rf.*, 0 FROM rec_facts rf
),
state_sums AS (
    SELECT state_id, dimension_id, {sums} FROM rec_subjects GROUP BY state_id, dimension_id
),
by_state AS ({by_state}),
-- Every group the State belongs to, and "all participating States" (group 0); MEMBER picks those of E_k.
memberships AS (
    SELECT m.state_id, m.group_id, m.joined_on, m.left_on, s.admitted_on
    FROM states_membership m JOIN states_state s ON s.code = m.state_id
    UNION ALL
    SELECT code, 0, admitted_on, NULL, admitted_on FROM states_state
),
members AS ({members}),
by_group AS (
    SELECT b.period_end, m.group_id, b.dimension_id,
           SUM(value_sum) AS value_sum, SUM(rated) AS rated, SUM(recommendations) AS recommendations,
           SUM(fully) AS fully, SUM(mostly) AS mostly, SUM(partially) AS partially,
           SUM(not_implemented) AS not_implemented, SUM(no_longer_applicable) AS no_longer_applicable,
           SUM(not_assessed) AS not_assessed, SUM(overdue) AS overdue
    FROM by_state b JOIN members m ON m.period_end = b.period_end AND m.state_id = b.state_id
    GROUP BY b.period_end, m.group_id, b.dimension_id
),
aggregated AS (
    SELECT period_end, state_id AS who_state, 0 AS who_group, dimension_id, value_sum, rated, recommendations,
           fully, mostly, partially, not_implemented, no_longer_applicable, not_assessed, overdue
    FROM by_state
    UNION ALL
    SELECT period_end, '', group_id, dimension_id, value_sum, rated, recommendations,
           fully, mostly, partially, not_implemented, no_longer_applicable, not_assessed, overdue
    FROM by_group
),
-- The medians: the recommendations fully implemented by the last end, each in its State and its groups.
fully_subjects AS (
    SELECT state_id, dimension_id, fully_on, {days_to_fully} AS days_to_fully
    FROM rec_subjects WHERE fully_on <= {last_end}
),
fully_days AS (
    SELECT state_id AS who_state, 0 AS who_group, dimension_id, days_to_fully, {state_included}
    FROM fully_subjects
    UNION ALL
    SELECT '', m.group_id, f.dimension_id, f.days_to_fully, {group_included}
    FROM fully_subjects f JOIN memberships m ON m.state_id = f.state_id
),
ranked AS (
    SELECT who_state, who_group, dimension_id, days_to_fully, {positions}
    FROM fully_days
    WINDOW whole AS (PARTITION BY who_group, dimension_id, who_state{bytewise}),
           running AS (whole ORDER BY days_to_fully ROWS UNBOUNDED PRECEDING)
),
-- The one or two middle rows of each end's sorted list: a few thousand rows, read once per end.
middles AS (SELECT * FROM ranked WHERE {middle}),
medians AS ({medians})
SELECT p.label, p.period_start, p.period_end, NULLIF(a.who_state, ''), NULLIF(a.who_group, 0),
       NULLIF(a.dimension_id, 0), ROUND(a.value_sum * 1.0 / NULLIF(a.rated, 0), 1),
       a.recommendations, a.rated, a.fully, a.mostly, a.partially, a.not_implemented, a.no_longer_applicable,
       a.not_assessed, a.overdue, md.median_days, %(method_version)s, %(computed_at)s
FROM aggregated a
JOIN periods p ON p.period_end = a.period_end
LEFT JOIN medians md
  ON md.period_end = a.period_end AND md.who_state = a.who_state AND md.who_group = a.who_group
 AND md.dimension_id = a.dimension_id
WHERE (%(state)s IS NULL OR a.who_state IN (%(state)s, '')){group_scope}
"""

# The pieces repeated once per end k (E_k = {end}, its overdue cutoff = {cutoff}).
AS_OF = """MAX(CASE WHEN assessed_on <= {end} AND (superseded_on IS NULL OR superseded_on > {end})
                THEN rating END) AS rating_{k},
           MAX(CASE WHEN assessed_on <= {end} AND (superseded_on IS NULL OR superseded_on > {end})
                THEN assessed_on END) AS assessed_{k}"""
SUMS = """SUM(CASE WHEN source_date <= {end} THEN 1 ELSE 0 END) AS recommendations_{k},
           SUM(CASE rating_{k} WHEN 'fully' THEN 100 WHEN 'mostly' THEN 75 WHEN 'partially' THEN 50
                               WHEN 'not_implemented' THEN 0 END) AS value_sum_{k},
           SUM(CASE WHEN rating_{k} IN ('fully', 'mostly', 'partially', 'not_implemented') THEN 1 ELSE 0 END)
               AS rated_{k},
           SUM(CASE rating_{k} WHEN 'fully' THEN 1 ELSE 0 END) AS fully_{k},
           SUM(CASE rating_{k} WHEN 'mostly' THEN 1 ELSE 0 END) AS mostly_{k},
           SUM(CASE rating_{k} WHEN 'partially' THEN 1 ELSE 0 END) AS partially_{k},
           SUM(CASE rating_{k} WHEN 'not_implemented' THEN 1 ELSE 0 END) AS not_implemented_{k},
           SUM(CASE rating_{k} WHEN 'no_longer_applicable' THEN 1 ELSE 0 END) AS no_longer_applicable_{k},
           SUM(CASE WHEN source_date <= {end} AND rating_{k} IS NULL THEN 1 ELSE 0 END) AS not_assessed_{k},
           SUM(CASE WHEN source_date <= {end} AND COALESCE(rating_{k}, '') NOT IN ('fully', 'no_longer_applicable')
                     AND COALESCE(assessed_{k}, source_date) <= {cutoff} THEN 1 ELSE 0 END) AS overdue_{k}"""
BY_STATE = """SELECT {end} AS period_end, state_id, dimension_id, value_sum_{k} AS value_sum, rated_{k} AS rated,
           recommendations_{k} AS recommendations, fully_{k} AS fully, mostly_{k} AS mostly,
           partially_{k} AS partially, not_implemented_{k} AS not_implemented,
           no_longer_applicable_{k} AS no_longer_applicable, not_assessed_{k} AS not_assessed,
           overdue_{k} AS overdue
    FROM state_sums WHERE recommendations_{k} > 0"""
MEMBER = "joined_on <= {end} AND (left_on IS NULL OR left_on > {end}) AND admitted_on <= {end}"
MEMBERS = "SELECT {end} AS period_end, state_id, group_id FROM memberships WHERE {member}"
STATE_INCLUDED = "CASE WHEN fully_on <= {end} THEN 1 ELSE 0 END AS included_{k}"
GROUP_INCLUDED = "CASE WHEN f.fully_on <= {end} AND {member} THEN 1 ELSE 0 END"
POSITION = "included_{k}, SUM(included_{k}) OVER running AS position_{k}, SUM(included_{k}) OVER whole AS total_{k}"
MIDDLE = "(included_{k} = 1 AND position_{k} IN ((total_{k} + 1) / 2, (total_{k} + 2) / 2))"
MEDIANS = """SELECT {end} AS period_end, who_state, who_group, dimension_id,
           ROUND(AVG(days_to_fully)) AS median_days
    FROM middles WHERE {middle_k}
    GROUP BY who_state, who_group, dimension_id"""

INSERT = """
INSERT INTO recommendations_followupindex (
    period, period_start, period_end, state_id, group_id, dimension_id, "index",
    recommendation_count, rated_count, fully_count, mostly_count, partially_count, not_implemented_count,
    no_longer_applicable_count, not_assessed_count, overdue_count, median_days_to_fully,
    method_version, computed_at
)
"""


def _ends(periods) -> list:
    """The distinct period ends, oldest first: the index is computed once per end."""
    return sorted({period.end for period in periods})


def _statement(periods, group_scope: str = "") -> str:
    postgres = connection.vendor == "postgresql"
    date = "CAST(%({name})s AS date)" if postgres else "%({name})s"
    values = ", ".join(
        f"(%(p{i}_label)s, {date.format(name=f'p{i}_start')}, {date.format(name=f'p{i}_end')})"
        for i in range(len(periods))
    )
    ends = range(len(_ends(periods)))

    def each(template: str, joiner: str = ",\n           ") -> str:
        def one(k: int) -> str:
            end = date.format(name=f"end{k}")
            text = template.replace("{member}", MEMBER).replace("{middle_k}", MIDDLE)
            return text.replace("{k}", str(k)).replace("{end}", end).replace("{cutoff}", date.format(name=f"cutoff{k}"))

        return joiner.join(one(k) for k in ends)

    union = "\n    UNION ALL\n    "
    days = "fully_on - source_date" if postgres else "CAST(julianday(fully_on) - julianday(source_date) AS INTEGER)"
    parts = {
        "{periods}": values,
        "{as_of}": each(AS_OF),
        "{as_of_columns}": ", ".join(f"a.rating_{k}, a.assessed_{k}" for k in ends),
        "{last_end}": date.format(name=f"end{len(ends) - 1}"),
        "{sums}": each(SUMS),
        "{by_state}": each(BY_STATE, union),
        "{members}": each(MEMBERS, union),
        "{state_included}": each(STATE_INCLUDED),
        "{group_included}": each(GROUP_INCLUDED),
        "{positions}": each(POSITION),
        "{middle}": each(MIDDLE, " OR "),
        "{medians}": each(MEDIANS, union),
        "{days_to_fully}": days,
        "{bytewise}": ' COLLATE "C"' if postgres else "",
    }
    statement = STATEMENT.replace("{group_scope}", group_scope)
    for placeholder, text in parts.items():
        statement = statement.replace(placeholder, text)
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
    for k, end in enumerate(_ends(periods)):
        params[f"end{k}"] = ops.adapt_datefield_value(end)
        params[f"cutoff{k}"] = ops.adapt_datefield_value(end - OVERDUE_AFTER)
    return params


def _group_scope(periods, state_code: str | None) -> tuple[str, dict, Q]:
    """After a recompute of one State, only the group rows it can move: "all States" and the groups it
    belongs to at each period's end. Returns the SQL condition on the statement's rows with its parameters,
    and the same rows as a filter on the stored group rows."""
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
    in_scope = f" OR (p.label, a.who_group) IN (VALUES {values})" if pairs else ""
    condition = f"\n  AND (a.who_state <> '' OR a.who_group = 0{in_scope})"
    stored = Q(group__isnull=True)
    for label, group_id in pairs:
        stored |= Q(period=label, group_id=group_id)
    return condition, params, stored


def followup_compute_periods(*, periods, state_code: str | None, method_version: int, computed_at) -> int:
    """Replace the follow-up rows of these periods: one State's (or all States'), and the group rows.

    Call inside the recompute's transaction. Group rows pool all member States: after a recompute of one
    State, those of "all States" and of the groups it belongs to are recomputed whole; other groups' rows
    cannot move and are left alone. Returns the rows written (State and group rows).
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
    with connection.cursor() as cursor, _without_jit(cursor):
        cursor.execute(_statement(periods, group_scope), params | scope_params)
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
