"""`?format=csv&layout=import`: reports in the bulk import's columns, so another database can import them."""

import csv
import datetime
import io

from commitments.imports import IMPORT_COLUMN_NAMES, dataset_from_file, reports_import
from commitments.models import Report

from .conftest import verified_report

IMPORT_LAYOUT = {"format": "csv", "layout": "import"}
CONTENT = ["state_id", "commitment_id", "kind", "level", "severity", "observed_on", "source", "summary"]
CONTENT += ["source_url", "citation"]


def csv_content(response) -> bytes:
    assert response.status_code == 200, getattr(response, "content", b"")
    return b"".join(response.streaming_content)


def test_import_layout_has_exactly_the_import_columns_in_the_import_formats(anon, austria, media):
    verified_report(
        state=austria,
        commitment=media,
        violation=True,
        citation="Report, p. 4",
        source_url="https://www.osce.org/odihr",
    )

    header, row = csv.reader(io.StringIO(csv_content(anon.get("/api/v1/reports/", IMPORT_LAYOUT)).decode()))

    assert header == IMPORT_COLUMN_NAMES
    assert dict(zip(header, row, strict=True)) == {
        "state": "AT",
        "commitment": "COP-1990-9.1",
        "kind": "violation",
        "level_or_severity": "serious",
        "observed_on": "2010-05-04",
        "source": "odihr",
        "summary": "Synthetic test report.",
        "source_url": "https://www.osce.org/odihr",
        "citation": "Report, p. 4",
    }


def test_import_layout_shows_anonymous_callers_verified_reports_only(anon, austria, elections):
    verified_report(state=austria, commitment=elections, summary="Published.")
    verified_report(state=austria, commitment=elections, summary="Draft.", status="draft", reviewed_by=None)

    _, *rows = csv.reader(io.StringIO(csv_content(anon.get("/api/v1/reports/", IMPORT_LAYOUT)).decode()))

    assert [row[IMPORT_COLUMN_NAMES.index("summary")] for row in rows] == ["Published."]


def test_import_layout_file_imports_back_unchanged(anon, reporter, austria, belgium, elections, media):
    summaries = ["-5 % budget", "=1+1", 'Commas, "quotes"\r\nand lines', "'Quoted' start", "Türkiye"]
    for n, summary in enumerate(summaries):
        verified_report(
            state=[austria, belgium][n % 2],
            commitment=[elections, media][n % 2],
            observed_on=datetime.date(2010, 5, 4) + datetime.timedelta(days=n),
            summary=summary,
            citation="@p. 3" if n == 0 else "",
            violation=n % 2 == 1,
        )
    before = sorted(Report.objects.values_list(*CONTENT))
    exported = csv_content(anon.get("/api/v1/reports/", IMPORT_LAYOUT))

    Report.objects.all().delete()
    result = reports_import(dataset=dataset_from_file(content=exported, filename="r.csv"), user=reporter)

    assert result.errors == []
    assert sorted(Report.objects.values_list(*CONTENT)) == before
    assert "'-5 % budget" in exported.decode()


def test_unknown_layout_is_a_400_naming_layout(anon):
    response = anon.get("/api/v1/reports/", {"format": "csv", "layout": "excel"})

    assert response.status_code == 400
    assert "layout" in response.json()
