"""The migrations run on a fresh SQLite file (the default local database) and keep the in-force triggers.

SQLite rebuilds a table to add a column, and a trigger naming that table breaks the rebuild unless the
migration drops the triggers first and creates them again (0008 and 0009 do).
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

IN_FORCE_TRIGGERS = {
    "commitment_in_force_after_adoption_insert",
    "commitment_in_force_after_adoption_update",
    "document_adoption_before_commitments",
}


def test_migrations_run_on_a_fresh_sqlite_database_and_keep_the_in_force_triggers(tmp_path: Path):
    database = tmp_path / "fresh.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(database) as connection:
        triggers = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert triggers >= IN_FORCE_TRIGGERS
