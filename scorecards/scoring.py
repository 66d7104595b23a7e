"""Scoring methods v1 and v2 as set-based SQL (see docs/methodology.md).

One statement scores any number of periods at once: the verified reports of the
whole span are read once and aggregated per (State, commitment), with one filtered
aggregate per period (see `assessed_ctes`). The statements run on PostgreSQL and
SQLite (FILTER needs SQLite 3.30; only the day number differs); the periods and
their date windows come in as parameters computed by `PeriodSpan`.
Values: implementation level full/partial/none = 100/50/0; violation penalty
minor/serious/grave = 10/25/50.
"""


def periods_values(count: int, *, cast_dates: bool) -> str:
    """A VALUES list of `count` periods: (position, period_id, period_start, period_end, previous_id).

    position is the period's index in the statement (the suffix of its aggregates in `reports_by_commitment`);
    previous_id is the stored period before (the previous quarter or year), NULL if there is none.
    """
    date = "CAST(%({name})s AS date)" if cast_dates else "%({name})s"
    rows = []
    for index in range(count):
        dates = ", ".join(date.format(name=f"p{index}_{field}") for field in ("start", "end"))
        rows.append(f"({index}, %(p{index}_id)s, {dates}, CAST(%(p{index}_previous)s AS BIGINT))")
    return ", ".join(rows)


# The latest implementation report of a (State, commitment) within a period's window is the MAX of one
# integer that packs (observed_on, id, level): the day number (days since 1900-01-01) times 2^42, plus
# the report id times 4, plus the level code (none 0, partial 1, full 2; the level value is code x 50).
# One integer MAX is a plain hash-aggregate step, where a LEAD window would sort the reports.
# Report ids must stay below 2^40 (about 10^12) for the key to hold them.
DAY_NUMBER = {
    "postgresql": "CAST(r.observed_on - DATE '1900-01-01' AS BIGINT)",
    "sqlite": "CAST(julianday(r.observed_on) - julianday('1900-01-01') AS INTEGER)",
}
LATEST_KEY = "{day} * 4398046511104 + r.id * 4 + CASE r.level WHEN 'full' THEN 2 WHEN 'partial' THEN 1 ELSE 0 END"
KEY_REPORT_ID = "latest / 4 %% 1099511627776"  # %% is a % once the parameters are bound
KEY_LEVEL_VALUE = "latest %% 4 * 50"
PENALTY = "CASE r.severity WHEN 'minor' THEN 10 WHEN 'serious' THEN 25 ELSE 50 END"


def _period_aggregates(index: int) -> str:
    """One period's filtered aggregates over a (State, commitment)'s reports: its latest implementation
    report within the 36 months up to the period's end, and the sum and count of its violations inside it.
    The bounds are the period's literal dates, so the planner sees real constants."""
    implementation = (
        f"r.kind = 'implementation' AND r.observed_on >= %(p{index}_lookback)s AND r.observed_on <= %(p{index}_end)s"
    )
    violation = f"r.kind = 'violation' AND r.observed_on >= %(p{index}_start)s AND r.observed_on <= %(p{index}_end)s"
    return (
        f"MAX(latest_key) FILTER (WHERE {implementation}) AS latest_{index},\n"
        f"           SUM(penalty) FILTER (WHERE {violation}) AS penalty_{index},\n"
        f"           COUNT(*) FILTER (WHERE {violation}) AS violations_{index}"
    )


def _by_period(count: int, *, vendor: str) -> str:
    """One row per period for each (State, commitment) of `reports_by_commitment`, with that period's
    aggregates as `latest`, `penalty` and `violations`.

    PostgreSQL: a LATERAL VALUES list, one row per period, so the columns are plain values. SQLite has
    no LATERAL: a CASE on the period's position (PostgreSQL would evaluate it at every reference).
    """
    if vendor == "postgresql":
        rows = ", ".join(f"({i}, c.latest_{i}, c.penalty_{i}, c.violations_{i})" for i in range(count))
        return f"""
    SELECT p.period_id, p.period_end, c.state_id, c.commitment_id,
           u.latest, COALESCE(u.penalty, 0) AS penalty, u.violations
    FROM reports_by_commitment c
    CROSS JOIN LATERAL (VALUES {rows}) AS u (position, latest, penalty, violations)
    JOIN periods p ON p.position = u.position"""

    def column(name: str) -> str:
        return "CASE p.position " + " ".join(f"WHEN {i} THEN c.{name}_{i}" for i in range(count)) + " END"

    return f"""
    SELECT p.period_id, p.period_end, c.state_id, c.commitment_id,
           {column("latest")} AS latest, COALESCE({column("penalty")}, 0) AS penalty,
           {column("violations")} AS violations
    FROM reports_by_commitment c CROSS JOIN periods p"""


def assessed_ctes(count: int, *, vendor: str, one_state: bool) -> str:
    """The CTEs down to `assessed`: one row per (period, State, commitment) with a level or a violation.

    Plan: one pass over the verified reports of the whole span (from the earliest period's 36-month
    window to the latest period's end), one hash aggregate per (State, commitment) with filtered
    aggregates per period, then the small result is unpivoted to one row per period and joined to
    the commitments in force and the States participating at each period's end.
    """
    cast_dates = vendor == "postgresql"
    state_filter = "AND r.state_id = %(state)s" if one_state else ""
    per_period = ",\n           ".join(_period_aggregates(index) for index in range(count))
    periods = periods_values(count, cast_dates=cast_dates)
    return f"""
periods (position, period_id, period_start, period_end, previous_id) AS (VALUES {periods}),
in_force AS (
    SELECT p.period_id, c.id AS commitment_id, c.dimension_id, c.weight
    FROM periods p
    JOIN commitments_commitment c
      ON c.in_force_from <= p.period_end AND (c.in_force_until IS NULL OR c.in_force_until >= p.period_end)
),
participating AS (
    SELECT p.period_id, s.code
    FROM periods p JOIN states_state s ON s.admitted_on <= p.period_end
    WHERE %(state)s IS NULL OR s.code = %(state)s
),
verified_reports AS (
    SELECT r.state_id, r.commitment_id, r.kind, r.observed_on,
           {LATEST_KEY.format(day=DAY_NUMBER[vendor])} AS latest_key,
           {PENALTY} AS penalty
    FROM commitments_report r
    WHERE r.status = 'verified' AND r.observed_on >= %(first_day)s AND r.observed_on <= %(last_day)s {state_filter}
),
reports_by_commitment AS (
    SELECT r.state_id, r.commitment_id,
           {per_period}
    FROM verified_reports r
    GROUP BY r.state_id, r.commitment_id
),
by_period AS (
    -- One row per period for each (State, commitment) with reports in the span.{_by_period(count, vendor=vendor)}
),
assessed AS (
    -- Commitments in force at the period's end only. (States not participating then have no row in
    -- `participating`, so their rows drop out where the scores are joined to it.) Joined on the key,
    -- not to `in_force`: the planner then estimates the row count from the table, not from a CTE.
    SELECT b.period_id, b.state_id, b.commitment_id, c.dimension_id, c.weight, c.w,
           {KEY_REPORT_ID} AS implementation_report_id,
           {KEY_LEVEL_VALUE} AS level_value,
           penalty,
           CASE WHEN COALESCE({KEY_LEVEL_VALUE}, 100) - penalty < 0 THEN 0
                ELSE COALESCE({KEY_LEVEL_VALUE}, 100) - penalty END AS value,
           CASE WHEN latest IS NULL THEN 0 ELSE 1 END + violations AS reports,
           violations
    FROM by_period b
    JOIN (
        -- w = the weight in hundredths (weights have two decimals): the sums below are integer sums, far
        -- cheaper than numeric ones, and exact; every ratio of them equals the ratio of the weights' sums.
        SELECT id, dimension_id, weight, CAST(weight * 100 AS BIGINT) AS w, in_force_from, in_force_until
        FROM commitments_commitment
    ) c ON c.id = b.commitment_id
    WHERE (b.latest IS NOT NULL OR b.violations > 0)
      AND c.in_force_from <= b.period_end AND (c.in_force_until IS NULL OR c.in_force_until >= b.period_end)
)
"""


# One pass over the assessed commitments gives both methods' sums per State, dimension and period.
# Method 1 uses every assessed commitment; method 2 splits them into A (an implementation report:
# level L, value y = max(0, L - penalties)) and the rest (violations only: deduction d = min(100, penalties)).
# The weighted sums of w*w, w*w*y and w*w*y*y give the interval's variance in the same pass:
# sum of w*w*(y - m)^2 = w2yy - 2*m*w2y + m*m*w2 for the mean m (exact in PostgreSQL numerics).
SCORED_CTES = """,
by_dimension AS (
    SELECT period_id, state_id, dimension_id,
           SUM(value * w) AS v1_sum, SUM(w) AS v1_weight, COUNT(*) AS v1_assessed,
           COUNT(level_value) AS n,
           SUM(w) FILTER (WHERE level_value IS NOT NULL) AS w_a,
           SUM(w * value) FILTER (WHERE level_value IS NOT NULL) AS wy,
           COALESCE(SUM(w * (CASE WHEN penalty > 100 THEN 100 ELSE penalty END)) FILTER (WHERE level_value IS NULL), 0)
               AS wd,
           SUM(w * w) FILTER (WHERE level_value IS NOT NULL) AS w2,
           SUM(w * w * value) FILTER (WHERE level_value IS NOT NULL) AS w2y,
           SUM(w * w * value * value) FILTER (WHERE level_value IS NOT NULL) AS w2yy,
           SUM(reports) AS reports, SUM(violations) AS violations
    FROM assessed
    GROUP BY period_id, state_id, dimension_id
),
in_force_count AS (
    SELECT period_id, dimension_id, COUNT(*) AS commitments FROM in_force GROUP BY period_id, dimension_id
),
grid AS (
    SELECT s.period_id, s.code AS state_id, d.id AS dimension_id, COALESCE(n.commitments, 0) AS in_force,
           b.v1_sum, b.v1_weight, COALESCE(b.v1_assessed, 0) AS v1_assessed, COALESCE(b.n, 0) AS n,
           b.w_a, b.wy, b.wd, b.w2, b.w2y, b.w2yy,
           COALESCE(b.reports, 0) AS reports, COALESCE(b.violations, 0) AS violations
    FROM participating s
    CROSS JOIN commitments_dimension d
    LEFT JOIN in_force_count n ON n.period_id = s.period_id AND n.dimension_id = d.id
    LEFT JOIN by_dimension b ON b.period_id = s.period_id AND b.state_id = s.code AND b.dimension_id = d.id
)"""

# evidence_level: 0 insufficient, 1 limited, 2 sufficient (NULL for method 1); the overall row takes the weakest.
V1_DIMENSION_ROWS = """
v1_rows AS (
    SELECT period_id, state_id, dimension_id, 1 AS method_version,
           ROUND(v1_sum * 1.0 / v1_weight, 1) AS score, CAST(NULL AS NUMERIC) AS score_low,
           CAST(NULL AS NUMERIC) AS score_high, CAST(NULL AS INTEGER) AS evidence_level,
           v1_assessed AS assessed, in_force, reports, violations
    FROM grid
)"""

V2_DIMENSION_ROWS = """
v2_mean AS (
    SELECT g.*,
           CASE WHEN n = 0 THEN NULL WHEN wy - wd <= 0 THEN 0 ELSE (wy - wd) * 1.0 / w_a END AS raw_score,
           CASE WHEN n = 0 THEN NULL ELSE wy * 1.0 / w_a END AS mean_y
    FROM grid g
),
v2_variance AS (
    SELECT m.*,
           CASE WHEN n < 3 THEN NULL
                ELSE n * 1.0 / (n - 1) * (w2yy - 2 * mean_y * w2y + mean_y * mean_y * w2) / (w_a * w_a) END AS se2
    FROM v2_mean m
),
v2_half AS (
    SELECT v.*,
           CASE WHEN se2 IS NULL THEN NULL
                ELSE 1.645 * SQRT(CASE WHEN se2 < 0 THEN 0 ELSE se2 END) * SQRT(1 - n * 1.0 / in_force) END AS half
    FROM v2_variance v
),
v2_rows AS (
    SELECT period_id, state_id, dimension_id, 2 AS method_version,
           ROUND(raw_score, 1) AS score,
           CASE WHEN raw_score IS NULL THEN NULL WHEN n < 3 THEN 0
                WHEN raw_score - half < 0 THEN 0 ELSE ROUND(raw_score - half, 1) END AS score_low,
           CASE WHEN raw_score IS NULL THEN NULL WHEN n < 3 THEN 100
                WHEN raw_score + half > 100 THEN 100 ELSE ROUND(raw_score + half, 1) END AS score_high,
           CASE WHEN n < 3 OR n * 10 < in_force THEN 0 WHEN n * 100 < in_force * 33 THEN 1 ELSE 2 END
               AS evidence_level,
           n AS assessed, in_force, reports, violations
    FROM v2_half
)"""

# Trends and ranks come with the rows, not from UPDATEs afterwards: the previous period's score is
# read from the rows being written (when it is recomputed too) or from the stored rows (the old rows
# of the periods being recomputed are deleted first); ranks are a window over the rows being written.
# A recompute of one State re-ranks afterwards the partitions where its score moved (UPDATE_RANKS).
STATE_ROWS_SELECT = """
dimension_rows AS ({dimension_rows}),
all_rows AS (
    SELECT period_id, state_id, dimension_id, method_version, score, score_low, score_high, evidence_level,
           assessed, in_force, reports, violations
    FROM dimension_rows
    UNION ALL
    SELECT period_id, state_id, NULL, method_version, ROUND(AVG(score), 1), ROUND(AVG(score_low), 1),
           ROUND(AVG(score_high), 1),
           CASE WHEN method_version = 1 THEN NULL
                ELSE COALESCE(MIN(CASE WHEN score IS NOT NULL THEN evidence_level END), 0) END,
           SUM(assessed), SUM(in_force), SUM(reports), SUM(violations)
    FROM dimension_rows GROUP BY period_id, state_id, method_version
),
eligible_rows AS (
    SELECT a.*,
           CASE WHEN score IS NOT NULL AND (evidence_level IS NULL OR evidence_level > 0) THEN 1 ELSE 0 END AS eligible
    FROM all_rows a
),
previous_rows AS (
    SELECT period_id, state_id, dimension_id, method_version, score FROM all_rows
    UNION ALL
    SELECT sc.period_id, sc.state_id, sc.dimension_id, sc.method_version, sc.score
    FROM scorecards_scorecard sc
    WHERE sc.period_id IN (SELECT previous_id FROM periods) AND sc.period_id NOT IN (SELECT period_id FROM periods)
      AND (%(state)s IS NULL OR sc.state_id = %(state)s)
)
SELECT r.period_id, r.state_id, r.dimension_id, r.method_version, r.score, r.score_low, r.score_high,
       CASE r.evidence_level WHEN 0 THEN 'insufficient' WHEN 1 THEN 'limited' WHEN 2 THEN 'sufficient' END,
       CASE WHEN r.in_force = 0 THEN 0 ELSE ROUND(r.assessed * 1.0 / r.in_force, 4) END,
       r.assessed, r.in_force, r.reports, r.violations,
       r.score - prev.score,
       CASE WHEN r.eligible = 1 THEN RANK() OVER (
           PARTITION BY r.period_id, r.method_version, r.dimension_id, r.eligible ORDER BY r.score DESC
       ) END,
       %(computed_at)s
FROM eligible_rows r
JOIN periods p ON p.period_id = r.period_id
LEFT JOIN previous_rows prev
  ON prev.period_id = p.previous_id AND prev.state_id = r.state_id AND prev.method_version = r.method_version
 AND COALESCE(prev.dimension_id, 0) = COALESCE(r.dimension_id, 0)
"""

# The State rows are selected, then written: PostgreSQL plans a plain SELECT in parallel, never the
# SELECT of an INSERT ... SELECT, and the scan is most of the work.
STATE_SCORECARD_COLUMNS = [
    ("period_id", "bigint"),
    ("state_id", "varchar"),
    ("dimension_id", "bigint"),
    ("method_version", "smallint"),
    ("score", "numeric"),
    ("score_low", "numeric"),
    ("score_high", "numeric"),
    ("evidence", "varchar"),
    ("coverage", "numeric"),
    ("assessed_count", "integer"),
    ("in_force_count", "integer"),
    ("report_count", "integer"),
    ("violation_count", "integer"),
    ("trend", "numeric"),
    ("rank", "integer"),
    ("computed_at", "timestamptz"),
]
_COLUMN_NAMES = [name for name, _ in STATE_SCORECARD_COLUMNS]
_KEY = ["period_id", "state_id", "dimension_id", "method_version"]


def merge_state_scorecards(*, one_state: bool) -> str:
    """PostgreSQL: the new rows come as one array per column. Rows that exist are updated in place: their keys
    do not change, so the update writes no index entry (a HOT update) and fires no foreign-key check, where a
    delete and insert would do both for every row. Rows that are new are inserted.

    one_state (a recompute of one State; the State's code is the last parameter): the stored rows are
    looked up by the State's code, a constant, so through its index rather than by reading the table; and a
    row that exists keeps its stored rank, which stays right where the State's score and eligibility did not
    move (the ranks of the partitions where they moved are recomputed afterwards: UPDATE_RANKS).
    """
    updated = [name for name in _COLUMN_NAMES if name not in _KEY and not (one_state and name == "rank")]
    state = "AND sc.state_id = %s" if one_state else ""
    return f"""
MERGE INTO scorecards_scorecard AS sc
USING (
    SELECT * FROM unnest({", ".join(f"%s::{sql_type}[]" for _, sql_type in STATE_SCORECARD_COLUMNS)})
        AS n ({", ".join(_COLUMN_NAMES)})
) AS n
ON sc.period_id = n.period_id AND sc.state_id = n.state_id AND sc.method_version = n.method_version
   AND COALESCE(sc.dimension_id, 0) = COALESCE(n.dimension_id, 0) {state}
WHEN MATCHED THEN UPDATE SET {", ".join(f"{name} = n.{name}" for name in updated)}
WHEN NOT MATCHED THEN INSERT ({", ".join(_COLUMN_NAMES)}) VALUES ({", ".join(f"n.{name}" for name in _COLUMN_NAMES)})
"""


def rank_partitions(rows) -> dict[tuple, tuple]:
    """(period_id, method_version, dimension_id) -> (score, eligible) of State rows as the scoring SELECT
    returns them (columns as in STATE_SCORECARD_COLUMNS): what decides the ranks of the other States."""
    return {(row[0], row[3], row[2]): (row[4], row[4] is not None and row[7] != "insufficient") for row in rows}


INSERT_BATCH_ROWS = 1000  # SQLite: 16 parameters a row stay within its 32,766 bound parameters


def insert_state_scorecards(rows: int) -> str:
    """An INSERT of `rows` State rows as the scoring SELECT returns them (SQLite's path)."""
    row = "(" + ", ".join(["%s"] * len(STATE_SCORECARD_COLUMNS)) + ")"
    return f"INSERT INTO scorecards_scorecard ({', '.join(_COLUMN_NAMES)}) VALUES " + ", ".join([row] * rows)


def state_scorecards_statement(methods: list[int], *, periods: int, vendor: str, one_state: bool) -> str:
    """The SELECT of the State rows of the active methods for `periods` periods (parameters p0_... to pN_...)."""
    branches = {1: ("v1_rows", V1_DIMENSION_ROWS), 2: ("v2_rows", V2_DIMENSION_ROWS)}
    methods = sorted(set(methods))
    if not methods or not set(methods) <= set(branches):
        raise ValueError(f"unknown scoring methods {methods}: use 1 and/or 2")
    ctes = ",".join(branches[method][1] for method in methods)
    union = " UNION ALL ".join(f"SELECT * FROM {branches[method][0]}" for method in methods)
    return (
        "WITH "
        + assessed_ctes(periods, vendor=vendor, one_state=one_state)
        + SCORED_CTES
        + ","
        + ctes
        + ","
        + STATE_ROWS_SELECT.replace("{dimension_rows}", union)
    )


def explain_assessed_statement(*, vendor: str) -> str:
    """The assessed commitments of one State in one period (the explanation of a scorecard)."""
    return (
        "WITH "
        + assessed_ctes(1, vendor=vendor, one_state=True)
        + """
SELECT commitment_id, implementation_report_id, level_value, penalty, value, violations, weight
FROM assessed
WHERE dimension_id = %(dimension_id)s OR %(dimension_id)s IS NULL
"""
    )


def partitions_values(count: int) -> str:
    """A VALUES list of `count` rank partitions (period_id, method_version, dimension_id or 0)."""
    return ", ".join(
        f"(%(moved{index}_period)s, %(moved{index}_method)s, %(moved{index}_dimension)s)" for index in range(count)
    )


def pairs_values(count: int) -> str:
    """A VALUES list of `count` (period_id, previous_period_id) pairs: trends compare each period with its previous."""
    return ", ".join(f"(%(pair{index}_id)s, %(pair{index}_previous)s)" for index in range(count))


def targets_values(count: int, *, cast_dates: bool) -> str:
    """A VALUES list of `count` (period_id, period_end, previous_id) for the group rows: members are
    counted as of each period's end; trends compare with the previous period's group rows."""
    date = "CAST(%(target{index}_end)s AS date)" if cast_dates else "%(target{index}_end)s"
    return ", ".join(
        f"(%(target{index}_id)s, {date.format(index=index)}, CAST(%(target{index}_previous)s AS BIGINT))"
        for index in range(count)
    )


# Ranks after a recompute of one State, in every partition (period, method, dimension) where its score or
# eligibility moved, all at once. Only rows with a score rank, and, under method 2, only rows whose evidence
# is not insufficient: the others get no rank (NULL).
UPDATE_RANKS = """
UPDATE scorecards_scorecard SET rank = ranked.position
FROM (
    SELECT id,
           CASE WHEN eligible = 1 THEN RANK() OVER (
               PARTITION BY period_id, method_version, dimension_id, eligible ORDER BY score DESC
           ) END AS position
    FROM (
        SELECT id, period_id, method_version, dimension_id, score,
               CASE WHEN score IS NOT NULL AND (evidence IS NULL OR evidence <> 'insufficient') THEN 1 ELSE 0 END
                   AS eligible
        FROM scorecards_scorecard
        WHERE (period_id, method_version, COALESCE(dimension_id, 0)) IN (VALUES {partitions})
    ) candidates
) ranked
WHERE scorecards_scorecard.id = ranked.id
  -- Only the rows whose rank moved: one State's new score shifts a few ranks, not all of them.
  AND scorecards_scorecard.rank IS DISTINCT FROM ranked.position
"""

# The periods after the recomputed ones (when stored and not recomputed too) compare with the new scores.
# Joins, not a subquery per row: rows with no previous row keep their NULL trend.
UPDATE_STATE_TRENDS = """
WITH pairs (period_id, previous_period_id) AS (VALUES {pairs})
UPDATE scorecards_scorecard AS cur SET trend = cur.score - prev.score
FROM pairs, scorecards_scorecard AS prev
WHERE cur.period_id = pairs.period_id AND prev.period_id = pairs.previous_period_id
  AND prev.state_id = cur.state_id AND prev.method_version = cur.method_version
  AND COALESCE(prev.dimension_id, 0) = COALESCE(cur.dimension_id, 0)
  AND (%(state)s IS NULL OR cur.state_id = %(state)s)
"""

# The group rows a recompute replaces: every group row of the target periods, or, after a recompute of
# one State, only the rows it can move: "all States" (group NULL) and the groups the State belongs to at
# each period's end, or at the end of the previous period when that is recomputed too (a group the State
# has just left compares with a changed previous score: its trend moves). The delete and the insert share
# this scope, so the rows they touch are the same.
GROUP_SCOPE_CTES = """
targets (period_id, period_end, previous_id) AS (VALUES {targets}),
state_groups (period_id, group_id) AS (
    SELECT t.period_id, m.group_id
    FROM targets t
    LEFT JOIN targets tp ON tp.period_id = t.previous_id
    JOIN states_membership m
      ON (m.joined_on <= t.period_end AND (m.left_on IS NULL OR m.left_on > t.period_end))
      OR (m.joined_on <= tp.period_end AND (m.left_on IS NULL OR m.left_on > tp.period_end))
    WHERE m.state_id = %(state)s
)"""

DELETE_GROUP_SCORECARDS = (
    "WITH"
    + GROUP_SCOPE_CTES
    + """
DELETE FROM scorecards_groupscorecard
WHERE period_id IN (SELECT period_id FROM targets) {in_scope}
"""
)
# The restriction to one State's groups ({in_scope} above, {scope_join} below): a join, not a subquery
# run for every membership row. The DELETE has no USING: SQLite (the embedded default) has none.
ONE_STATE_GROUP_DELETE = """
  AND (group_id IS NULL OR (period_id, group_id) IN (SELECT sg.period_id, sg.group_id FROM state_groups sg))"""
ONE_STATE_GROUP_MEMBERS = """
    JOIN (SELECT DISTINCT period_id, group_id FROM state_groups) sg
      ON sg.period_id = t.period_id AND sg.group_id = m.group_id"""

INSERT_GROUP_SCORECARDS = (
    """
INSERT INTO scorecards_groupscorecard (
    period_id, group_id, dimension_id, method_version, score, score_low, score_high, evidence,
    member_count, scored_member_count, trend, computed_at
)
WITH"""
    + GROUP_SCOPE_CTES
    + """,
members AS (
    SELECT t.period_id, m.group_id, m.state_id
    FROM targets t
    JOIN states_membership m ON m.joined_on <= t.period_end AND (m.left_on IS NULL OR m.left_on > t.period_end)
    JOIN states_state s ON s.code = m.state_id AND s.admitted_on <= t.period_end{scope_join}
    UNION ALL
    SELECT t.period_id, NULL, s.code FROM targets t JOIN states_state s ON s.admitted_on <= t.period_end
),
grouped AS (
    SELECT m.period_id, m.group_id, sc.dimension_id, sc.method_version, ROUND(AVG(sc.score), 1) AS score,
           ROUND(AVG(sc.score_low), 1) AS score_low, ROUND(AVG(sc.score_high), 1) AS score_high,
           MIN(CASE WHEN sc.score IS NULL THEN NULL WHEN sc.evidence = 'insufficient' THEN 0
                    WHEN sc.evidence = 'limited' THEN 1 WHEN sc.evidence = 'sufficient' THEN 2 END) AS evidence_level,
           COUNT(*) AS members, COUNT(sc.score) AS scored
    FROM members m JOIN scorecards_scorecard sc ON sc.state_id = m.state_id AND sc.period_id = m.period_id
    GROUP BY m.period_id, m.group_id, sc.dimension_id, sc.method_version
),
previous_groups AS (
    SELECT period_id, group_id, dimension_id, method_version, score FROM grouped
    UNION ALL
    SELECT period_id, group_id, dimension_id, method_version, score
    FROM scorecards_groupscorecard WHERE period_id IN (SELECT previous_id FROM targets)
)
-- Method 2: a group's evidence is the weakest of its scored members' (none scored: insufficient).
SELECT g.period_id, g.group_id, g.dimension_id, g.method_version, g.score, g.score_low, g.score_high,
       CASE WHEN g.method_version = 1 THEN NULL WHEN g.evidence_level = 2 THEN 'sufficient'
            WHEN g.evidence_level = 1 THEN 'limited' ELSE 'insufficient' END,
       g.members, g.scored, g.score - prev.score, %(computed_at)s
FROM grouped g
JOIN targets t ON t.period_id = g.period_id
LEFT JOIN previous_groups prev
  ON prev.period_id = t.previous_id AND prev.method_version = g.method_version
 AND COALESCE(prev.group_id, 0) = COALESCE(g.group_id, 0)
 AND COALESCE(prev.dimension_id, 0) = COALESCE(g.dimension_id, 0)
"""
)

UPDATE_GROUP_TRENDS = """
WITH pairs (period_id, previous_period_id) AS (VALUES {pairs})
UPDATE scorecards_groupscorecard AS cur SET trend = cur.score - prev.score
FROM pairs, scorecards_groupscorecard AS prev
WHERE cur.period_id = pairs.period_id AND prev.period_id = pairs.previous_period_id
  AND COALESCE(prev.group_id, 0) = COALESCE(cur.group_id, 0) AND prev.method_version = cur.method_version
  AND COALESCE(prev.dimension_id, 0) = COALESCE(cur.dimension_id, 0)
"""
