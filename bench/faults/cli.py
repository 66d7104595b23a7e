"""`python -m bench.faults [fault ...]`: run the fault tests (tests/faults/) and record each outcome."""

import argparse
import datetime
import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
RESULTS_FILE = BASE_DIR / "bench" / "results" / "faults.json"

FAULTS = {
    "worker-kill": (
        "test_worker_kill.py",
        "prefork worker (one child) SIGKILLed with its child inside a recompute's transaction; "
        "a new worker must run it again (guards acks_late)",
    ),
    "digest-kill": (
        "test_digest_kill.py",
        "worker SIGKILLed while a digest sits at a real SMTP server; after the lease every due digest is "
        "delivered once by Message-ID (guards the lease resend with the stored Message-ID)",
    ),
    "redis-stop": (
        "test_redis_stop.py",
        "private redis-server killed and restarted empty; a review saved during the outage reaches the "
        "scorecards through the catch-up (guards the safe enqueue and the stale-period catch-up)",
    ),
    "postgres-restart": (
        "test_postgres_restart.py",
        "private PostgreSQL cluster stopped and started inside a recompute's transaction; the task retries "
        "and commits (guards the retry on connection errors)",
    ),
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.faults",
        description="Run the fault tests in tests/faults/ one by one, on private PostgreSQL and Redis instances, "
        "and record PASS/FAIL/NOT RUN in bench/results/faults.json.",
        epilog="\n".join(f"{name}: {what}" for name, (_, what) in FAULTS.items()),
    )
    parser.add_argument("faults", nargs="*", metavar="fault", help=", ".join(FAULTS) + " (default: all)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.faults if name not in FAULTS]
    if unknown:
        parser.error(f"unknown fault {', '.join(unknown)}: choose from {', '.join(FAULTS)}")
    args.faults = args.faults or list(FAULTS)
    return args


def outcome_from_junit(path: Path, returncode: int, output: str) -> tuple[str, str]:
    """(status, the failure or skip message) from pytest's JUnit XML."""
    try:
        case = ElementTree.parse(path).getroot().find(".//testcase")
    except (OSError, ElementTree.ParseError):
        case = None
    if case is None:
        return "FAIL", f"pytest exited {returncode} without a result: {output.strip()[-500:]}"
    for tag in ("failure", "error"):
        element = case.find(tag)
        if element is not None:
            return "FAIL", (element.get("message") or "").splitlines()[0][:500]
    skipped = case.find("skipped")
    if skipped is not None:
        return "NOT RUN", skipped.get("message", "")[:500]
    return ("PASS", "") if returncode == 0 else ("FAIL", f"pytest exited {returncode}")


def run(name: str) -> dict:
    test_file, what = FAULTS[name]
    with tempfile.TemporaryDirectory() as scratch:
        junit = Path(scratch) / "junit.xml"
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", f"tests/faults/{test_file}", "-q", "-p", "no:cacheprovider"]
            + [f"--junitxml={junit}", "-o", "junit_family=xunit1"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.monotonic() - started
        status, message = outcome_from_junit(junit, result.returncode, result.stdout + result.stderr)
    return {
        "status": status,
        "test": f"tests/faults/{test_file}",
        "what": what,
        "message": message,
        "seconds": round(seconds, 1),
        "ran_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def record(name: str, outcome: dict) -> None:
    """Merge into bench/results/faults.json, one entry per fault, newest result kept."""
    try:
        existing = json.loads(RESULTS_FILE.read_text())
    except (OSError, ValueError):
        existing = {}
    existing[name] = outcome
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(existing, indent=2) + "\n")


def main(argv=None) -> None:
    args = parse_args(argv)
    failed = 0
    for name in args.faults:
        print(f"{name} ...", file=sys.stderr, flush=True)
        outcome = run(name)
        record(name, outcome)
        failed += outcome["status"] == "FAIL"
        print(f"{outcome['status']:8} {name} ({outcome['seconds']:.0f} s) {outcome['message']}", flush=True)
    print(f"\n{len(args.faults) - failed} of {len(args.faults)} not failed; results in bench/results/faults.json")
    sys.exit(1 if failed else 0)
