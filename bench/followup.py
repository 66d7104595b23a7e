"""Recommendations at scale: seeding, the follow-up index's share of the year recompute, and its list API.

    python -m bench.followup                   the follow-up section alone on the benchmark database
    python -m bench.followup --reports 1000000 --recommendations 50000 --assessments-per-recommendation 3

Seeds `--recommendations` synthetic recommendations (code BENCH-000001 ...) with three assessments each,
set-based in a few INSERT ... SELECT statements, deterministic (hashes of the row number, no random()).
Recommendation i is about the i-th State (round robin, issued on or after its admission), from an
institution, serving one or two commitments in force since before 2010, issued between 2010-01-01 and
today. Its assessments fall between its issuance and today; most are verified (by another user than
the submitter), the rest are drafts, submitted, rejected or retracted, as in a real review queue.
Only the current rows: the history tables get no rows (the figures read the current rows only).

Measures `scorecards_compute_year` with and without the follow-up index in interleaved pairs (the
median of the pairs' ratios; issue 14 allows at most 1.2) and, with `--api`, the recommendations
list against a bare view of the same rows under gunicorn (at least 0.5 of its throughput). Writes
bench/results/followup-<timestamp>.json; never touches latest.json.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from unittest import mock

SEED_DDL = """
CREATE TABLE IF NOT EXISTS bench_followup_seed (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    recommendations integer NOT NULL,
    assessments integer NOT NULL,
    seeded_at timestamptz NOT NULL DEFAULT now()
)
"""

# h(i, salt): a deterministic non-negative pseudo-random integer for row i.
HASH = "abs(hashtext({row}::text || '{salt}'))"

INSERT_RECOMMENDATIONS = f"""
WITH states AS (SELECT array_agg(code ORDER BY code) AS codes, array_agg(admitted_on ORDER BY code) AS admitted
                FROM states_state),
     institutions AS (SELECT array_agg(id ORDER BY slug) AS ids FROM recommendations_institution),
     rows AS (
         SELECT i, 1 + (i - 1) %% cardinality(s.codes) AS state_index,
                DATE '2010-01-01' + {HASH.format(row="i", salt="date")} %% (CURRENT_DATE - DATE '2010-01-01') AS issued
         FROM generate_series(1, %(count)s) AS i, states s
     )
INSERT INTO recommendations_recommendation (
    code, state_id, institution_id, source_title, source_date, source_url, number, text, priority, addressee,
    is_synthetic, created_at, updated_at, status
)
SELECT 'BENCH-' || lpad(r.i::text, 6, '0'), s.codes[r.state_index],
       inst.ids[1 + {HASH.format(row="r.i", salt="institution")} %% cardinality(inst.ids)],
       'Synthetic benchmark source (not a real report)', GREATEST(r.issued, s.admitted[r.state_index]),
       'https://example.org/synthetic-bench', r.i::text,
       'SYNTHETIC BENCHMARK DATA - not a real recommendation. Number ' || r.i,
       {HASH.format(row="r.i", salt="priority")} %% 5 = 0,
       (ARRAY['parliament', 'government', 'election_administration', 'judiciary', 'authorities'])
           [1 + {HASH.format(row="r.i", salt="addressee")} %% 5],
       true, now(), now(), 'not_assessed'
FROM rows r, states s, institutions inst
ORDER BY r.i
"""

# One or two commitments in force from before 2010 and never ended: in force on any source date seeded.
INSERT_COMMITMENTS = f"""
WITH pool AS (
    SELECT array_agg(id ORDER BY code) AS ids FROM commitments_commitment
    WHERE in_force_from <= DATE '2010-01-01' AND in_force_until IS NULL
),
recs AS (SELECT id, substr(code, 7)::int AS i FROM recommendations_recommendation WHERE code LIKE 'BENCH-%%')
INSERT INTO recommendations_recommendation_commitments (recommendation_id, commitment_id)
SELECT DISTINCT recs.id, pool.ids[1 + {HASH.format(row="recs.i", salt="c" + "' || k || '")} %% cardinality(pool.ids)]
FROM recs, pool, generate_series(1, 2) AS k
WHERE k = 1 OR {HASH.format(row="recs.i", salt="second")} %% 2 = 0
"""

# Statuses by share: 85 % verified, then submitted, draft, rejected, retracted (of a verified one).
INSERT_ASSESSMENTS = f"""
WITH recs AS (
    SELECT id, source_date, substr(code, 7)::int AS i FROM recommendations_recommendation WHERE code LIKE 'BENCH-%%'
),
rows AS (
    SELECT recs.id, recs.i, k, recs.source_date
           + (k * (CURRENT_DATE - recs.source_date)) / (%(per)s + 1) AS assessed_on,
           {HASH.format(row="(recs.i * 10 + k)", salt="status")} %% 100 AS draw,
           {HASH.format(row="(recs.i * 10 + k)", salt="rating")} %% 5 AS rating
    FROM recs, generate_series(1, %(per)s) AS k
)
INSERT INTO recommendations_assessment (
    recommendation_id, rating, assessed_on, source, source_url, summary, status,
    created_by_id, submitted_by_id, submitted_at, reviewed_by_id, reviewed_at, rejection_reason,
    retracted_by_id, retracted_at, retraction_reason, created_at, updated_at
)
SELECT id, (ARRAY['fully', 'mostly', 'partially', 'not_implemented', 'no_longer_applicable'])[1 + rating],
       assessed_on, 'synthetic_demo', '', 'SYNTHETIC BENCHMARK DATA - not a real assessment.',
       CASE WHEN draw < 85 THEN 'verified' WHEN draw < 90 THEN 'submitted' WHEN draw < 94 THEN 'draft'
            WHEN draw < 97 THEN 'rejected' ELSE 'retracted' END,
       %(reporter)s,
       CASE WHEN draw >= 90 AND draw < 94 THEN NULL ELSE %(reporter)s END,
       CASE WHEN draw >= 90 AND draw < 94 THEN NULL ELSE now() END,
       CASE WHEN draw < 85 OR draw >= 94 THEN %(reviewer)s END,
       CASE WHEN draw < 85 OR draw >= 94 THEN now() END,
       CASE WHEN draw >= 94 AND draw < 97 THEN 'Synthetic rejection.' ELSE '' END,
       CASE WHEN draw >= 97 THEN %(reviewer)s END,
       CASE WHEN draw >= 97 THEN now() END,
       CASE WHEN draw >= 97 THEN 'Synthetic retraction.' ELSE '' END,
       now(), now()
FROM rows
ORDER BY i, k
"""


def _counts(cursor) -> tuple[int, int]:
    cursor.execute("SELECT COUNT(*) FROM recommendations_recommendation WHERE code LIKE 'BENCH-%%'", [])
    (recommendations,) = cursor.fetchone()
    cursor.execute(
        "SELECT COUNT(*) FROM recommendations_assessment a JOIN recommendations_recommendation r "
        "ON r.id = a.recommendation_id WHERE r.code LIKE 'BENCH-%%'",
        [],
    )
    (assessments,) = cursor.fetchone()
    return recommendations, assessments


def _bench_users() -> tuple[int, int]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    reporter, _ = users.get_or_create(username="bench-reporter", defaults={"is_staff": True})
    reviewer, _ = users.get_or_create(username="bench-reviewer", defaults={"is_staff": True})
    return reporter.pk, reviewer.pk


def prepare(*, recommendations: int, per_recommendation: int = 3, log=print) -> dict:
    """Make the database hold exactly these synthetic benchmark recommendations and assessments (reused if so)."""
    from django.db import connection, transaction

    from recommendations.services import recommendation_status_refresh

    started = time.monotonic()
    assessments = recommendations * per_recommendation
    with connection.cursor() as cursor:
        cursor.execute(SEED_DDL)
        cursor.execute("SELECT recommendations, assessments FROM bench_followup_seed")
        marker = cursor.fetchone()
        if marker == (recommendations, assessments) and _counts(cursor) == marker:
            return {"recommendations": recommendations, "assessments": assessments, "action": "reused", "seconds": 0}
    log(f"  seeding {recommendations:,} recommendations with {assessments:,} assessments ...")
    reporter, reviewer = _bench_users()
    with transaction.atomic(), connection.cursor() as cursor:
        bench = "SELECT id FROM recommendations_recommendation WHERE code LIKE 'BENCH-%%'"
        cursor.execute(f"DELETE FROM recommendations_assessment WHERE recommendation_id IN ({bench})", [])
        cursor.execute(
            f"DELETE FROM recommendations_recommendation_commitments WHERE recommendation_id IN ({bench})", []
        )
        cursor.execute(f"DELETE FROM recommendations_recommendation_themes WHERE recommendation_id IN ({bench})", [])
        cursor.execute("DELETE FROM recommendations_recommendation WHERE code LIKE 'BENCH-%%'", [])
        cursor.execute("DELETE FROM bench_followup_seed")
        cursor.execute(INSERT_RECOMMENDATIONS, {"count": recommendations})
        cursor.execute(INSERT_COMMITMENTS, {})
        cursor.execute(INSERT_ASSESSMENTS, {"per": per_recommendation, "reporter": reporter, "reviewer": reviewer})
        recommendation_status_refresh()
        cursor.execute(
            "INSERT INTO bench_followup_seed (recommendations, assessments) VALUES (%s, %s)",
            [recommendations, assessments],
        )
        counts = _counts(cursor)
    if counts != (recommendations, assessments):
        raise SystemExit(
            f"seeding left {counts} benchmark recommendations and assessments, expected "
            f"{(recommendations, assessments)}."
        )
    with connection.cursor() as cursor:
        for table in (
            "recommendations_recommendation",
            "recommendations_recommendation_commitments",
            "recommendations_assessment",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        "recommendations": recommendations,
        "assessments": assessments,
        "action": "seeded",
        "seconds": round(time.monotonic() - started, 1),
    }


def _timed(function, **kwargs) -> float:
    started = time.perf_counter()
    function(**kwargs)
    return time.perf_counter() - started


def _without_followup(**kwargs) -> None:
    from scorecards import services

    with mock.patch.object(services, "followup_compute_periods", lambda **_: 0):
        services.scorecards_compute_year(**kwargs)


def _followup_alone(*, year: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from recommendations.followup import followup_compute_periods
    from scorecards.models import DEFAULT_METHOD, Period
    from scorecards.periods import periods_of_year

    periods = [Period.objects.for_span(span) for span in periods_of_year(year)]
    with transaction.atomic():
        followup_compute_periods(
            periods=periods, state_code=None, method_version=DEFAULT_METHOD, computed_at=timezone.now()
        )


def run(*, year: int, repeats: int = 5) -> dict:
    """Interleaved pairs (with the follow-up index, without it); the median of the pairs' ratios."""
    from django.db import connection

    from scorecards.services import scorecards_compute_year

    load_before = os.getloadavg()
    scorecards_compute_year(year=year)  # warm both, and leave the rows of a full recompute behind
    _without_followup(year=year)
    scorecards_compute_year(year=year)
    with_times, without_times = [], []
    for index in range(repeats):
        pair = [(with_times, scorecards_compute_year), (without_times, _without_followup)]
        for times, function in pair if index % 2 == 0 else reversed(pair):  # alternate which goes first
            times.append(_timed(function, year=year))
    alone = [_timed(_followup_alone, year=year) for _ in range(repeats)]
    scorecards_compute_year(year=year)
    ratios = [with_ / without for with_, without in zip(with_times, without_times, strict=True)]
    labels = [str(year), *(f"{year}-Q{quarter}" for quarter in range(1, 5))]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM recommendations_followupindex WHERE period = ANY(%s)", [labels])
        (rows,) = cursor.fetchone()
    return {
        "year": year,
        "with_followup_runs": with_times,
        "without_followup_runs": without_times,
        "followup_alone_runs": alone,
        "pair_ratios": ratios,
        "ratio": statistics.median(ratios),
        "added_share": statistics.median(ratios) - 1,
        "with_followup_seconds": min(with_times),
        "without_followup_seconds": min(without_times),
        "followup_alone_seconds": min(alone),
        "followup_rows": rows,
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.followup", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000, help="synthetic reports (default 1,000,000)")
    parser.add_argument("--recommendations", type=int, default=50_000, help="default 50,000")
    parser.add_argument("--assessments-per-recommendation", type=int, default=3, help="default 3 (150,000 in all)")
    parser.add_argument("--year", type=int, help="year to recompute (default: the last complete year)")
    parser.add_argument("--repeats", type=int, default=5, help="timed pairs (default 5)")
    parser.add_argument("--skip-api", action="store_true", help="skip the list API against a bare view")
    parser.add_argument("--skip-recompute", action="store_true", help="skip the recompute with and without the index")
    parser.add_argument("--api-seconds", type=float, default=10.0, help="seconds per side (default 10)")
    parser.add_argument("--api-clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    args = parser.parse_args(argv)

    from . import database
    from .cli import RESULTS_DIR, log, machine
    from .server import production_env

    url = database.database_url()
    database.ensure_database(url)
    database.check_ours(url)
    env = production_env(url)
    os.environ.update(env)
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.utils import timezone

    from . import api
    from .server import gunicorn

    year = args.year or timezone.localdate().year - 1
    results: dict = {
        "started_at": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
        "database": url.rsplit("/", 1)[-1],
        "arguments": vars(args),
        "machine": machine(),
        "note": "2 cores shared with other people's test runs: timings are noisy.",
    }
    log(f"preparing the database ({args.reports:,} reports) ...")
    results["seeding"] = database.prepare(reports=args.reports, log=log)
    results["seeding_followup"] = prepare(
        recommendations=args.recommendations, per_recommendation=args.assessments_per_recommendation, log=log
    )
    if not args.skip_recompute:
        log(f"recompute {year} with and without the follow-up index, {args.repeats} pairs ...")
        results["followup"] = run(year=year, repeats=args.repeats)
    if not args.skip_api:
        with gunicorn(env=env, workers=args.workers, log_path=RESULTS_DIR / "gunicorn.log.tmp") as (host, port):
            log(f"recommendations list against a bare view: {args.api_clients} clients, {args.api_seconds:.0f} s ...")
            results["api"] = api.compare_api(
                host=host,
                port=port,
                year=year,
                clients=args.api_clients,
                seconds=args.api_seconds,
                only=["recommendations"],
            )
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"followup-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(json.dumps({"followup": results.get("followup"), "api": results.get("api")}, indent=2, default=str))
    print(f"\nResults: bench/results/{path.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
