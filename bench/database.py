"""The benchmark database: created if missing, migrated, loaded, seeded once per (seed, N).

`python -m bench` uses DATABASE_URL when it is set, else its own database
`corfu_bench` on the local PostgreSQL. What was seeded is recorded in a one-row
table `bench_seed`; a rerun with the same seed and N reuses the rows, a larger N
tops the same deterministic stream up, anything else empties the reports and
their history and seeds again.
"""

import os
import sys
import time
from dataclasses import dataclass

import environ
import psycopg
from psycopg import sql

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_NAME = "corfu_bench"
SEED = 42

MARKER_DDL = """
CREATE TABLE IF NOT EXISTS bench_seed (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seed integer NOT NULL,
    reports bigint NOT NULL,
    seeded_at timestamptz NOT NULL DEFAULT now()
)
"""


def database_url(name: str = DEFAULT_NAME) -> str:
    """DATABASE_URL if set, else the benchmark's own database on the local server."""
    return os.environ.get("DATABASE_URL") or f"{DEFAULT_SERVER}/{name}"


def sibling_url(url: str, suffix: str) -> str:
    """The same server, a database named `<name><suffix>` (for the second size of the memory probe)."""
    base, _, name = url.rpartition("/")
    name, query_sep, query = name.partition("?")
    return f"{base}/{name}{suffix}{query_sep}{query}"


def _connect_kwargs(url: str, dbname: str | None = None) -> dict:
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit(f"The benchmark needs PostgreSQL; DATABASE_URL points at {config['ENGINE']}.")
    kwargs = {
        "dbname": dbname or config["NAME"],
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    return {key: value for key, value in kwargs.items() if value not in (None, "")}


def ensure_database(url: str) -> bool:
    """Create the database named in `url` if it does not exist. Returns True if it was created."""
    name = environ.Env.db_url_config(url)["NAME"]
    with psycopg.connect(**_connect_kwargs(url, dbname="postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def check_ours(url: str) -> None:
    """Refuse a database the benchmark did not make: it migrates, seeds and empties tables in it.

    Ours = it has the `bench_seed` table, or it has no table at all yet (new, or just created).
    """
    name = environ.Env.db_url_config(url)["NAME"]
    with psycopg.connect(**_connect_kwargs(url), autocommit=True) as conn:
        marker = conn.execute("SELECT to_regclass('public.bench_seed')").fetchone()[0]
        (tables,) = conn.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    if marker is None and tables:
        raise SystemExit(
            f"Database {name} already has {tables} tables and was not prepared by the benchmark (no bench_seed "
            "table). The benchmark migrates it, seeds it and empties its reports table, so it only uses an empty "
            "database or one of its own: unset DATABASE_URL (to use corfu_bench) or point it at a new database."
        )


@dataclass
class SeedState:
    seed: int | None
    reports: int | None  # what the marker says
    rows: int  # reports actually in the table
    synthetic: int


def _seed_state(cursor) -> SeedState:
    cursor.execute(MARKER_DDL)
    cursor.execute("SELECT seed, reports FROM bench_seed")
    marker = cursor.fetchone() or (None, None)
    cursor.execute("SELECT COUNT(*), COUNT(*) FILTER (WHERE source = 'synthetic_demo') FROM commitments_report")
    rows, synthetic = cursor.fetchone()
    return SeedState(seed=marker[0], reports=marker[1], rows=rows, synthetic=synthetic)


def prepare(*, reports: int, seed: int = SEED, log=print) -> dict:
    """Migrate, load the reference data and make the reports table hold exactly `reports` seeded rows.

    Runs inside an already configured Django (the database in settings is the benchmark's).
    """
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0)
    with connection.cursor() as cursor:
        state = _seed_state(cursor)
    action = "reused"
    if not (state.seed == seed and state.reports == reports and state.rows == reports == state.synthetic):
        clean_prefix = state.seed == seed and state.rows == state.synthetic == state.reports
        if clean_prefix and state.rows < reports:
            action = f"topped up from {state.rows}"
        else:
            if state.rows and state.seed is None:
                raise SystemExit(
                    f"The database holds {state.rows:,} reports that the benchmark did not seed (no bench_seed row);"
                    " it empties the reports table before seeding. Point DATABASE_URL at a database of its own"
                    " (or unset it to use corfu_bench)."
                )
            action = "reseeded" if state.rows else "seeded"
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM bench_seed")
                cursor.execute("TRUNCATE commitments_report, commitments_historicalreport RESTART IDENTITY CASCADE")
        log(f"  seeding {reports:,} synthetic reports (seed {seed}, {action}) ...")
        call_command("seed_demo", reports=reports, seed=seed, if_fewer=True, verbosity=0, stdout=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE commitments_report")
            cursor.execute("VACUUM ANALYZE commitments_historicalreport")
            cursor.execute(
                "INSERT INTO bench_seed (seed, reports) VALUES (%s, %s) "
                "ON CONFLICT (singleton) DO UPDATE SET seed = EXCLUDED.seed, reports = EXCLUDED.reports, "
                "seeded_at = now()",
                [seed, reports],
            )
            state = _seed_state(cursor)
        if state.rows != reports or state.synthetic != reports:
            raise SystemExit(f"seed_demo left {state.rows} reports ({state.synthetic} synthetic), expected {reports}.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics for the reference tables too, whatever was reused
    return {"reports": reports, "seed": seed, "action": action, "seconds": round(time.monotonic() - started, 1)}


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]
