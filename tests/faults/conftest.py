"""Fixtures for the fault tests: a private PostgreSQL cluster (once per session), a fresh database and a
private Redis per test, and worker processes on them. See tests/faults/harness.py."""

import itertools
import os
import subprocess
import sys

import pytest

from .harness import BASE_DIR, PrivatePostgres, PrivateRedis, Workers

TEMPLATE = "corfu_fault_template"
_numbers = itertools.count()


@pytest.fixture(scope="session")
def private_postgres():
    cluster = PrivatePostgres()
    try:
        cluster.init()
        cluster.pg_ctl("start")
        cluster.create_database(TEMPLATE)
        env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=BASE_DIR,
            env={**env, "DATABASE_URL": cluster.url(TEMPLATE), "DJANGO_SETTINGS_MODULE": "corfu_tracker.settings"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if migrate.returncode:
            pytest.fail(f"migrate on the private cluster failed:\n{migrate.stderr[-4000:]}")
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def fault_db(private_postgres):
    """The URL of a new database, a copy of the migrated template, on the private cluster."""
    return private_postgres.create_database(f"corfu_fault_{next(_numbers)}", template=TEMPLATE)


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def workers(tmp_path, fault_db, private_redis):
    pool = Workers(tmp_path, database_url=fault_db, broker_url=private_redis.url)
    yield pool
    pool.stop_all()
