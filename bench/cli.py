"""`python -m bench` (`make bench`): timed runs against their floors, a table, and a JSON file.

    python -m bench                      N=100,000 (or $N): recompute, memory, API, load, import
    python -m bench --full               N=1,000,000 and the memory probe at both sizes
    python -m bench --reports 20000 --skip-load --api-seconds 3     a quick look

See docs/performance.md for what each figure means and the latest results.
"""

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

from . import database
from .server import production_env

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SMALL, LARGE = 100_000, 1_000_000

TARGETS = {
    "recompute_ratio": 1.25,
    "followup_ratio": 1.2,
    "one_state_ms": 60.0,
    "memory_ratio": 1.2,
    "api_ratio": 0.5,
    "pages_p95_ms": 100.0,
    "exports_ratio": 2.0,
    "import_ratio": 1.5,
}


def parse_args(argv=None) -> argparse.Namespace:
    default_reports = int(os.environ.get("BENCH_REPORTS") or os.environ.get("N") or SMALL)
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="""\
Benchmark Corfu Tracker on PostgreSQL, each figure against its floor:

  recompute  scorecards_compute_year() (methods 1 and 2) for the last complete year
             against one hand-written SELECT of both (bench/floor.py), rows compared
             one by one; median ratio of interleaved pairs, with the load average;
             the physical floor (reading the same rows) and PostgreSQL temp-file bytes
  one-State  report_verify() of one implementation report touching 17 periods, Celery
             eager, until its State's scorecards are committed (median of --verifies)
  memory     peak memory of that recompute in a fresh process (N=100k vs 1M)
  api        reports, scorecards and recommendations lists (page of 100) against bare Django
             views, under gunicorn with 2 sync workers, same clients
  load       20 clients for 60 s on a mix of read endpoints, counting errors
  import     100,000 CSV rows through reports_import() against COPY (rolled back)
  followup   the same year recompute with and without the follow-up index of
             50,000 recommendations and 150,000 assessments (bench/followup.py)
  pages      the heatmap (/) and a State page with a warm cache: p95 <= 100 ms
  exports    ?format=csv of every report through gunicorn against psql's \\copy of the
             same rows (<= 2x), and an export job, CSV and Parquet (bench/exports.py)

Database: DATABASE_URL if set, else corfu_bench on postgres://postgres@127.0.0.1:5432,
created, migrated and seeded as needed, reused when it holds the same seed and N.
Prints a table with each target and writes bench/results/latest.json and a
timestamped copy. See docs/performance.md.""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Environment: N or BENCH_REPORTS set the default --reports (N=1000000 make bench).",
    )
    parser.add_argument(
        "--reports",
        type=int,
        default=default_reports,
        metavar="N",
        help=f"synthetic verified reports to seed (default {default_reports:,})",
    )
    parser.add_argument(
        "--full", action="store_true", help=f"N={LARGE:,} and the memory probe at both {SMALL:,} and {LARGE:,}"
    )
    parser.add_argument("--year", type=int, help="year to recompute (default: the last complete year)")
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed pairs (project, floor) of the recompute (default 3)"
    )
    parser.add_argument(
        "--database",
        metavar="NAME",
        help=f"the benchmark's database on {database.DEFAULT_SERVER} (default: DATABASE_URL, else "
        f"{database.DEFAULT_NAME}); two benchmarks at once need two names",
    )
    parser.add_argument(
        "--no-latest", action="store_true", help="write only the timestamped result file, not latest.json"
    )
    parser.add_argument("--skip-one-state", action="store_true", help="skip the one-State update (verify 1 report)")
    parser.add_argument("--verifies", type=int, default=20, help="verifies timed in the one-State update (default 20)")
    parser.add_argument("--skip-api", action="store_true", help="skip the API against bare views")
    parser.add_argument("--skip-load", action="store_true", help="skip the 20-client read load")
    parser.add_argument("--skip-import", action="store_true", help="skip the CSV import against COPY")
    parser.add_argument(
        "--skip-followup", action="store_true", help="skip the year recompute with and without the follow-up index"
    )
    parser.add_argument(
        "--recommendations", type=int, default=50_000, help="synthetic recommendations to seed (default 50,000)"
    )
    parser.add_argument("--skip-memory", action="store_true", help="skip the memory probe")
    parser.add_argument("--skip-pages", action="store_true", help="skip the public pages (heatmap, a State page)")
    parser.add_argument(
        "--skip-exports", action="store_true", help="skip the CSV stream against \\copy and export jobs"
    )
    parser.add_argument("--pages-seconds", type=float, default=10.0, help="seconds per public page (default 10)")
    parser.add_argument(
        "--pages-clients", type=int, default=2, help="concurrent clients for the public pages (default 2)"
    )
    parser.add_argument(
        "--api-seconds", type=float, default=10.0, help="seconds per API and bare-view run (default 10)"
    )
    parser.add_argument("--api-clients", type=int, default=8, help="concurrent clients for the API runs (default 8)")
    parser.add_argument("--load-seconds", type=float, default=60.0, help="seconds of the read load (default 60)")
    parser.add_argument("--load-clients", type=int, default=20, help="concurrent clients of the read load (default 20)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="CSV rows to import (default 100,000)")
    parser.add_argument(
        "--import-pairs", type=int, default=3, help="interleaved pairs (import, COPY) of the import (default 3)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    args = parser.parse_args(argv)
    if args.full:
        args.reports = LARGE
    if args.reports < 1:
        parser.error("--reports must be at least 1")
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> dict:
    memory_kib = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), cpu)
    except OSError:
        pass
    import django

    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(memory_kib / 1024 / 1024, 1),
        "postgresql": database.server_version(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "os": platform.platform(),
    }


# --- memory at two sizes ---------------------------------------------------------------------------


def _earlier_memory(reports: int) -> dict | None:
    """The newest memory figure for `reports` from earlier result files."""
    for path in sorted(RESULTS_DIR.glob("run-*.json"), reverse=True):
        try:
            figure = json.loads(path.read_text())["memory"]["measured"].get(str(reports))
        except (ValueError, KeyError, TypeError):
            continue
        if figure and figure.get("source") == "this run":
            return {**figure, "source": f"earlier run ({path.name})"}
    return None


def _measure_memory(args, env: dict, url: str) -> dict:
    from .memory import probe

    measured = {str(args.reports): {**probe(year=args.year, env=env), "source": "this run"}}
    if args.full:
        small_url = database.sibling_url(url, "_small")
        database.ensure_database(small_url)
        database.check_ours(small_url)
        small_env = {**env, "DATABASE_URL": small_url}
        log(f"  preparing {small_url.rsplit('/', 1)[-1]} with {SMALL:,} reports for the memory probe ...")
        import subprocess

        subprocess.run(
            [sys.executable, "-m", "bench.memory", "--prepare", str(SMALL)],
            cwd=RESULTS_DIR.parent.parent,
            env=small_env,
            stdout=sys.stderr,
            check=True,
        )
        measured[str(SMALL)] = {**probe(year=args.year, env=small_env), "source": "this run"}
    for size in (SMALL, LARGE):
        if str(size) not in measured:
            earlier = _earlier_memory(size)
            if earlier:
                measured[str(size)] = earlier
    result = {"measured": measured}
    small, large = measured.get(str(SMALL)), measured.get(str(LARGE))
    if small and large:
        result["tracemalloc_ratio"] = large["tracemalloc_peak_bytes"] / small["tracemalloc_peak_bytes"]
        if small["maxrss_delta_kib"] > 0:
            result["maxrss_delta_ratio"] = large["maxrss_delta_kib"] / small["maxrss_delta_kib"]
    return result


# --- the table -------------------------------------------------------------------------------------


def _status(ok: bool, note: str = "") -> str:
    return ("met" if ok else "NOT MET") + note


def table(results: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []
    n = results["reports"]
    footnotes = []
    star = "" if n == LARGE else "*"
    recompute = results.get("recompute")
    if recompute:
        year = recompute["year"]
        if star:
            footnotes.append(f"* the target is set for N={LARGE:,}; this run has N={n:,}.")
        rows += [
            (
                f"recompute {year}, project, methods 1+2 (best of {len(recompute['project_runs'])})",
                f"{recompute['project_seconds']:.3f} s",
                "",
                "",
            ),
            (
                f"recompute {year}, floor SELECT (best of {len(recompute['floor_runs'])})",
                f"{recompute['floor_seconds']:.3f} s",
                "",
                "",
            ),
            (
                f"physical floor: read the {recompute['scan_rows']:,} rows (median)",
                f"{recompute['scan']['heap_read']['median_ms']:.0f} ms "
                f"(count from the index alone {recompute['scan']['index_count']['median_ms']:.0f} ms)",
                "",
                "",
            ),
            (
                "PostgreSQL temp files, project / floor (per run)",
                f"{max(recompute['temp_bytes_project'], default=0):,} / "
                f"{max(recompute['temp_bytes_floor'], default=0):,} B",
                "",
                "",
            ),
            (
                "recompute project / floor (median of pairs)",
                f"{recompute['ratio']:.2f}",
                f"<= {TARGETS['recompute_ratio']} at N=1M",
                _status(recompute["ratio"] <= TARGETS["recompute_ratio"], star),
            ),
            (
                "  load average before / after (1 min)",
                f"{recompute['load_average_before'][0]:.1f} / {recompute['load_average_after'][0]:.1f}",
                "",
                "",
            ),
            (
                "recompute rows, project vs floor",
                f"{recompute['rows']} rows {'identical' if recompute['identical'] else 'DIFFER'}",
                "identical",
                _status(recompute["identical"]),
            ),
        ]
    followup = results.get("followup")
    if followup:
        rows += [
            (
                f"recompute {followup['year']} with / without the follow-up index (median of pairs)",
                f"{followup['ratio']:.2f} ({followup['with_followup_seconds']:.3f} s / "
                f"{followup['without_followup_seconds']:.3f} s best)",
                f"<= {TARGETS['followup_ratio']}",
                _status(followup["ratio"] <= TARGETS["followup_ratio"]),
            ),
            (
                "  load average before / after (1 min)",
                f"{followup['load_average_before'][0]:.1f} / {followup['load_average_after'][0]:.1f}",
                "",
                "",
            ),
        ]
    one_state = results.get("one_state")
    if one_state:
        rows += [
            (
                f"verify 1 report -> its State's scorecards committed, {one_state['periods']} periods (median of "
                f"{one_state['verifies']})",
                f"{one_state['verify_median_ms']:.0f} ms (scorecard task {one_state['scorecards_median_ms']:.0f} ms)",
                f"<= {TARGETS['one_state_ms']:.0f} ms at N=1M",
                _status(one_state["verify_median_ms"] <= TARGETS["one_state_ms"], star),
            ),
            (
                "  floor SELECT of that State and those periods (median)",
                f"{one_state['floor_median_ms']:.0f} ms",
                "",
                "",
            ),
            (
                "  load average before / after (1 min)",
                f"{one_state['load_average_before'][0]:.1f} / {one_state['load_average_after'][0]:.1f}",
                "",
                "",
            ),
        ]
    memory = results.get("memory")
    if memory:
        for size, figure in sorted(memory["measured"].items(), key=lambda item: int(item[0])):
            where = "" if figure["source"] == "this run" else " (earlier run)"
            rows.append(
                (
                    f"recompute peak memory, N={int(size):,}{where}",
                    f"{figure['tracemalloc_peak_bytes'] / 1024:.0f} KiB traced, +{figure['maxrss_delta_kib']} KiB RSS",
                    "",
                    "",
                )
            )
        if "tracemalloc_ratio" in memory:
            rows.append(
                (
                    "peak memory N=1M / N=100k (traced)",
                    f"{memory['tracemalloc_ratio']:.2f} (RSS growth "
                    f"{memory['measured'][str(SMALL)]['maxrss_delta_kib']} -> "
                    f"{memory['measured'][str(LARGE)]['maxrss_delta_kib']} KiB)",
                    f"<= {TARGETS['memory_ratio']}",
                    _status(memory["tracemalloc_ratio"] <= TARGETS["memory_ratio"]),
                )
            )
        else:
            rows.append(("peak memory N=1M / N=100k", "needs both sizes (--full)", "<= 1.2", "not measured"))
    api = results.get("api")
    if api:
        for name, entry in api.items():
            for side in ("api", "bare"):
                figure = entry[side]
                rows.append(
                    (
                        f"{name} list, {'API' if side == 'api' else 'bare view'} ({figure['clients']} clients)",
                        f"{figure['rps']:.0f} req/s, p50 {figure['p50_ms']:.0f} ms, p99 {figure['p99_ms']:.0f} ms",
                        "",
                        f"{figure['errors']} errors" if figure["errors"] else "",
                    )
                )
            rows.append(
                (
                    f"{name} list, API / bare",
                    f"{entry['ratio']:.2f}",
                    f">= {TARGETS['api_ratio']}",
                    _status(entry["ratio"] >= TARGETS["api_ratio"]),
                )
            )
    for name, figure in results.get("pages", {}).items():
        rows.append(
            (
                f"{name} {figure['path']}, warm cache ({figure['clients']} clients)",
                f"{figure['rps']:.0f} req/s, p50 {figure['p50_ms']:.0f} ms, p95 {figure['p95_ms']:.0f} ms, "
                f"p99 {figure['p99_ms']:.0f} ms",
                f"p95 <= {TARGETS['pages_p95_ms']:.0f} ms",
                _status(figure["p95_ms"] <= TARGETS["pages_p95_ms"] and not figure["errors"]),
            )
        )
    load = results.get("load")
    if load:
        rows += [
            (
                f"read load, {load['clients']} clients x {load['seconds']:.0f} s",
                f"{load['rps']:.0f} req/s, p50 {load['p50_ms']:.0f} ms, p99 {load['p99_ms']:.0f} ms",
                "",
                "",
            ),
            ("read load errors", f"{load['errors']} of {load['requests']:,}", "0", _status(load["errors"] == 0)),
        ]
    imported = results.get("import")
    if imported:
        project, copy = imported["project"], imported["copy"]
        rows += [
            (
                f"import {imported['rows']:,} CSV rows, project",
                f"{project['rows_per_second']:,.0f} rows/s ({project['seconds']:.1f} s)",
                "",
                "",
            ),
            (
                "same rows, plain COPY (reports only)",
                f"{copy['rows_per_second']:,.0f} rows/s ({copy['seconds_reports_only']:.1f} s)",
                "",
                "",
            ),
            (
                "same rows, COPY reports + history",
                f"{copy['rows_per_second_with_history']:,.0f} rows/s ({copy['seconds_with_history']:.1f} s)",
                "",
                "",
            ),
            (
                f"import / COPY with history (median of {imported['pairs']} pairs)",
                f"{imported['ratio']:.2f}",
                f"<= {TARGETS['import_ratio']}",
                _status(imported["ratio"] <= TARGETS["import_ratio"]),
            ),
            (
                "  load average before / after (1 min)",
                f"{imported['load_average_before'][0]:.1f} / {imported['load_average_after'][0]:.1f}",
                "",
                "",
            ),
        ]
    rows += _export_rows(results.get("exports"))
    widths = [max(len(row[i]) for row in [("figure", "value", "target", "status"), *rows]) for i in range(4)]
    lines = []
    for row in [("figure", "value", "target", "status"), *rows]:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    meta = results["machine"]
    header = (
        f"Corfu Tracker benchmark: N={n:,} reports (seed {results['seed']}), "
        f"{meta['cores']} cores, {meta['ram_gib']} GiB RAM, PostgreSQL {meta['postgresql']}, {results['started_at']}"
    )
    return "\n".join([header, *lines, *footnotes])


def _export_rows(exports: dict | None) -> list[tuple[str, str, str, str]]:
    if not exports:
        return []
    stream = exports["stream"]
    rows = [
        (
            "reports ?format=csv, all rows, API / \\copy (median of pairs)",
            f"{stream['ratio']:.2f} ({stream['project_seconds']:.1f} s / {stream['floor_seconds']:.1f} s)",
            f"<= {TARGETS['exports_ratio']}",
            _status(stream["ratio"] <= TARGETS["exports_ratio"]),
        ),
        (
            "  load average before / after (1 min)",
            f"{stream['load_average_before'][0]:.1f} / {stream['load_average_after'][0]:.1f}",
            "",
            "",
        ),
    ]
    for name, job in exports["jobs"].items():
        rows.append(
            (f"export job, {name}", f"{job['seconds']:.1f} s, {job['rows']:,} rows, {job['bytes']:,} bytes", "", "")
        )
    return rows


def _targets(results: dict) -> dict:
    met = {}
    if "recompute" in results:
        met["recompute_ratio"] = results["recompute"]["ratio"] <= TARGETS["recompute_ratio"]
        met["recompute_identical"] = results["recompute"]["identical"]
    if "followup" in results:
        met["followup_ratio"] = results["followup"]["ratio"] <= TARGETS["followup_ratio"]
    if "one_state" in results:
        met["one_state_ms"] = results["one_state"]["verify_median_ms"] <= TARGETS["one_state_ms"]
    if results.get("memory", {}).get("tracemalloc_ratio") is not None:
        met["memory_ratio"] = results["memory"]["tracemalloc_ratio"] <= TARGETS["memory_ratio"]
    for name, entry in results.get("api", {}).items():
        met[f"api_{name}_ratio"] = entry["ratio"] >= TARGETS["api_ratio"]
    for name, figure in results.get("pages", {}).items():
        met[f"pages_{name.replace(' ', '_')}_p95"] = (
            figure["p95_ms"] <= TARGETS["pages_p95_ms"] and not figure["errors"]
        )
    if "load" in results:
        met["load_errors"] = results["load"]["errors"] == 0
    if "import" in results:
        met["import_ratio"] = results["import"]["ratio"] <= TARGETS["import_ratio"]
    if "exports" in results:
        met["exports_ratio"] = results["exports"]["stream"]["ratio"] <= TARGETS["exports_ratio"]
    return met


def write_results(results: dict, *, latest: bool = True) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    body = json.dumps(results, indent=2, default=str) + "\n"
    path = RESULTS_DIR / f"run-{stamp}-N{results['reports']}.json"
    path.write_text(body)
    if latest:
        (RESULTS_DIR / "latest.json").write_text(body)
    return path


def main(argv=None) -> None:
    args = parse_args(argv)
    url = f"{database.DEFAULT_SERVER}/{args.database}" if args.database else database.database_url()
    if database.ensure_database(url):
        log(f"created database {url.rsplit('/', 1)[-1]}")
    database.check_ours(url)
    env = production_env(url)
    os.environ.update(env)
    os.environ.pop("CELERY_BROKER_URL", None)

    import django

    django.setup()
    from django.utils import timezone

    from . import api, followup, recompute
    from .server import gunicorn

    started = time.monotonic()
    results: dict = {
        "started_at": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
        "reports": args.reports,
        "seed": database.SEED,
        "database": url.rsplit("/", 1)[-1],
        "arguments": vars(args),
        "machine": machine(),
        "note": "2 cores shared with other people's test runs: timings are noisy.",
    }
    args.year = args.year or timezone.localdate().year - 1
    log(f"preparing the database ({args.reports:,} reports) ...")
    results["seeding"] = database.prepare(reports=args.reports, log=log)
    log(f"  {results['seeding']['action']} in {results['seeding']['seconds']} s")

    results["seeding_followup"] = followup.prepare(recommendations=args.recommendations, log=log)

    log(f"recompute {args.year}: project against floor, best of {args.repeats} ...")
    results["recompute"] = recompute.run(year=args.year, repeats=args.repeats)
    if not args.skip_followup:
        log(f"recompute {args.year} with and without the follow-up index, {args.repeats} pairs ...")
        results["followup"] = followup.run(year=args.year, repeats=args.repeats)
    if not args.skip_one_state:
        from . import one_state

        log(f"one-State update: {args.verifies} verifies, each paired with the floor for that State ...")
        results["one_state"] = one_state.run(year=args.year, verifies=args.verifies)
    if not args.skip_memory:
        log("peak memory of the recompute, in a fresh process ...")
        results["memory"] = _measure_memory(args, env, url)

    if not args.skip_pages:
        from django.core.management import call_command

        # Production settings serve hashed static names from the manifest, as a deploy would.
        call_command("collectstatic", "--noinput", verbosity=0)
    if not (args.skip_api and args.skip_load and args.skip_pages):
        with gunicorn(env=env, workers=args.workers, log_path=RESULTS_DIR / "gunicorn.log.tmp") as (host, port):
            if not args.skip_api:
                log(f"API against bare views: {args.api_clients} clients, {args.api_seconds:.0f} s each ...")
                results["api"] = api.compare_api(
                    host=host, port=port, year=args.year, clients=args.api_clients, seconds=args.api_seconds
                )
            if not args.skip_pages:
                from . import pages

                log(
                    f"public pages with a warm cache: {args.pages_clients} clients, {args.pages_seconds:.0f} s each ..."
                )
                results["pages"] = pages.run(
                    host=host, port=port, clients=args.pages_clients, seconds=args.pages_seconds
                )
            if not args.skip_load:
                log(f"read load: {args.load_clients} clients for {args.load_seconds:.0f} s ...")
                results["load"] = api.load(
                    host=host, port=port, year=args.year, clients=args.load_clients, seconds=args.load_seconds
                )
    if not args.skip_exports:
        from . import exports

        # Its own server: the whole table streams (no synchronous limit), as the target is set for 1M rows.
        exports_env = {**env, "EXPORT_SYNC_MAX_ROWS": "0"}
        log_path = RESULTS_DIR / "gunicorn-exports.log.tmp"
        with gunicorn(env=exports_env, workers=args.workers, log_path=log_path) as (host, port):
            log(f"exports: ?format=csv of {args.reports:,} reports against \\copy, {args.repeats} pairs; jobs ...")
            results["exports"] = exports.run(host=host, port=port, url=url, repeats=args.repeats)
    if not args.skip_import:
        from . import importing

        # The CSV is built from seeded reports: a small run imports as many rows as it seeded.
        import_rows = min(args.import_rows, args.reports)
        log(f"import of {import_rows:,} CSV rows against COPY (rolled back) ...")
        results["import"] = importing.run(rows=import_rows, pairs=args.import_pairs)

    results["targets_met"] = _targets(results)
    results["seconds"] = round(time.monotonic() - started, 1)
    path = write_results(results, latest=not args.no_latest)
    print(table(results))
    also = "" if args.no_latest else " (and bench/results/latest.json)"
    print(f"\nResults: {path.relative_to(RESULTS_DIR.parent.parent)}{also}")
    print("Timings on a shared machine are noisy; compare ratios measured in the same run.")
