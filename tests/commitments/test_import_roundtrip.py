"""Issue 12, round trip: the report export writes the import's columns, and an exported file imports back unchanged."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from commitments.imports import IMPORT_COLUMN_NAMES, IMPORT_COLUMNS, dataset_from_file, reports_import
from commitments.models import Report, ReportKind, ReportSource, ReportStatus
from corfu_tracker.spreadsheets import (
    FORMULA_TRIGGERS,
    spreadsheet_original,
    spreadsheet_safe,
    xlsx_text,
    xlsx_text_original,
)
from tests.factories import CommitmentFactory, ReportFactory, StateFactory

IMPORT_URL = "/admin/commitments/report/import/"

# Text a spreadsheet would run, text that looks neutralised already, and text that only starts with a quote.
TRICKY_TEXT = [
    '=HYPERLINK("http://evil.example","click")',
    "-5 % budget for the election commission.",
    "+3 seats in the assembly.",
    "@ministry said so.",
    "\tstarts with a tab",
    "'=already quoted",
    "''-two quotes",
    "'Quoted' word at the start.",
    "Plain text",
    "",
]

SUMMARIES = [
    "Plain summary.",
    'Commas, semicolons; and "double quotes", all in one.',
    "Line one.\nLine two after a newline.\r\nLine three.",
    "Unicode: Türkiye, Česko, Беларусь, 日本 🗳️.",
    '=HYPERLINK("http://evil.example","click")',
    "-5 % budget for the election commission.",
    "+3 seats in the assembly.",
    "@ministry said so.",
    "'=already quoted in the source.",
    "'Quoted' word at the start.",
]
GRADES = [
    (ReportKind.IMPLEMENTATION, "full", ""),
    (ReportKind.IMPLEMENTATION, "partial", ""),
    (ReportKind.IMPLEMENTATION, "none", ""),
    (ReportKind.VIOLATION, "", "minor"),
    (ReportKind.VIOLATION, "", "serious"),
    (ReportKind.VIOLATION, "", "grave"),
]
SOURCES = [value for value in ReportSource.values if value != ReportSource.SYNTHETIC_DEMO]
LINKS = ["", "https://www.osce.org/odihr/elections?country=at&year=2010", "http://example.org/r%C3%A9port"]
CITATIONS = ["", "Final report, p. 12", "=SUM(A1:A2)", "-p. 3, footnote 4"]
# What the import writes for each report, and so what must come back.
CONTENT = ["state_id", "commitment__code", "kind", "level", "severity", "observed_on", "source"]
CONTENT += ["summary", "source_url", "citation"]


@pytest.mark.parametrize("text", TRICKY_TEXT)
def test_neutralised_text_reads_back_as_it_was(text):
    assert spreadsheet_original(spreadsheet_safe(text)) == text


def test_text_of_quotes_before_a_formula_gets_one_more_quote():
    # Without it the import could not tell the export's quote from one in the text itself.
    assert spreadsheet_safe("'=already quoted") == "''=already quoted"


def test_a_quote_before_plain_text_is_kept():
    assert spreadsheet_original("'Quoted' word") == "'Quoted' word"


@pytest.mark.parametrize("text", ["line\r\nbreaks\rand\nfeeds", "_x000D_ typed literally", "vertical\x0btab", "a_b"])
def test_xlsx_cell_text_reads_back_as_it_was(text):
    workbook = openpyxl.Workbook()
    workbook.active.append([xlsx_text(text)])
    saved = io.BytesIO()
    workbook.save(saved)

    (cell,) = next(
        openpyxl.load_workbook(io.BytesIO(saved.getvalue()), read_only=True).active.iter_rows(values_only=True)
    )

    assert xlsx_text_original(cell) == text


# --- the export writes the import's columns ---------------------------------------------------------


def admin_export(client, file_format: str):
    """The report list's Export button: every report the list shows, every column ticked (the default)."""
    url = reverse("admin:commitments_report_export")
    form = client.get(url).context["form"]
    index = next(value for value, label in form.fields["format"].choices if str(label).lower() == file_format)
    ticked = {name: "on" for name in form.fields if name.startswith("reportexportresource_")}
    return client.post(url, {"format": str(index), "resource": "0", **ticked})


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def catalogue(db):
    states = [StateFactory(code=code) for code in ["AT", "BE", "CH", "DK", "FI", "IE"]]
    commitments = [CommitmentFactory() for _ in range(8)]
    return states, commitments


def test_admin_export_has_exactly_the_import_columns(staff_client, catalogue, reporter):
    ReportFactory(state=catalogue[0][0], commitment=catalogue[1][0], created_by=reporter, submitted=True)

    header, *_ = csv.reader(io.StringIO(admin_export(staff_client, "csv").content.decode("utf-8-sig")))

    assert header == IMPORT_COLUMN_NAMES


def test_admin_export_writes_values_in_the_import_formats(staff_client, catalogue, reporter):
    (state, *_), (commitment, *_) = catalogue
    ReportFactory(
        state=state,
        commitment=commitment,
        created_by=reporter,
        submitted=True,
        violation=True,
        source_url="https://www.osce.org/odihr",
    )

    (row,) = csv.DictReader(io.StringIO(admin_export(staff_client, "csv").content.decode("utf-8-sig")))

    assert row == {
        "state": "AT",
        "commitment": commitment.code,
        "kind": "violation",
        "level_or_severity": "serious",
        "observed_on": "2010-05-04",
        "source": "odihr",
        "summary": "Synthetic test report.",
        "source_url": "https://www.osce.org/odihr",
        "citation": "",
    }


def test_an_exported_negative_summary_imports_as_the_same_text(staff_client, catalogue, reporter, other_reporter):
    (state, *_), (commitment, *_) = catalogue
    ReportFactory(state=state, commitment=commitment, created_by=reporter, submitted=True, summary="-5 % budget")
    exported = admin_export(staff_client, "csv").content
    Report.objects.all().delete()  # as if into another database: the original would be a duplicate here

    result = reports_import(dataset=dataset_from_file(content=exported, filename="x.csv"), user=other_reporter)

    assert result.ok, result.errors
    assert "'-5 % budget" in exported.decode()  # still safe in a spreadsheet
    assert Report.objects.filter(created_by=other_reporter).get().summary == "-5 % budget"


# --- 1,000 reports out and back in -------------------------------------------------------------------


def varied_reports(count: int, *, states, commitments, reporter, reviewer) -> list[Report]:
    """Both kinds, every level and severity and source, awkward text; each on its own date (no duplicates)."""
    reports = []
    for n in range(count):
        kind, level, severity = GRADES[n % len(GRADES)]
        verified = n % 2 == 0
        reports.append(
            ReportFactory.build(
                state=states[n % len(states)],
                commitment=commitments[n % len(commitments)],
                kind=kind,
                level=level,
                severity=severity,
                observed_on=datetime.date(2005, 1, 1) + datetime.timedelta(days=n),
                source=SOURCES[n % len(SOURCES)],
                summary=f"{SUMMARIES[n % len(SUMMARIES)]} (report {n})",
                source_url=LINKS[n % len(LINKS)],
                citation=CITATIONS[n % len(CITATIONS)],
                created_by=reporter,
                submitted_by=reporter,
                submitted_at=datetime.datetime(2012, 1, 1, tzinfo=datetime.UTC),
                status=ReportStatus.VERIFIED if verified else ReportStatus.SUBMITTED,
                reviewed_by=reviewer if verified else None,
                reviewed_at=datetime.datetime(2012, 2, 1, tzinfo=datetime.UTC) if verified else None,
            )
        )
    return Report.objects.bulk_create(reports)


def content_rows() -> list[tuple]:
    return sorted(Report.objects.values_list(*CONTENT))


def file_cells(content: bytes, file_format: str) -> list[list]:
    if file_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if cell.value is None else cell.value for cell in row] for row in sheet.iter_rows()]


def upload(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


@pytest.mark.slow
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_thousand_exported_reports_import_back_unchanged(
    file_format, client, catalogue, admin_user, reporter, reviewer, other_reporter
):
    states, commitments = catalogue
    varied_reports(1000, states=states, commitments=commitments, reporter=reporter, reviewer=reviewer)
    before = content_rows()
    client.force_login(admin_user)
    exported = admin_export(client, file_format)
    assert exported.status_code == 200

    Report.objects.all().delete()
    client.force_login(other_reporter)
    response = client.post(IMPORT_URL, {"file": upload(exported.content, f"export.{file_format}")})

    assert response.context["result"].errors == []
    assert Report.objects.filter(created_by=other_reporter).count() == 1000
    assert content_rows() == before
    cells = file_cells(exported.content, file_format)
    assert cells[0] == IMPORT_COLUMN_NAMES
    unsafe = [cell for row in cells for cell in row if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS)]
    assert unsafe == []


# --- the template ---------------------------------------------------------------------------------------


def template_url(file_format: str) -> str:
    return f"{IMPORT_URL}template.{file_format}"


def test_import_page_links_both_templates(client, reporter):
    client.force_login(reporter)

    page = client.get(IMPORT_URL).content.decode()

    assert f'href="{template_url("csv")}"' in page
    assert f'href="{template_url("xlsx")}"' in page


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_template_has_the_columns_and_one_example_row(client, reporter, file_format):
    client.force_login(reporter)

    response = client.get(template_url(file_format))

    assert response.status_code == 200
    assert f"reports-import-template.{file_format}" in response["Content-Disposition"]
    header, *rows = file_cells(response.content, file_format)
    assert header == IMPORT_COLUMN_NAMES
    assert rows == [[column.example for column in IMPORT_COLUMNS]]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_template_example_row_imports_cleanly_against_the_real_catalogue(client, reporter, reference_data, file_format):
    client.force_login(reporter)
    template = client.get(template_url(file_format)).content

    response = client.post(IMPORT_URL, {"file": upload(template, f"template.{file_format}"), "dry_run": "on"})

    result = response.context["result"]
    assert (result.errors, result.rows, len(result.preview)) == ([], 1, 1)


def test_template_in_another_format_is_not_found(client, reporter):
    client.force_login(reporter)

    assert client.get(template_url("pdf")).status_code == 404


def test_template_is_refused_without_add_permission(client, catalogue_editor):
    client.force_login(catalogue_editor)

    assert client.get(template_url("csv")).status_code == 403


# --- the page says what it shows --------------------------------------------------------------------


def three_rows_csv() -> bytes:
    lines = [f"AT,COP-1990-7.3,implementation,full,2015-03-0{day},odihr,Synthetic test row.\n" for day in (2, 3, 4)]
    return ("state,commitment,kind,level_or_severity,observed_on,source,summary\n" + "".join(lines)).encode()


@pytest.fixture
def austria_and_elections(db):
    StateFactory(code="AT")
    CommitmentFactory(code="COP-1990-7.3")


def test_columns_list_is_where_the_file_help_says(client, reporter):
    client.force_login(reporter)

    page = client.get(IMPORT_URL).content.decode()

    assert "with the columns listed above" in page
    assert page.index('id="import-columns"') < page.index('type="file"')
    for column in IMPORT_COLUMNS:
        assert f"<code>{column.name}</code>" in page


def test_a_finished_import_is_not_titled_preview(client, reporter, austria_and_elections):
    client.force_login(reporter)

    page = client.post(IMPORT_URL, {"file": upload(three_rows_csv(), "r.csv")}).content.decode()

    assert "Preview" not in page
    assert "Imported reports (first 3 of 3)" in page


def test_a_dry_run_is_titled_preview(client, reporter, austria_and_elections):
    client.force_login(reporter)

    page = client.post(IMPORT_URL, {"file": upload(three_rows_csv(), "r.csv"), "dry_run": "on"}).content.decode()

    assert "Preview (first 3 of 3)" in page


def test_a_finished_import_says_its_success_once(client, reporter, austria_and_elections):
    client.force_login(reporter)

    page = client.post(IMPORT_URL, {"file": upload(three_rows_csv(), "r.csv")}, follow=True).content.decode()

    assert page.count("Imported 3 report(s)") == 1
