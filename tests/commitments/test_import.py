"""Bulk import of reports from CSV/XLSX (commitments/imports.py): all or nothing, every bad row listed."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from commitments.imports import ImportFileError, dataset_from_file, reports_import
from commitments.models import Report, ReportStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_reference_data")]

HEADER = ["state", "commitment", "kind", "level_or_severity", "observed_on", "source", "summary", "source_url"]
# Real reference data: Austria, and Copenhagen 1990 para 7.3 (in force since 1990-06-29, open-ended).
GOOD_ROW = {
    "state": "AT",
    "commitment": "COP-1990-7.3",
    "kind": "implementation",
    "level_or_severity": "full",
    "observed_on": "2015-03-02",
    "source": "odihr",
    "summary": "Synthetic test row: elections held at the required interval.",
    "source_url": "https://www.osce.org/odihr/elections/austria",
}


@pytest.fixture(scope="module")
def module_reference_data(django_db_setup, django_db_blocker):
    """`reference_data`, loaded once for this module in a transaction rolled back at its end.

    Each test still runs in its own savepoint (the `db` fixture), so what a test writes is undone after it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def good_rows(count: int) -> list[dict]:
    """`count` valid rows, no two the same report (each its own source link)."""
    start = datetime.date(2015, 1, 1)
    return [
        {
            **GOOD_ROW,
            "observed_on": (start + datetime.timedelta(days=n % 365)).isoformat(),
            "source_url": f"{GOOD_ROW['source_url']}/{n}",
        }
        for n in range(count)
    ]


def csv_bytes(rows: list[dict], header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def import_csv(rows: list[dict], user, **kwargs):
    return reports_import(dataset=dataset_from_file(content=csv_bytes(rows), filename="x.csv"), user=user, **kwargs)


def at_line(rows: list[dict], line: int) -> dict:
    """The data row shown on `line` of the file: the header is line 1, the first data row line 2."""
    return rows[line - 2]


def error_cells(result) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in result.errors]


# --- all or nothing ----------------------------------------------------------------------------


@pytest.fixture
def rows_with_two_bad_lines() -> list[dict]:
    rows = good_rows(1000)
    at_line(rows, 101)["state"] = "XX"
    at_line(rows, 702).update(kind="violation", level_or_severity="full")
    return rows


def test_import_with_bad_rows_creates_nothing(rows_with_two_bad_lines, reporter):
    result = import_csv(rows_with_two_bad_lines, reporter)
    assert not result.ok
    assert result.created == 0
    assert Report.objects.count() == 0
    assert Report.history.count() == 0


def test_import_lists_every_bad_row_by_file_line_and_column(rows_with_two_bad_lines, reporter):
    result = import_csv(rows_with_two_bad_lines, reporter)
    assert error_cells(result) == [(101, "state"), (702, "level_or_severity")]
    assert "XX" in result.errors[0].message
    assert "needs a severity" in result.errors[1].message
    assert str(result.errors[0]).startswith("line 101, column state:")


def test_import_of_1000_good_rows_creates_1000_submitted_reports_by_the_importer(reporter):
    result = import_csv(good_rows(1000), reporter)
    assert (result.ok, result.rows, result.created) == (True, 1000, 1000)
    assert Report.objects.filter(status=ReportStatus.SUBMITTED, submitted_by=reporter, created_by=reporter).count() == (
        1000
    )
    assert not Report.objects.exclude(submitted_at__isnull=False).exists()


def test_import_writes_one_history_row_per_report_by_the_importer(reporter):
    import_csv(good_rows(1000), reporter)
    assert Report.history.filter(history_type="+", history_user=reporter).count() == 1000
    assert Report.history.count() == 1000


def test_imported_rows_keep_their_values(reporter):
    row = {**GOOD_ROW, "kind": "Violation", "level_or_severity": "GRAVE", "source": "ODIHR", "state": "at"}
    import_csv([row], reporter)
    report = Report.objects.get()
    assert (report.state_id, report.commitment.code, report.kind, report.severity, report.level) == (
        "AT",
        "COP-1990-7.3",
        "violation",
        "grave",
        "",
    )
    assert (report.observed_on, report.source, report.source_url) == (
        datetime.date(2015, 3, 2),
        "odihr",
        GOOD_ROW["source_url"],
    )


def test_dry_run_creates_nothing_but_reports_ok(reporter):
    result = import_csv(good_rows(50), reporter, dry_run=True)
    assert (result.ok, result.dry_run, result.created) == (True, True, 0)
    assert Report.objects.count() == 0
    assert len(result.preview) == 20


def test_dry_run_lists_bad_rows(reporter):
    rows = good_rows(3)
    at_line(rows, 3)["commitment"] = "NOPE-1"
    result = import_csv(rows, reporter, dry_run=True)
    assert error_cells(result) == [(3, "commitment")]


# --- each rule, reported against its column ----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"state": "XX"}, "state"),
        ({"commitment": "COP-1990-99.9"}, "commitment"),
        ({"kind": "rumour"}, "kind"),
        ({"kind": "violation", "level_or_severity": "full"}, "level_or_severity"),
        ({"kind": "implementation", "level_or_severity": "grave"}, "level_or_severity"),
        ({"kind": "implementation", "level_or_severity": "excellent"}, "level_or_severity"),
        ({"kind": "implementation", "level_or_severity": ""}, "level_or_severity"),
        ({"kind": "violation", "level_or_severity": ""}, "level_or_severity"),
        ({"observed_on": "02/03/2015"}, "observed_on"),
        ({"observed_on": "2030-01-01"}, "observed_on"),
        ({"state": "MN", "observed_on": "2010-05-04"}, "observed_on"),
        ({"commitment": "VD-1999-I", "observed_on": "1999-12-31"}, "observed_on"),
        ({"commitment": "VD-1999-I", "observed_on": "2011-12-01"}, "observed_on"),
        ({"source": "gossip"}, "source"),
        ({"source_url": "ftp://files.example.org/report.pdf"}, "source_url"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"summary": "  "}, "summary"),
    ],
)
def test_bad_value_is_reported_against_its_column(reporter, change, column):
    with time_machine.travel(datetime.datetime(2024, 5, 15, 12, tzinfo=datetime.UTC), tick=False):
        result = import_csv([GOOD_ROW, {**GOOD_ROW, **change}], reporter)
    assert error_cells(result) == [(3, column)]
    assert Report.objects.count() == 0


def test_row_with_several_problems_lists_each(reporter):
    result = import_csv([{**GOOD_ROW, "state": "XX", "source": "gossip", "summary": ""}], reporter)
    assert error_cells(result) == [(2, "state"), (2, "source"), (2, "summary")]


def test_source_can_be_given_by_its_label(reporter):
    result = import_csv([{**GOOD_ROW, "source": "OSCE field operation"}], reporter)
    assert result.ok
    assert Report.objects.get().source == "field_operation"


def test_optional_columns_may_be_left_out(reporter):
    header = [column for column in HEADER if column != "source_url"]
    content = csv_bytes([GOOD_ROW], header=header)
    result = reports_import(dataset=dataset_from_file(content=content, filename="x.csv"), user=reporter)
    assert result.created == 1


# --- the file itself --------------------------------------------------------------------------------------


def test_good_xlsx_imports(reporter):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    first, second = good_rows(2)
    sheet.append([*[first[c] for c in HEADER[:4]], datetime.date(2015, 3, 2), *[first[c] for c in HEADER[5:]]])
    sheet.append([{**second, "observed_on": "2015-03-02"}[c] for c in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    dataset = dataset_from_file(content=buffer.getvalue(), filename="Reports.XLSX")
    result = reports_import(dataset=dataset, user=reporter)
    assert (result.ok, result.created) == (True, 2)
    assert list(Report.objects.values_list("observed_on", flat=True)) == [datetime.date(2015, 3, 2)] * 2


def test_file_missing_a_required_column_is_refused(reporter):
    header = [column for column in HEADER if column != "summary"]
    content = csv_bytes(good_rows(3), header=header)
    result = reports_import(dataset=dataset_from_file(content=content, filename="x.csv"), user=reporter)
    assert error_cells(result) == [(1, "summary")]
    assert "missing" in result.errors[0].message
    assert Report.objects.count() == 0


def test_header_is_read_ignoring_case_and_spaces(reporter):
    content = csv_bytes([GOOD_ROW]).replace(b"state,commitment", b" State , COMMITMENT", 1)
    result = reports_import(dataset=dataset_from_file(content=content, filename="x.csv"), user=reporter)
    assert result.created == 1


def test_csv_with_a_byte_order_mark_imports(reporter):
    content = b"\xef\xbb\xbf" + csv_bytes([GOOD_ROW])
    result = reports_import(dataset=dataset_from_file(content=content, filename="x.csv"), user=reporter)
    assert result.created == 1


@pytest.mark.parametrize("filename", ["reports.txt", "reports.json", "reports"])
def test_unsupported_file_type_raises_import_file_error(filename):
    with pytest.raises(ImportFileError, match="Unsupported file type"):
        dataset_from_file(content=csv_bytes([GOOD_ROW]), filename=filename)


def test_csv_that_is_not_utf8_raises_import_file_error():
    content = csv_bytes([{**GOOD_ROW, "summary": "Überwachung"}]).decode("utf-8").encode("latin-1")
    with pytest.raises(ImportFileError, match="UTF-8"):
        dataset_from_file(content=content, filename="x.csv")


def test_corrupt_xlsx_raises_import_file_error():
    with pytest.raises(ImportFileError, match="XLSX"):
        dataset_from_file(content=b"this is not a spreadsheet", filename="x.xlsx")
