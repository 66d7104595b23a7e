"""Two identical reports written at the same time: one lands, the other is refused naming it (PostgreSQL).

A report is written in one thread's transaction and held there, uncommitted, so the other writer's
validation cannot see it; that writer's INSERT then waits on the unique index. Once the first commits,
the second must be a 400 (API) or a listed line (import) naming the first, never a 500 or a second row.
"""

import csv
import datetime
import io
import threading
import time

import pytest
from django.db import connection, transaction

from commitments import services
from commitments.imports import dataset_from_file, reports_import
from commitments.models import Report
from tests.api.conftest import client_with_token

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="SQLite has one writer lock for the whole database; run on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

CONTENT = {
    "kind": "violation",
    "severity": "serious",
    "observed_on": datetime.date(2010, 5, 4),
    "source": "odihr",
    "source_url": "https://www.osce.org/odihr/elections/austria/2010",
    "summary": "Voters abroad could not register in time.",
}


class Thread(threading.Thread):
    """Runs `work` on its own database connection; keeps what it returned or raised."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.result, self.error = work, None, None

    def run(self):
        try:
            self.result = self.work()
        except Exception as exc:  # the test asserts on it
            self.error = exc
        finally:
            connection.close()

    def outcome(self):
        self.join(timeout=30)
        assert not self.is_alive(), "the thread did not finish"
        if self.error is not None:
            raise self.error
        return self.result


def hold_uncommitted_report(user, austria, elections):
    """A report written in another thread's open transaction; commit it with `release.set()`."""
    written, release = threading.Event(), threading.Event()

    def work():
        with transaction.atomic():
            report = services.report_create_draft(user=user, state=austria, commitment=elections, **CONTENT)
            written.set()
            assert release.wait(timeout=30), "the test never released the first writer"
        return report

    holder = Thread(work)
    holder.start()
    assert written.wait(timeout=30), "the first writer never wrote"
    return holder, release


def wait_until_a_writer_waits_on_a_lock() -> None:
    deadline = time.monotonic() + 15
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("the second writer never waited on the first one's row: no unique index between them?")


def test_of_two_identical_api_writes_at_once_the_second_is_a_400_naming_the_first(
    reporter, other_reporter, austria, elections
):
    holder, release = hold_uncommitted_report(reporter, austria, elections)
    body = CONTENT | {"state": "AT", "commitment": "COP-1990-7.3", "observed_on": "2010-05-04"}
    second = Thread(lambda: client_with_token(other_reporter).post("/api/v1/reports/", body, format="json"))
    second.start()
    wait_until_a_writer_waits_on_a_lock()

    release.set()
    first = holder.outcome()
    response = second.outcome()

    assert response.status_code == 400, response.content
    assert response.json()["non_field_errors"][0].startswith(f"Duplicate of report #{first.pk} (draft)")
    assert list(Report.objects.values_list("pk", flat=True)) == [first.pk]


def test_an_import_racing_an_identical_entry_lists_the_line_naming_the_entry(
    reporter, other_reporter, austria, elections
):
    row = {
        "state": "AT",
        "commitment": "COP-1990-7.3",
        "kind": "violation",
        "level_or_severity": "serious",
        "observed_on": "2010-05-04",
        "source": "odihr",
        "summary": "Imported while the same report was being entered.",
        "source_url": CONTENT["source_url"],
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    dataset = dataset_from_file(content=buffer.getvalue().encode(), filename="reports.csv")
    holder, release = hold_uncommitted_report(reporter, austria, elections)
    importing = Thread(lambda: reports_import(dataset=dataset, user=other_reporter))
    importing.start()
    wait_until_a_writer_waits_on_a_lock()

    release.set()
    first = holder.outcome()
    result = importing.outcome()

    assert result.created == 0
    assert [(error.line, error.column) for error in result.errors] == [(2, "row")]
    assert result.errors[0].message.startswith(f"Duplicate of report #{first.pk} (draft)")
    assert list(Report.objects.values_list("pk", flat=True)) == [first.pk]
