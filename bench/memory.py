"""Peak memory of one year's recompute, in a fresh process: `python -m bench.memory --year 2025`.

Prints one JSON object: the tracemalloc peak of Python allocations during the
recompute and the growth of the process's peak resident set (ru_maxrss) over
what it was after Django started. The rows stay in PostgreSQL, so neither should
grow with the number of reports. `bench.memory.probe` runs it as a subprocess.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def measure(year: int) -> dict:
    import django

    django.setup()
    from django.db import connection

    from scorecards.services import scorecards_compute_year

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM commitments_report")
        (reports,) = cursor.fetchone()
    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    scorecards_compute_year(year=year)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "reports": reports,
        "year": year,
        "tracemalloc_peak_bytes": peak,
        "maxrss_before_kib": before_kib,
        "maxrss_after_kib": after_kib,
        "maxrss_delta_kib": after_kib - before_kib,
    }


def probe(*, year: int, env: dict) -> dict:
    """Run `measure` in a new interpreter with `env` (DATABASE_URL picks the database)."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.memory", "--year", str(year)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"memory probe failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, help="the year to recompute and measure")
    parser.add_argument("--prepare", type=int, metavar="N", help="only migrate, load and seed N reports, then exit")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if args.prepare:
        import django

        django.setup()
        from .database import prepare

        result = prepare(reports=args.prepare, log=lambda message: print(message, file=sys.stderr, flush=True))
        print(json.dumps(result))
        return
    if args.year is None:
        parser.error("--year is required")
    print(json.dumps(measure(args.year)))


if __name__ == "__main__":
    main()
