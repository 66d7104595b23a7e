"""The floor for a scorecard recompute: one hand-written SELECT for a whole year, both methods.

Written from docs/methodology.md, independently of `scorecards/scoring.py` (not
imported, not copied), as the fastest plain PostgreSQL this project could write for
the rows the recompute stores. The plan:

1. One pass over the verified reports observed between the first period's 36-month
   window and the last period's end (the physical floor: `scan_seconds` counts the
   same rows).
2. One hash aggregate per (State, commitment). For each period, FILTERed aggregates
   give the latest implementation report in the period's 36 months, as the `max()`
   of one bigint packing (day number, id, level), and the sum and count of the
   violation penalties inside the period.
3. Unpivot (a LATERAL VALUES list) to one row per period and (State, commitment),
   keep the commitments in force and the States participating at the period's end,
   and aggregate per State and dimension: method 1's weighted mean, method 2's sums
   (A's weights, values and squares, the deductions) for the score and its interval.
4. Each method's dimension rows and overall rows.

It only reads; the project's recompute also writes the rows, ranks, trends and
group rows, so the floor is what the method costs at least on this database.
`floor_rows` and `project_rows` return the same shape, so `compare` checks the
two row by row; tests/test_bench_floor.py checks that on seeded data.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

# Per period: the latest implementation key within its 36 months, penalties and violations inside it.
PERIOD_AGGREGATES = """
       max(((r.observed_on - DATE '1900-01-01')::bigint << 42) | (r.id << 2)
           | CASE r.level WHEN 'full' THEN 2 WHEN 'partial' THEN 1 ELSE 0 END)
           FILTER (WHERE r.kind = 'implementation' AND r.observed_on BETWEEN %(lookback{i})s AND %(end{i})s) AS key{i},
       sum(CASE r.severity WHEN 'minor' THEN 10 WHEN 'serious' THEN 25 ELSE 50 END)
           FILTER (WHERE r.kind = 'violation' AND r.observed_on BETWEEN %(start{i})s AND %(end{i})s) AS pen{i},
       count(*) FILTER (WHERE r.kind = 'violation' AND r.observed_on BETWEEN %(start{i})s AND %(end{i})s) AS vio{i}"""

YEAR_FLOOR_SQL = """
WITH period (i, label, ends) AS (VALUES {periods}),
pair AS (
    SELECT r.state_id, r.commitment_id, {aggregates}
    FROM commitments_report r
    WHERE r.status = 'verified' AND r.observed_on BETWEEN %(first)s AND %(last)s {state_filter}
    GROUP BY r.state_id, r.commitment_id
),
valued AS (
    -- States not yet participating at a period's end drop out where `member` is joined below.
    SELECT per.label, x.state_id, c.dimension_id, c.w,
           (x.key & 3) * 50 AS level, COALESCE(x.pen, 0) AS penalty,
           (x.key IS NOT NULL)::int + x.vio AS reports, x.vio AS violations
    FROM pair
    CROSS JOIN LATERAL (VALUES {unpivot}) AS x (i, state_id, commitment_id, key, pen, vio)
    JOIN period per ON per.i = x.i
    JOIN (SELECT id, dimension_id, in_force_from, in_force_until, (weight * 100)::bigint AS w
          FROM commitments_commitment) c ON c.id = x.commitment_id
    WHERE (x.key IS NOT NULL OR x.vio > 0)
      AND c.in_force_from <= per.ends AND (c.in_force_until IS NULL OR c.in_force_until >= per.ends)
),
in_force_count AS (
    SELECT per.label, c.dimension_id, count(*) AS n
    FROM period per
    JOIN commitments_commitment c
      ON c.in_force_from <= per.ends AND (c.in_force_until IS NULL OR c.in_force_until >= per.ends)
    GROUP BY per.label, c.dimension_id
),
member AS (
    SELECT per.label, st.code AS state_id FROM period per JOIN states_state st ON st.admitted_on <= per.ends
    WHERE TRUE {member_filter}
),
scored AS (
    -- Method 1: every commitment with a level or a violation, v = max(0, (L or 100) - penalties).
    -- Method 2: A = the commitments with a level, y = max(0, L - penalties); the others deduct
    -- min(100, penalties); the sums of w^2, w^2 y and w^2 y^2 over A give the spread around the mean.
    -- w is the weight in hundredths (two decimals): integer sums, and every ratio of them is unchanged.
    SELECT label, state_id, dimension_id,
           ROUND(SUM(GREATEST(0, COALESCE(level, 100) - penalty) * w)::numeric / SUM(w), 1) AS score,
           COUNT(*) AS assessed, SUM(reports) AS reports, SUM(violations) AS violations,
           COUNT(level) AS n,
           SUM(w) FILTER (WHERE level IS NOT NULL) AS w_a,
           SUM(w * GREATEST(0, level - penalty)) FILTER (WHERE level IS NOT NULL) AS wy,
           COALESCE(SUM(w * LEAST(100, penalty)) FILTER (WHERE level IS NULL), 0) AS wd,
           SUM(w * w) FILTER (WHERE level IS NOT NULL) AS w2,
           SUM(w * w * GREATEST(0, level - penalty)) FILTER (WHERE level IS NOT NULL) AS w2y,
           SUM(w * w * GREATEST(0, level - penalty) * GREATEST(0, level - penalty)) FILTER (WHERE level IS NOT NULL)
               AS w2yy
    FROM valued
    GROUP BY label, state_id, dimension_id
),
grid AS (
    SELECT m.label, m.state_id, d.id AS dimension_id, s.score,
           COALESCE(s.assessed, 0) AS assessed, COALESCE(n.n, 0) AS in_force,
           COALESCE(s.reports, 0) AS reports, COALESCE(s.violations, 0) AS violations,
           COALESCE(s.n, 0) AS n_a, s.w_a, s.wy, s.wd, s.w2, s.w2y, s.w2yy
    FROM member m
    CROSS JOIN commitments_dimension d
    LEFT JOIN in_force_count n ON n.label = m.label AND n.dimension_id = d.id
    LEFT JOIN scored s ON s.label = m.label AND s.state_id = m.state_id AND s.dimension_id = d.id
),
v2_raw AS (
    SELECT g.*,
           CASE WHEN n_a > 0 THEN GREATEST(0, (wy - wd) / w_a) END AS raw,
           CASE WHEN n_a >= 3 THEN
               1.645 / w_a * SQRT(GREATEST(0, w2yy - 2 * (wy / w_a) * w2y + (wy / w_a) ^ 2 * w2) * n_a / (n_a - 1))
               * SQRT(1 - n_a::numeric / in_force)
           END AS h
    FROM grid g
),
v2 AS (
    SELECT label, state_id, dimension_id, ROUND(raw, 1) AS score,
           CASE WHEN raw IS NULL THEN NULL WHEN n_a < 3 THEN 0 ELSE ROUND(GREATEST(0, raw - h), 1) END AS low,
           CASE WHEN raw IS NULL THEN NULL WHEN n_a < 3 THEN 100 ELSE ROUND(LEAST(100, raw + h), 1) END AS high,
           CASE WHEN n_a < 3 OR n_a::numeric / in_force < 0.10 THEN 1
                WHEN n_a::numeric / in_force < 0.33 THEN 2 ELSE 3 END AS strength,
           n_a, in_force, reports, violations
    FROM v2_raw
)
SELECT label, state_id, dimension_id, 1, score, NULL::numeric, NULL::numeric, NULL,
       CASE WHEN in_force = 0 THEN 0 ELSE ROUND(assessed::numeric / in_force, 4) END AS coverage,
       assessed, in_force, reports, violations
FROM grid
UNION ALL
SELECT label, state_id, NULL, 1, ROUND(AVG(score), 1), NULL, NULL, NULL,
       CASE WHEN SUM(in_force) = 0 THEN 0 ELSE ROUND(SUM(assessed)::numeric / SUM(in_force), 4) END,
       SUM(assessed), SUM(in_force), SUM(reports), SUM(violations)
FROM grid
GROUP BY label, state_id
UNION ALL
SELECT label, state_id, dimension_id, 2, score, low, high,
       (ARRAY['insufficient', 'limited', 'sufficient'])[strength],
       CASE WHEN in_force = 0 THEN 0 ELSE ROUND(n_a::numeric / in_force, 4) END,
       n_a, in_force, reports, violations
FROM v2
UNION ALL
SELECT label, state_id, NULL, 2, ROUND(AVG(score), 1), ROUND(AVG(low), 1), ROUND(AVG(high), 1),
       (ARRAY['insufficient', 'limited', 'sufficient'])[COALESCE(MIN(strength) FILTER (WHERE score IS NOT NULL), 1)],
       CASE WHEN SUM(in_force) = 0 THEN 0 ELSE ROUND(SUM(n_a)::numeric / SUM(in_force), 4) END,
       SUM(n_a), SUM(in_force), SUM(reports), SUM(violations)
FROM v2
GROUP BY label, state_id
"""

# (period label, State, dimension id or None for overall, method) ->
# (score, score_low, score_high, evidence, coverage, assessed, in force, reports, violations)
ScoreRows = dict[tuple[str, str, int | None, int], tuple]


def year_periods(year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """The four quarters and the year, as (label, first day, last day)."""
    quarters = []
    for quarter in range(1, 5):
        start = datetime.date(year, 3 * quarter - 2, 1)
        after = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
        quarters.append((f"{year}-Q{quarter}", start, after - datetime.timedelta(days=1)))
    return [*quarters, (str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))]


def floor_sql(periods: list[tuple[str, datetime.date, datetime.date]], *, state: str | None = None) -> tuple[str, dict]:
    """The statement and its parameters for any set of periods (the benchmark uses a year's five), all States
    or one."""
    params: dict = {"state": state}
    for i, (label, starts, ends) in enumerate(periods):
        params.update({f"label{i}": label, f"start{i}": starts, f"end{i}": ends, f"lookback{i}": lookback(ends)})
    params["first"] = min(params[f"lookback{i}"] for i in range(len(periods)))
    params["last"] = max(ends for _, _, ends in periods)
    indexes = range(len(periods))
    sql = YEAR_FLOOR_SQL.format(
        periods=", ".join(f"({i}, %(label{i})s, %(end{i})s::date)" for i in indexes),
        aggregates=",".join(PERIOD_AGGREGATES.format(i=i) for i in indexes),
        unpivot=", ".join(f"({i}, pair.state_id, pair.commitment_id, key{i}, pen{i}, vio{i})" for i in indexes),
        state_filter="AND r.state_id = %(state)s" if state else "",
        member_filter="AND st.code = %(state)s" if state else "",
    )
    return sql, params


def lookback(ends: datetime.date) -> datetime.date:
    """36 months before the period's last day (quarters and years end on a 30th or 31st, never in February)."""
    return ends.replace(year=ends.year - 3)


# The physical floor, two ways: counting the rows from the index alone, and reading every column the
# floor reads from the table (the FILTER makes PostgreSQL fetch them; every verified row passes it).
SCAN_SQL = {
    "index_count": """
        SELECT count(*) FROM commitments_report r
        WHERE r.status = 'verified' AND r.observed_on BETWEEN %(first)s AND %(last)s
    """,
    "heap_read": """
        SELECT count(*) FILTER (WHERE r.id > 0 AND r.commitment_id > 0 AND r.state_id <> ''
                                AND r.kind <> '' AND r.level IS NOT NULL AND r.severity IS NOT NULL)
        FROM commitments_report r
        WHERE r.status = 'verified' AND r.observed_on BETWEEN %(first)s AND %(last)s
    """,
}


def scan_rows(year: int, *, kind: str = "heap_read") -> int:
    """The physical floor: count the rows the floor reads, and nothing else."""
    _, params = floor_sql(year_periods(year))
    with connection.cursor() as cursor:
        cursor.execute(SCAN_SQL[kind], params)
        return cursor.fetchone()[0]


def _keyed(rows) -> ScoreRows:
    return {(label, state, dimension, method): tuple(rest) for label, state, dimension, method, *rest in rows}


def floor_rows(year: int, *, periods: list | None = None) -> ScoreRows:
    """The floor's rows for the year's five periods (or for `periods`, a subset)."""
    sql, params = floor_sql(periods or year_periods(year))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _keyed(cursor.fetchall())


def project_rows(year: int) -> ScoreRows:
    """What the project's recompute stored for the same five periods."""
    labels = [label for label, _, _ in year_periods(year)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.label, s.state_id, s.dimension_id, s.method_version, s.score, s.score_low, s.score_high,
                   s.evidence, s.coverage, s.assessed_count, s.in_force_count, s.report_count, s.violation_count
            FROM scorecards_scorecard s JOIN scorecards_period p ON p.id = s.period_id
            WHERE p.label = ANY(%s)
            """,
            [labels],
        )
        rows = cursor.fetchall()
    keyed = _keyed(rows)
    if len(keyed) != len(rows):
        raise AssertionError(f"the project stored duplicate scorecards: {len(rows)} rows, {len(keyed)} keys")
    return keyed


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return Decimal(a) == Decimal(b)


@dataclass
class Comparison:
    rows: int
    floor_only: list
    project_only: list
    different: list  # (key, floor values, project values)

    @property
    def identical(self) -> bool:
        return not (self.floor_only or self.project_only or self.different)

    def describe(self, limit: int = 5) -> str:
        if self.identical:
            return f"identical: {self.rows} rows"
        parts = [
            f"{len(self.floor_only)} rows only in the floor {self.floor_only[:limit]}",
            f"{len(self.project_only)} only in the project {self.project_only[:limit]}",
            f"{len(self.different)} differ {self.different[:limit]}",
        ]
        return "; ".join(parts)


COLUMNS = [
    "score",
    "score_low",
    "score_high",
    "evidence",
    "coverage",
    "assessed",
    "in_force",
    "reports",
    "violations",
]


def compare(floor: ScoreRows, project: ScoreRows) -> Comparison:
    """Row by row: the same keys, and the same score, coverage and counts in each."""
    different = []
    for key in sorted(floor.keys() & project.keys(), key=lambda k: (k[0], k[1], k[2] or 0, k[3])):
        if not all(_same(a, b) for a, b in zip(floor[key], project[key], strict=True)):
            different.append((key, floor[key], project[key]))
    return Comparison(
        rows=len(floor),
        floor_only=sorted(floor.keys() - project.keys(), key=str),
        project_only=sorted(project.keys() - floor.keys(), key=str),
        different=different,
    )
