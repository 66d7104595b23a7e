"""Issue 10, item 6: the dry run catches what the database would refuse, and untrusted files are bounded."""

import io
import re
import zipfile

import openpyxl
import pytest

from commitments.imports import ImportFileError, dataset_from_file, reports_import
from commitments.models import Report
from tests.factories import CommitmentFactory, StateFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "state",
    "commitment",
    "kind",
    "level_or_severity",
    "observed_on",
    "source",
    "summary",
    "source_url",
    "citation",
]
GOOD = ["AT", "COP-1990-7.3", "implementation", "full", "2015-03-02", "odihr", "Synthetic test row.", "", ""]
OTHER_DAY = ["AT", "COP-1990-7.3", "implementation", "full", "2015-03-03", "odihr", "Synthetic test row.", "", ""]
IMPORT_URL = "/admin/commitments/report/import/"


@pytest.fixture
def catalogue(db):
    StateFactory(code="AT")
    CommitmentFactory(code="COP-1990-7.3", document__adopted_on="1990-06-29", in_force_from="1990-06-29")


def csv_bytes(rows: list[list[str]]) -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(content: bytes, change) -> bytes:
    """The same XLSX with its first sheet's XML passed through `change` (bytes -> bytes)."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            data = source.read(entry.filename)
            out.writestr(entry.filename, change(data) if entry.filename == "xl/worksheets/sheet1.xml" else data)
    return target.getvalue()


def run(content: bytes, user, *, filename="reports.csv", dry_run=False):
    return reports_import(dataset=dataset_from_file(content=content, filename=filename), user=user, dry_run=dry_run)


# --- the dry run runs the model's and the database's limits -----------------------------------------

DB_LIMITS = [
    pytest.param("summary", "Before\x00after.", id="nul-in-summary"),
    pytest.param("citation", "c" * 301, id="citation-301"),
    pytest.param("source_url", "https://example.org/" + "a" * 481, id="link-501"),
    pytest.param("citation", "NUL\x00", id="nul-in-citation"),
]


def with_value(column: str, value: str) -> list[str]:
    row = list(GOOD)
    row[HEADER.index(column)] = value
    return row


@pytest.mark.parametrize(("column", "value"), DB_LIMITS)
def test_the_dry_run_lists_a_value_the_database_would_refuse(catalogue, reporter, column, value):
    result = run(csv_bytes([GOOD, with_value(column, value)]), reporter, dry_run=True)

    assert [(error.line, error.column) for error in result.errors] == [(3, column)]


@pytest.mark.parametrize(("column", "value"), DB_LIMITS)
def test_the_real_import_refuses_the_same_row_and_saves_nothing(catalogue, reporter, column, value):
    result = run(csv_bytes([GOOD, with_value(column, value)]), reporter)

    assert [(error.line, error.column) for error in result.errors] == [(3, column)]
    assert not Report.objects.exists()


def test_the_admin_import_of_such_a_file_shows_the_row_error_not_a_500(client, catalogue, reporter):
    client.force_login(reporter)
    upload = io.BytesIO(csv_bytes([with_value("citation", "c" * 301)]))
    upload.name = "reports.csv"

    response = client.post(IMPORT_URL, {"file": upload})

    assert response.status_code == 200
    assert "<td>2</td><td>citation</td>" in response.content.decode()
    assert not Report.objects.exists()


# --- bounded files --------------------------------------------------------------------------------


def test_a_file_over_the_upload_limit_is_refused(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000

    with pytest.raises(ImportFileError, match="at most"):
        dataset_from_file(content=csv_bytes([GOOD] * 20), filename="reports.csv")


def test_the_admin_refuses_an_upload_over_the_limit_naming_the_file(client, reporter, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    client.force_login(reporter)
    upload = io.BytesIO(csv_bytes([GOOD] * 20))
    upload.name = "reports.csv"

    response = client.post(IMPORT_URL, {"file": upload})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Report.objects.exists()


@pytest.mark.parametrize("filename", ["reports.csv", "reports.xlsx"])
def test_more_rows_than_the_limit_are_refused(settings, filename):
    settings.IMPORT_MAX_ROWS = 5
    rows = [GOOD] * 6
    content = csv_bytes(rows) if filename.endswith("csv") else xlsx_bytes(rows)

    with pytest.raises(ImportFileError, match="more than 5 data rows"):
        dataset_from_file(content=content, filename=filename)


@pytest.mark.parametrize("filename", ["reports.csv", "reports.xlsx"])
def test_more_columns_than_the_limit_are_refused(settings, filename):
    settings.IMPORT_MAX_COLUMNS = 12
    rows = [[*GOOD, *(["x"] * 10)]]
    content = csv_bytes(rows) if filename.endswith("csv") else xlsx_bytes(rows)

    with pytest.raises(ImportFileError, match="columns"):
        dataset_from_file(content=content, filename=filename)


def test_a_huge_declared_xlsx_dimension_is_refused_without_reading_the_sheet(monkeypatch):
    content = rewrite_sheet(
        xlsx_bytes([GOOD]), lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', xml)
    )
    assert len(content) < 10_000
    rows_read = []
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    original = ReadOnlyWorksheet._cells_by_row
    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", lambda *a, **k: rows_read.append(1) or original(*a, **k))

    with pytest.raises(ImportFileError, match="16,384 columns"):
        dataset_from_file(content=content, filename="reports.xlsx")
    assert rows_read == []  # refused from the declared numbers: no row was read, nothing padded


def test_an_xlsx_zip_bomb_is_refused_from_the_zip_directory(settings, monkeypatch):
    settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = 5_000_000
    padding = b" " * 20_000_000  # 20 MB of whitespace inside the sheet: a few KB once deflated
    content = rewrite_sheet(xlsx_bytes([GOOD]), lambda xml: xml.replace(b"</worksheet>", padding + b"</worksheet>"))
    assert len(content) < 100_000
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("the workbook was opened"))

    with pytest.raises(ImportFileError, match="unpacks to 20 MB"):
        dataset_from_file(content=content, filename="reports.xlsx")


def test_a_good_xlsx_within_the_limits_still_imports(catalogue, reporter):
    result = run(xlsx_bytes([GOOD, OTHER_DAY]), reporter, filename="reports.xlsx")

    assert (result.ok, result.created) == (True, 2)


def test_blank_rows_in_an_xlsx_are_skipped(catalogue, reporter):
    result = run(xlsx_bytes([GOOD, [None] * len(HEADER), OTHER_DAY]), reporter, filename="reports.xlsx")

    assert (result.ok, result.rows, result.created) == (True, 2, 2)
