"""Scoring method v1 as set-based SQL (see docs/methodology.md).

One statement scores any number of periods at once: the reports of the whole
span are read once, and each implementation report is matched to the periods
in which it is the latest one (its successor, if any, comes after the period's
end). The statements run unchanged on PostgreSQL and SQLite; the periods and
their date windows come in as parameters computed by `PeriodSpan`.
Values: implementation level full/partial/none = 100/50/0; violation penalty
minor/serious/grave = 10/25/50.
"""


def periods_values(count: int, *, cast_dates: bool) -> str:
    """A VALUES list of `count` periods: (period_id, period_start, period_end, lookback_start)."""
    date = "CAST(%({name})s AS date)" if cast_dates else "%({name})s"
    rows = []
    for index in range(count):
        dates = ", ".join(date.format(name=f"p{index}_{field}") for field in ("start", "end", "lookback"))
        rows.append(f"(%(p{index}_id)s, {dates})")
    return ", ".join(rows)


ASSESSED_CTES = """
periods (period_id, period_start, period_end, lookback_start) AS (VALUES {periods}),
span AS (SELECT MIN(lookback_start) AS first_day, MAX(period_end) AS last_day FROM periods),
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
implementation_reports AS (
    SELECT r.id, r.state_id, r.commitment_id, r.level, r.observed_on,
           LEAD(r.observed_on) OVER (
               PARTITION BY r.state_id, r.commitment_id ORDER BY r.observed_on, r.id
           ) AS next_observed_on,
           LEAD(r.id) OVER (PARTITION BY r.state_id, r.commitment_id ORDER BY r.observed_on, r.id) AS next_id
    FROM commitments_report r
    WHERE r.status = 'verified' AND r.kind = 'implementation'
      AND r.observed_on >= (SELECT first_day FROM span) AND r.observed_on <= (SELECT last_day FROM span)
      AND (%(state)s IS NULL OR r.state_id = %(state)s)
),
implementation AS (
    SELECT p.period_id, i.id AS report_id, i.state_id, i.commitment_id, f.dimension_id, f.weight,
           CASE i.level WHEN 'full' THEN 100 WHEN 'partial' THEN 50 ELSE 0 END AS level_value
    FROM implementation_reports i
    JOIN periods p
      ON i.observed_on >= p.lookback_start AND i.observed_on <= p.period_end
     AND (i.next_id IS NULL OR i.next_observed_on > p.period_end)
    JOIN in_force f ON f.period_id = p.period_id AND f.commitment_id = i.commitment_id
    JOIN participating s ON s.period_id = p.period_id AND s.code = i.state_id
),
violation AS (
    SELECT p.period_id, r.state_id, r.commitment_id, f.dimension_id, f.weight,
           SUM(CASE r.severity WHEN 'minor' THEN 10 WHEN 'serious' THEN 25 ELSE 50 END) AS penalty,
           COUNT(*) AS violations
    FROM commitments_report r
    JOIN periods p ON r.observed_on >= p.period_start AND r.observed_on <= p.period_end
    JOIN in_force f ON f.period_id = p.period_id AND f.commitment_id = r.commitment_id
    JOIN participating s ON s.period_id = p.period_id AND s.code = r.state_id
    WHERE r.status = 'verified' AND r.kind = 'violation'
      AND (%(state)s IS NULL OR r.state_id = %(state)s)
    GROUP BY p.period_id, r.state_id, r.commitment_id, f.dimension_id, f.weight
),
assessed AS (
    -- A full join on equalities: the planner must hash or merge it, whatever it guesses of the sizes.
    SELECT COALESCE(i.period_id, v.period_id) AS period_id,
           COALESCE(i.state_id, v.state_id) AS state_id,
           COALESCE(i.commitment_id, v.commitment_id) AS commitment_id,
           COALESCE(i.dimension_id, v.dimension_id) AS dimension_id,
           COALESCE(i.weight, v.weight) AS weight,
           i.report_id AS implementation_report_id, i.level_value,
           COALESCE(v.penalty, 0) AS penalty,
           CASE WHEN COALESCE(i.level_value, 100) - COALESCE(v.penalty, 0) < 0 THEN 0
                ELSE COALESCE(i.level_value, 100) - COALESCE(v.penalty, 0) END AS value,
           CASE WHEN i.report_id IS NULL THEN 0 ELSE 1 END + COALESCE(v.violations, 0) AS reports,
           COALESCE(v.violations, 0) AS violations
    FROM implementation i
    FULL OUTER JOIN violation v
      ON v.period_id = i.period_id AND v.state_id = i.state_id AND v.commitment_id = i.commitment_id
)
"""

INSERT_STATE_SCORECARDS = (
    """
INSERT INTO scorecards_scorecard (
    period_id, state_id, dimension_id, score, coverage, assessed_count, in_force_count,
    report_count, violation_count, method_version, computed_at
)
WITH """
    + ASSESSED_CTES
    + """,
by_dimension AS (
    SELECT period_id, state_id, dimension_id,
           ROUND(SUM(value * weight) * 1.0 / SUM(weight), 1) AS score,
           COUNT(*) AS assessed, SUM(reports) AS reports, SUM(violations) AS violations
    FROM assessed
    GROUP BY period_id, state_id, dimension_id
),
in_force_count AS (
    SELECT period_id, dimension_id, COUNT(*) AS commitments FROM in_force GROUP BY period_id, dimension_id
),
dimension_rows AS (
    SELECT s.period_id, s.code AS state_id, d.id AS dimension_id, b.score,
           COALESCE(b.assessed, 0) AS assessed, COALESCE(n.commitments, 0) AS in_force,
           COALESCE(b.reports, 0) AS reports, COALESCE(b.violations, 0) AS violations
    FROM participating s
    CROSS JOIN commitments_dimension d
    LEFT JOIN in_force_count n ON n.period_id = s.period_id AND n.dimension_id = d.id
    LEFT JOIN by_dimension b ON b.period_id = s.period_id AND b.state_id = s.code AND b.dimension_id = d.id
),
all_rows AS (
    SELECT period_id, state_id, dimension_id, score, assessed, in_force, reports, violations FROM dimension_rows
    UNION ALL
    SELECT period_id, state_id, NULL, ROUND(AVG(score), 1), SUM(assessed), SUM(in_force), SUM(reports),
           SUM(violations)
    FROM dimension_rows GROUP BY period_id, state_id
)
SELECT period_id, state_id, dimension_id, score,
       CASE WHEN in_force = 0 THEN 0 ELSE ROUND(assessed * 1.0 / in_force, 4) END,
       assessed, in_force, reports, violations, %(method_version)s, %(computed_at)s
FROM all_rows
"""
)

EXPLAIN_ASSESSED = (
    """
WITH """
    + ASSESSED_CTES
    + """
SELECT commitment_id, implementation_report_id, level_value, penalty, value, violations, weight
FROM assessed
WHERE dimension_id = %(dimension_id)s OR %(dimension_id)s IS NULL
"""
)

UPDATE_RANKS = """
UPDATE scorecards_scorecard SET rank = ranked.position
FROM (
    SELECT id, RANK() OVER (PARTITION BY dimension_id ORDER BY score DESC) AS position
    FROM scorecards_scorecard WHERE period_id = %(period_id)s AND score IS NOT NULL
) ranked
WHERE scorecards_scorecard.id = ranked.id
"""

# Joins, not a subquery per row: rows with no previous row keep the NULL trend they were inserted with.
UPDATE_STATE_TRENDS = """
UPDATE scorecards_scorecard AS cur SET trend = cur.score - prev.score
FROM scorecards_scorecard AS prev
WHERE cur.period_id = %(period_id)s AND prev.period_id = %(previous_period_id)s
  AND prev.state_id = cur.state_id
  AND COALESCE(prev.dimension_id, 0) = COALESCE(cur.dimension_id, 0)
  AND (%(state)s IS NULL OR cur.state_id = %(state)s)
"""

INSERT_GROUP_SCORECARDS = """
INSERT INTO scorecards_groupscorecard (
    period_id, group_id, dimension_id, score, member_count, scored_member_count, method_version, computed_at
)
WITH members AS (
    SELECT m.group_id, m.state_id
    FROM states_membership m JOIN states_state s ON s.code = m.state_id
    WHERE s.admitted_on <= %(end)s AND m.joined_on <= %(end)s AND (m.left_on IS NULL OR m.left_on > %(end)s)
    UNION ALL
    SELECT NULL, s.code FROM states_state s WHERE s.admitted_on <= %(end)s
)
SELECT %(period_id)s, m.group_id, sc.dimension_id, ROUND(AVG(sc.score), 1), COUNT(*), COUNT(sc.score),
       %(method_version)s, %(computed_at)s
FROM members m JOIN scorecards_scorecard sc ON sc.state_id = m.state_id AND sc.period_id = %(period_id)s
GROUP BY m.group_id, sc.dimension_id
"""

UPDATE_GROUP_TRENDS = """
UPDATE scorecards_groupscorecard AS cur SET trend = cur.score - prev.score
FROM scorecards_groupscorecard AS prev
WHERE cur.period_id = %(period_id)s AND prev.period_id = %(previous_period_id)s
  AND COALESCE(prev.group_id, 0) = COALESCE(cur.group_id, 0)
  AND COALESCE(prev.dimension_id, 0) = COALESCE(cur.dimension_id, 0)
"""
