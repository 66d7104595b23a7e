"""Real Celery workers for integration tests: Redis as broker, the test database shared.

A worker is a separate process, so it needs PostgreSQL (it cannot see SQLite's
in-memory test database) and tests that use it must be transactional.
"""

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from corfu_tracker.celery import app as celery_app

DEFAULT_BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def require_worker_services(broker_url: str) -> None:
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run the worker tests on PostgreSQL (set DATABASE_URL).")
        pytest.skip("needs PostgreSQL: a worker process cannot share SQLite's in-memory test database")
    try:
        redis.Redis.from_url(broker_url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {broker_url}: {exc}")


def _forget_broker_connections() -> None:
    # Connection and producer pools made earlier in this process point at the old (default) broker URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def real_broker(broker_url: str = DEFAULT_BROKER_URL):
    """This process's `.delay()` calls go to an emptied Redis database instead of running eagerly."""
    require_worker_services(broker_url)
    redis.Redis.from_url(broker_url).flushdb()
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    conf.broker_url, conf.task_always_eager = broker_url, False
    _forget_broker_connections()
    try:
        yield broker_url
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _forget_broker_connections()


class Workers:
    """Starts `celery -A corfu_tracker worker` processes on the test database; `stop_all` kills them."""

    def __init__(self, log_dir: Path, broker_url: str, *, pool_args: list[str] | None = None):
        self.log_dir = log_dir
        self.broker_url = broker_url
        self.pool_args = pool_args or ["--pool=solo"]
        self.processes: list[subprocess.Popen] = []

    def start(self, **extra_env: str) -> subprocess.Popen:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "corfu_tracker.settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": self.broker_url,
            **extra_env,
        }
        log = open(self.log_dir / f"worker-{len(self.processes)}.log", "w")  # noqa: SIM115
        command = [sys.executable, "-m", "celery", "-A", "corfu_tracker", "worker", *self.pool_args]
        command += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.log_dir.glob("worker-*.log")))

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
