"""Issue 12, duplicates in the bulk import: rows that repeat a standing report, or an earlier line, are listed.

Importing the same file twice imports nothing the second time and lists every line, each naming the
report already there. The check asks the database once per chunk of rows, never once per row.
"""

import csv
import datetime
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commitments.imports import dataset_from_file, duplicate_row_errors, reports_import
from commitments.models import Report, ReportStatus
from commitments.models.reports import IDENTITY_LOOKUP_CHUNK
from tests.factories import CommitmentFactory, ReportFactory, SourceDocumentFactory, StateFactory

pytestmark = pytest.mark.django_db

HEADER = ["state", "commitment", "kind", "level_or_severity", "observed_on", "source", "summary", "source_url"]
FIRST_DAY = datetime.date(2015, 1, 1)


@pytest.fixture
def catalogue(db):
    StateFactory(code="AT", admitted_on=datetime.date(1973, 6, 25))
    StateFactory(code="BE", admitted_on=datetime.date(1973, 6, 25))
    document = SourceDocumentFactory(code="COP-1990", adopted_on=datetime.date(1990, 6, 29))
    return CommitmentFactory(code="COP-1990-7.3", document=document)


def row(n: int, **overrides) -> dict:
    """The n-th of many distinct rows (each observed on its own day)."""
    values = {
        "state": "AT",
        "commitment": "COP-1990-7.3",
        "kind": "implementation",
        "level_or_severity": "full",
        "observed_on": (FIRST_DAY + datetime.timedelta(days=n)).isoformat(),
        "source": "odihr",
        "summary": f"Synthetic test row {n}.",
        "source_url": "https://www.osce.org/odihr/elections/austria",
    }
    return values | overrides


def import_rows(rows: list[dict], user, **kwargs):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    dataset = dataset_from_file(content=buffer.getvalue().encode(), filename="reports.csv")
    return reports_import(dataset=dataset, user=user, **kwargs)


def listed(result) -> list[tuple[int, str]]:
    return [(error.line, error.message) for error in result.errors]


def test_a_row_identical_to_a_standing_report_is_listed_naming_that_report(catalogue, reporter):
    rows = [row(0), row(1), row(2)]
    existing = ReportFactory(
        state_id="AT",
        commitment=catalogue,
        level="full",
        observed_on=FIRST_DAY + datetime.timedelta(days=1),
        source_url=rows[1]["source_url"],
        verified=True,
    )

    result = import_rows(rows, reporter)

    assert [line for line, _ in listed(result)] == [3]
    assert f"Duplicate of report #{existing.pk} (verified)" in result.errors[0].message
    assert result.errors[0].column == "row"
    assert (result.created, Report.objects.count()) == (0, 1)


def test_a_row_like_a_retracted_report_is_imported(catalogue, reporter):
    ReportFactory(
        state_id="AT",
        commitment=catalogue,
        level="full",
        observed_on=FIRST_DAY,
        source_url=row(0)["source_url"],
        status=ReportStatus.RETRACTED,
        retraction_reason="Wrong date.",
    )

    result = import_rows([row(0)], reporter)

    assert (result.ok, result.created) == (True, 1)


def test_identical_lines_in_one_file_are_listed_after_the_first(catalogue, reporter):
    rows = [row(0), row(1), row(2), row(0, summary="Reworded."), row(3), row(0)]

    result = import_rows(rows, reporter)

    assert [line for line, _ in listed(result)] == [5, 7]
    assert all(message.startswith("Duplicate of line 2:") for _, message in listed(result))
    assert Report.objects.count() == 0


def test_duplicates_are_listed_beside_the_other_bad_rows_in_line_order(catalogue, reporter):
    rows = [row(0), row(1, state="XX"), row(0)]

    result = import_rows(rows, reporter)

    assert [(error.line, error.column) for error in result.errors] == [(3, "state"), (4, "row")]


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_importing_the_same_file_twice_imports_nothing_the_second_time(catalogue, reporter, dry_run):
    rows = [row(n, state="AT" if n % 2 else "BE") for n in range(20)]
    first = import_rows(rows, reporter)
    assert (first.ok, first.created) == (True, 20)
    imported = dict(Report.objects.values_list("observed_on", "pk"))

    second = import_rows(rows, reporter, dry_run=dry_run)

    assert second.created == 0
    assert Report.objects.count() == 20
    assert [line for line, _ in listed(second)] == list(range(2, 22))
    for n, (_, message) in enumerate(listed(second)):
        pk = imported[FIRST_DAY + datetime.timedelta(days=n)]
        assert message.startswith(f"Duplicate of report #{pk} (submitted)")


def test_the_duplicate_check_asks_the_database_once_per_chunk_not_once_per_row(catalogue):
    count = IDENTITY_LOOKUP_CHUNK + 500
    reports = [
        Report(
            state_id="AT",
            commitment=catalogue,
            kind="implementation",
            level="full",
            observed_on=FIRST_DAY,
            source_url=f"https://www.osce.org/odihr/{n}",
        )
        for n in range(count)
    ]
    with CaptureQueriesContext(connection) as queries:
        errors = duplicate_row_errors(reports=reports, lines=range(2, count + 2))

    assert errors == []
    assert len(queries) == 2


class Rollback(Exception):
    pass


ROWS = st.lists(
    st.builds(
        lambda n, state, grade: row(n, state=state, level_or_severity=grade),
        st.integers(0, 3),
        st.sampled_from(["AT", "BE"]),
        st.sampled_from(["full", "partial"]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_importing_any_file_a_second_time_adds_nothing_and_lists_every_line(catalogue, reporter, rows):
    try:
        with transaction.atomic():
            first = import_rows(rows, reporter)
            after_first = Report.objects.count()
            second = import_rows(rows, reporter)

            identities = [(r["state"], r["observed_on"], r["level_or_severity"]) for r in rows]
            repeats_itself = len(set(identities)) < len(identities)
            assert first.ok is not repeats_itself
            assert after_first == (0 if repeats_itself else len(rows))
            assert (second.created, Report.objects.count()) == (0, after_first)
            if not repeats_itself:
                assert [error.line for error in second.errors] == list(range(2, len(rows) + 2))
            raise Rollback
    except Rollback:
        pass
