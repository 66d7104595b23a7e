"""`python -m bench.faults [fault ...]`: run the named faults (default: all but postgres-restart)."""

import argparse
import os
import sys
import time
import traceback

from .. import database
from ..server import production_env
from .common import BROKER_URL, FaultFailed, NotRun, Outcome, Workers, flush_broker, record

FAULTS = ["worker-kill", "digest-kill", "redis-stop", "postgres-restart"]
DEFAULT = ["worker-kill", "digest-kill", "redis-stop"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.faults",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""\
Break things under a real Celery worker and check that nothing is lost or doubled.

  worker-kill       SIGKILL the worker inside a recompute's transaction; a new worker
                    must finish it: States x 4 rows, no duplicates, equal to the floor.
  digest-kill       SIGKILL the worker while a digest sits at a real SMTP server (aiosmtpd
                    on loopback); after a new worker and a rerun of the job, nobody got
                    a digest twice. NOT RUN if digest sending is not in the code.
  redis-stop        `redis-cli shutdown nosave` while tasks are queued, restart Redis;
                    the worker must recover and the nightly job recompute the periods.
  postgres-restart  restart the local PostgreSQL cluster inside a recompute; the task
                    retries, the set ends whole, no report lost. Cuts EVERY connection
                    on the machine (other people's test runs too): only when named.

Uses the benchmark database (DATABASE_URL or corfu_bench; seeded if empty) and the
Redis database in BENCH_FAULTS_BROKER_URL (default redis://127.0.0.1:6379/12).
Writes bench/results/faults.json.""",
    )
    parser.add_argument("faults", nargs="*", metavar="fault", help=", ".join(FAULTS))
    parser.add_argument("--all", action="store_true", help="all four, postgres-restart last")
    parser.add_argument(
        "--reports", type=int, default=100_000, help="reports to seed if the database is empty (default 100,000)"
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.faults if name not in FAULTS]
    if unknown:
        parser.error(f"unknown fault {', '.join(unknown)}: choose from {', '.join(FAULTS)}")
    args.faults = FAULTS if args.all else (args.faults or DEFAULT)
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    url = database.database_url()
    database.ensure_database(url)
    database.check_ours(url)
    env = production_env(url)
    env.update(CELERY_BROKER_URL=BROKER_URL, LOG_LEVEL="INFO")
    os.environ.update(env)
    os.environ.update(LOG_LEVEL="WARNING")

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute(database.MARKER_DDL)
        cursor.execute("SELECT reports FROM bench_seed")
        row = cursor.fetchone()
    database.prepare(reports=row[0] if row else args.reports, log=lambda m: print(m, file=sys.stderr))

    from . import digest_kill, postgres_restart, redis_stop, worker_kill
    from .redis_stop import ensure_redis_running

    label = f"{timezone.localdate().year - 1}-Q2"
    runners = {
        "worker-kill": lambda workers: worker_kill.run(workers=workers, label=label),
        "digest-kill": lambda workers: digest_kill.run(workers=workers),
        "redis-stop": lambda workers: redis_stop.run(workers=workers),
        "postgres-restart": lambda workers: postgres_restart.run(workers=workers, label=label),
    }
    ordered = [name for name in FAULTS if name in args.faults]
    outcomes = []
    for name in ordered:
        print(f"{name} ...", file=sys.stderr, flush=True)
        ensure_redis_running()
        flush_broker()
        workers = Workers(env)
        started = time.monotonic()
        try:
            summary, details = runners[name](workers)
            outcome = Outcome(name, "PASS", summary, details)
        except NotRun as exc:
            outcome = Outcome(name, "NOT RUN", str(exc))
        except FaultFailed as exc:
            outcome = Outcome(name, "FAIL", str(exc).splitlines()[0], {"message": str(exc)[-4000:]})
        except Exception as exc:  # noqa: BLE001 - a crash is a failure with its traceback
            outcome = Outcome(name, "FAIL", f"{type(exc).__name__}: {exc}", {"traceback": traceback.format_exc()})
        finally:
            workers.stop_all()
            ensure_redis_running()
            connection.close()
        outcome.seconds = time.monotonic() - started
        outcome.details["worker_logs"] = str(workers.log_dir)
        outcomes.append(outcome)
        record([outcome])
        print(f"{outcome.status:8} {name}: {outcome.summary}", flush=True)
    failed = [outcome for outcome in outcomes if outcome.status == "FAIL"]
    print(f"\n{len(outcomes) - len(failed)} of {len(outcomes)} not failed; results in bench/results/faults.json")
    sys.exit(1 if failed else 0)
