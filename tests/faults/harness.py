"""Private services for the fault tests: a PostgreSQL cluster and redis-servers in temporary directories.

Nothing here touches the machine's shared PostgreSQL (5432) or Redis (6379): each
fault test breaks only what it started. Workers are `celery worker` processes in
their own process group, so a kill takes the pool's children with the parent.
"""

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
SHARED_PORTS = {5432, 6379}

# Redis transport: hand a dead worker's unacknowledged task to another after a few seconds.
FAST_REDELIVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "5",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}


def free_port() -> int:
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in SHARED_PORTS:
            return port


def unavailable(reason: str) -> None:
    """CI must run every fault test; elsewhere a missing binary skips (and says why)."""
    if os.environ.get("CI"):
        pytest.fail(f"fault tests cannot run: {reason}")
    pytest.skip(reason)


def wait_for(predicate: Callable[[], bool], *, timeout: float, what: str, logs: Callable[[], str] | None = None):
    """Poll `predicate` (exceptions count as not yet) until true; fail the test naming `what` on timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if predicate():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 - a service briefly away: keep polling
            pass
        time.sleep(0.25)
    tail = logs()[-4000:] if logs else ""
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n--- worker logs ---\n{tail}", pytrace=False)


class PrivatePostgres:
    """`initdb` in a temporary directory, started on a free port; as root, run as the `postgres` user."""

    def __init__(self):
        self.bin = next((path for path in PG_BIN_DIRS if (path / "initdb").exists()), None)
        if self.bin is None:
            unavailable("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
        self.root = Path(tempfile.mkdtemp(prefix="corfu-fault-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                unavailable("running as root and there is no `postgres` user to run a private cluster")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *command: str) -> None:
        result = subprocess.run([*self.as_user, *command], capture_output=True, text=True, timeout=120, check=False)
        if result.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{self.log()}")

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")

    def pg_ctl(self, action: str, *extra: str) -> None:
        """`pg_ctl start` (on our port and socket directory, never 5432) or `stop -m fast` etc."""
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *extra]
        if action == "start":
            options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
            command += ["-o", options, "-l", str(self.root / "log")]
        self._run(*command, action)

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, connect_timeout=3)

    def accepting(self) -> bool:
        try:
            with self.connect() as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False

    def create_database(self, name: str, *, template: str | None = None) -> str:
        with self.connect() as conn:
            conn.autocommit = True
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def log(self) -> str:
        path = self.root / "log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(self.root, ignore_errors=True)


class PrivateRedis:
    """`redis-server` without persistence on a free port, in a temporary directory, as a child process."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            unavailable("redis-server is not installed")
        self.dir = Path(tempfile.mkdtemp(prefix="corfu-fault-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = open(self.dir / "redis.log", "a")  # noqa: SIM115 - kept open for the child's lifetime
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.dir), "--daemonize", "no"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self.up, timeout=30, what=f"the private redis-server on port {self.port}")

    def up(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=1).ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        """The server dies (SIGKILL, no save): whatever it held is gone."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def destroy(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class Workers:
    """`celery -A corfu_tracker worker` processes on a private database and broker, each in its own session."""

    def __init__(self, log_dir: Path, *, database_url: str, broker_url: str, pool: str = "prefork"):
        self.log_dir = log_dir
        self.database_url = database_url
        self.broker_url = broker_url
        self.pool = pool
        self.processes: list[subprocess.Popen] = []

    def env(self, **extra: str) -> dict:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "EMAIL_"))}
        return {
            **env,
            "DJANGO_SETTINGS_MODULE": "corfu_tracker.settings",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "LOG_LEVEL": "INFO",
            **FAST_REDELIVERY,
            **extra,
        }

    def start(self, **extra_env: str) -> subprocess.Popen:
        log = open(self.log_dir / f"worker-{len(self.processes)}.log", "w")  # noqa: SIM115
        command = [sys.executable, "-m", "celery", "-A", "corfu_tracker", "worker", f"--pool={self.pool}"]
        command += ["--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += [f"--hostname=fault-{len(self.processes)}@%h"]
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=self.env(**extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches the pool's children too
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool children at once, as a machine losing power would."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.log_dir.glob("worker-*.log")))

    def stop_all(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)


def scenario(action: str, *args: str, database_url: str, broker_url: str = "", check: bool = True) -> dict:
    """Run `python -m tests.faults.scenario ACTION ...` on the private database; returns its JSON answer.

    With `broker_url` set, the code's own `.delay()` calls go to that broker (as in
    production); without it, tasks run eagerly.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "EMAIL_"))}
    env.update(DJANGO_SETTINGS_MODULE="corfu_tracker.settings", DATABASE_URL=database_url, LOG_LEVEL="WARNING")
    env["CELERY_BROKER_URL"] = broker_url
    result = subprocess.run(
        [sys.executable, "-m", "tests.faults.scenario", action, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if check and result.returncode:
        pytest.fail(f"scenario {action} failed ({result.returncode}):\n{result.stdout}\n{result.stderr[-4000:]}")
    answer = json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else {}
    answer["_returncode"] = result.returncode
    answer["_stderr"] = result.stderr
    return answer


def send_task(broker_url: str, name: str, *args) -> None:
    """Queue a task by name on a private broker, as beat or another process would."""
    from celery import Celery

    app = Celery("fault-client", broker=broker_url)
    app.conf.broker_connection_retry_on_startup = False
    try:
        app.send_task(name, args=list(args))
    finally:
        app.close()
