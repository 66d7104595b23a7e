"""The floor for a scorecard recompute: one hand-written SELECT for a whole year, both methods.

Written from docs/methodology.md, independently of `scorecards/scoring.py` (not
imported, not copied). The four quarters and the year go in as a VALUES list.
One scan reads the verified reports from 36 months before the first quarter's
end to the year's end, joined to their commitment and State; a LEAD window over
each (State, commitment)'s implementation reports says which report is the
latest as of each period's end (it is within the period's 36 months and the
next one, if any, is after the end); violations are the reports inside each
period. Commitments not in force and States not yet participating at the end
are dropped in the same join, then one pass aggregates commitment values, the
weighted dimension scores of method 1 and the sums method 2 needs (A's weights,
values and squares, the deductions), then each method's dimension and overall rows.

It only reads; the project's recompute also writes the rows, ranks, trends and
group rows, so the floor is what the method costs at least on this database.
`floor_rows` and `project_rows` return the same shape, so `compare` checks the
two row by row; tests/test_bench_floor.py checks that on seeded data.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

YEAR_FLOOR_SQL = """
WITH period (label, starts, ends) AS (VALUES {periods}),
span AS (
    SELECT label, starts, ends, (ends - INTERVAL '36 months')::date AS lookback FROM period
),
in_force AS (
    SELECT s.label, c.id AS commitment_id, c.dimension_id, c.weight
    FROM span s
    JOIN commitments_commitment c
      ON c.in_force_from <= s.ends AND (c.in_force_until IS NULL OR c.in_force_until >= s.ends)
),
member AS (
    SELECT s.label, st.code AS state_id
    FROM span s JOIN states_state st ON st.admitted_on <= s.ends
),
verified AS (
    SELECT r.id, r.state_id, r.commitment_id, r.kind, r.level, r.severity, r.observed_on,
           c.dimension_id, c.weight, c.in_force_from, c.in_force_until, st.admitted_on
    FROM commitments_report r
    JOIN commitments_commitment c ON c.id = r.commitment_id
    JOIN states_state st ON st.code = r.state_id
    WHERE r.status = 'verified'
      AND r.observed_on >= (%s::date - INTERVAL '36 months')::date
      AND r.observed_on <= %s::date
),
implementation AS (
    SELECT *, LEAD(observed_on) OVER (PARTITION BY state_id, commitment_id ORDER BY observed_on, id) AS next_observed_on
    FROM verified
    WHERE kind = 'implementation'
),
evidence AS (
    SELECT s.label, i.state_id, i.commitment_id, i.dimension_id, i.weight,
           CASE i.level WHEN 'full' THEN 100 WHEN 'partial' THEN 50 ELSE 0 END AS level_value,
           0 AS penalty, 1 AS implementations, 0 AS violations
    FROM implementation i
    JOIN span s ON i.observed_on BETWEEN s.lookback AND s.ends
               AND (i.next_observed_on IS NULL OR i.next_observed_on > s.ends)
               AND i.in_force_from <= s.ends AND (i.in_force_until IS NULL OR i.in_force_until >= s.ends)
               AND i.admitted_on <= s.ends
    UNION ALL
    SELECT s.label, v.state_id, v.commitment_id, v.dimension_id, v.weight, NULL,
           CASE v.severity WHEN 'minor' THEN 10 WHEN 'serious' THEN 25 ELSE 50 END, 0, 1
    FROM verified v
    JOIN span s ON v.observed_on BETWEEN s.starts AND s.ends
               AND v.in_force_from <= s.ends AND (v.in_force_until IS NULL OR v.in_force_until >= s.ends)
               AND v.admitted_on <= s.ends
    WHERE v.kind = 'violation'
),
valued AS (
    SELECT label, state_id, dimension_id, weight,
           MAX(level_value) AS level, SUM(penalty) AS penalty,
           SUM(implementations) + SUM(violations) AS reports, SUM(violations) AS violations
    FROM evidence
    GROUP BY label, state_id, commitment_id, dimension_id, weight
),
scored AS (
    -- Method 1: every commitment with a level or a violation, v = max(0, (L or 100) - penalties).
    -- Method 2: A = the commitments with a level, y = max(0, L - penalties); the others deduct
    -- min(100, penalties); the sums of w^2, w^2 y and w^2 y^2 over A give the spread around the mean.
    SELECT label, state_id, dimension_id,
           ROUND(SUM(GREATEST(0, COALESCE(level, 100) - penalty) * weight) / SUM(weight), 1) AS score,
           COUNT(*) AS assessed, SUM(reports) AS reports, SUM(violations) AS violations,
           COUNT(level) AS n,
           SUM(weight) FILTER (WHERE level IS NOT NULL) AS w_a,
           SUM(weight * GREATEST(0, level - penalty)) FILTER (WHERE level IS NOT NULL) AS wy,
           COALESCE(SUM(weight * LEAST(100, penalty)) FILTER (WHERE level IS NULL), 0) AS wd,
           SUM(weight * weight) FILTER (WHERE level IS NOT NULL) AS w2,
           SUM(weight * weight * GREATEST(0, level - penalty)) FILTER (WHERE level IS NOT NULL) AS w2y,
           SUM(weight * weight * GREATEST(0, level - penalty)::numeric ^ 2) FILTER (WHERE level IS NOT NULL) AS w2yy
    FROM valued
    GROUP BY label, state_id, dimension_id
),
in_force_count AS (
    SELECT label, dimension_id, COUNT(*) AS n FROM in_force GROUP BY label, dimension_id
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


def floor_sql(periods: list[tuple[str, datetime.date, datetime.date]]) -> tuple[str, list]:
    """The statement and its parameters for any set of periods (the benchmark uses a year's five)."""
    values = ", ".join("(%s, %s::date, %s::date)" for _ in periods)
    params = [value for period in periods for value in period]
    ends = [end for _, _, end in periods]
    return YEAR_FLOOR_SQL.format(periods=values), [*params, min(ends), max(ends)]


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
