"""Gunicorn serving the project under `bench.settings`, for the API and load runs."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .load import get

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def production_env(database_url: str) -> dict:
    """The environment of every process the benchmark starts: production settings, the bench database.

    DEBUG off with a real SECRET_KEY, plain HTTP on loopback, and throttle rates
    raised so that one client address hammering the API is measured, not throttled.
    """
    env = dict(os.environ)
    env.pop("CELERY_BROKER_URL", None)  # tasks run eagerly; nothing goes to anybody's broker
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            # Plain HTTP on loopback and a per-process cache (throttles are raised anyway): production
            # mode refuses both unless named here.
            "ALLOW_INSECURE_SETTINGS": "SECURE_SSL_REDIRECT,CACHE_URL",
            "THROTTLE_ANON": "1000000/second",
            "THROTTLE_USER": "1000000/second",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


@contextmanager
def gunicorn(*, env: dict, workers: int = 2, log_path: Path) -> Iterator[tuple[str, int]]:
    """Start `gunicorn bench.wsgi` with sync workers; yield (host, port) once it answers."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench.wsgi:application",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"{HOST}:{port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
                try:
                    status, _ = get(HOST, port, "/api/v1/", timeout=5)
                    if status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")
                time.sleep(0.3)
            yield HOST, port
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
