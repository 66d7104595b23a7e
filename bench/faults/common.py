"""What every fault needs: the environment, real worker processes, waiting, results."""

import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
RESULTS_FILE = BASE_DIR / "bench" / "results" / "faults.json"
# A Redis database of our own: the test suite uses 15 (worker tests) and 14 (digest workers).
BROKER_URL = os.environ.get("BENCH_FAULTS_BROKER_URL", "redis://127.0.0.1:6379/12")


class FaultFailed(AssertionError):
    pass


class NotRun(Exception):
    """The fault cannot be run here (a feature is missing); reported as NOT RUN, never as a pass."""


@dataclass
class Outcome:
    name: str
    status: str  # PASS, FAIL, NOT RUN
    summary: str
    details: dict = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "summary": self.summary,
            "details": self.details,
            "seconds": round(self.seconds, 1),
            "ran_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }


def check(condition: bool, message: str) -> None:
    if not condition:
        raise FaultFailed(message)


def wait_for(predicate: Callable[[], bool], *, timeout: float, what: str, workers=None, interval=0.25) -> float:
    """Poll until `predicate()` is true; returns the seconds it took. Raises FaultFailed on timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if predicate():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 - a database or broker briefly away: keep polling
            pass
        time.sleep(interval)
    tail = workers.logs()[-3000:] if workers else ""
    raise FaultFailed(f"timed out after {timeout:.0f} s waiting for {what}\n--- worker logs ---\n{tail}")


class Workers:
    """`celery worker --pool=solo` subprocesses on the fault broker and the benchmark database."""

    def __init__(self, env: dict):
        self.env = env
        self.processes: list[subprocess.Popen] = []
        self.log_dir = Path(tempfile.mkdtemp(prefix="corfu-faults-"))

    def start(self, **extra_env: str) -> subprocess.Popen:
        env = {
            **self.env,
            "CELERY_BROKER_URL": BROKER_URL,
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            **extra_env,
        }
        log = open(self.log_dir / f"worker-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "corfu_tracker",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=fault-{len(self.processes)}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.log_dir.glob("worker-*.log")))

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


def record(outcomes: list[Outcome]) -> None:
    """Merge into bench/results/faults.json, one entry per fault, newest result kept."""
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        existing = json.loads(RESULTS_FILE.read_text())
    except (OSError, ValueError):
        existing = {}
    for outcome in outcomes:
        existing[outcome.name] = outcome.as_dict()
    RESULTS_FILE.write_text(json.dumps(existing, indent=2, default=str) + "\n")


def flush_broker() -> None:
    import redis

    redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3).flushdb()
