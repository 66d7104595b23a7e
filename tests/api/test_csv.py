"""`?format=csv` on reports and scorecards: streamed, filtered, and no more visible than the JSON."""

import csv
import io

import pytest

from tests.factories import ReportFactory

from .conftest import verified_report


def read_csv(response):
    assert response.status_code == 200, getattr(response, "content", b"")
    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def reports(reporter, austria, belgium, elections, media):
    return {
        "at": verified_report(state=austria, commitment=elections, summary='Said "yes", then, no.'),
        "be": verified_report(state=belgium, commitment=media, violation=True),
        "draft": ReportFactory(state=austria, commitment=elections, created_by=reporter),
    }


def test_reports_csv_has_a_header_and_a_row_per_report(anon, reports):
    header, *rows = read_csv(anon.get("/api/v1/reports/", {"format": "csv"}))

    assert header == [
        "id",
        "state",
        "commitment",
        "dimension",
        "kind",
        "level",
        "severity",
        "observed_on",
        "source",
        "source_url",
        "status",
        "summary",
    ]
    assert [row[0] for row in rows] == [str(reports["be"].pk), str(reports["at"].pk)]
    at = dict(zip(header, rows[1], strict=True))
    assert (at["state"], at["commitment"], at["dimension"], at["level"], at["observed_on"]) == (
        "AT",
        "COP-1990-7.3",
        "human",
        "full",
        "2010-05-04",
    )
    assert at["summary"] == 'Said "yes", then, no.'


def test_reports_csv_is_an_attachment(anon, reports):
    response = anon.get("/api/v1/reports/", {"format": "csv"})

    assert response["Content-Disposition"] == 'attachment; filename="reports.csv"'


def test_anonymous_reports_csv_has_only_verified_reports_and_no_users(anon, reports):
    header, *rows = read_csv(anon.get("/api/v1/reports/", {"format": "csv"}))

    assert {row[header.index("status")] for row in rows} == {"verified"}
    assert str(reports["draft"].pk) not in [row[0] for row in rows]
    assert not {"created_by", "submitted_by", "reviewed_by"} & set(header)


def test_reporter_csv_includes_own_drafts(reporter_client, reports):
    _, *rows = read_csv(reporter_client.get("/api/v1/reports/", {"format": "csv"}))

    assert str(reports["draft"].pk) in [row[0] for row in rows]


def test_reports_csv_applies_filters(anon, reports):
    _, *rows = read_csv(anon.get("/api/v1/reports/", {"format": "csv", "state": "BE"}))

    assert [row[0] for row in rows] == [str(reports["be"].pk)]


def test_reports_csv_is_not_paginated(anon, austria, elections):
    for _ in range(7):
        verified_report(state=austria, commitment=elections)

    _, *rows = read_csv(anon.get("/api/v1/reports/", {"format": "csv", "page_size": 2}))

    assert len(rows) == 7


def test_a_bad_filter_on_csv_is_a_json_400(anon, reports):
    response = anon.get("/api/v1/reports/", {"format": "csv", "state": "XX"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "state" in response.json()


def test_csv_is_only_for_lists(anon, reports):
    response = anon.get(f"/api/v1/reports/{reports['at'].pk}/", {"format": "csv"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_an_unknown_format_is_a_404(anon, reports):
    assert anon.get("/api/v1/reports/", {"format": "xlsx"}).status_code == 404


def test_scorecards_csv(anon, scored):
    header, *rows = read_csv(anon.get("/api/v1/scorecards/", {"format": "csv"}))

    assert header[:6] == ["period", "state", "dimension", "score", "trend", "coverage"]
    assert header[-5:] == ["method_version", "score_low", "score_high", "evidence", "computed_at"]
    assert len(rows) == 12
    # Method 2 by default: the grave violation on an unassessed commitment takes 50 off Austria's 100.
    assert ["2010-Q2", "AT", "human", "50.0"] in [row[:4] for row in rows]
    assert {row[-5] for row in rows} == {"2"}
    at_overall = next(row for row in rows if row[:3] == ["2010-Q2", "AT", "overall"])
    assert at_overall[3] == "50.0"
    assert at_overall[-4:-1] == ["0.0", "100.0", "insufficient"]


def test_scorecards_csv_of_method_1(anon, scored):
    header, *rows = read_csv(anon.get("/api/v1/scorecards/", {"format": "csv", "method": "1"}))

    assert ["2010-Q2", "AT", "human", "75.0"] in [row[:4] for row in rows]
    assert {(row[-5], row[-4], row[-3], row[-2]) for row in rows} == {("1", "", "", "")}


def test_scorecards_csv_applies_filters(anon, scored):
    header, *rows = read_csv(
        anon.get("/api/v1/scorecards/", {"format": "csv", "period": "2010-Q2", "dimension": "overall"})
    )

    assert [(row[0], row[1], row[2], row[3], row[4]) for row in rows] == [
        ("2010-Q2", "AT", "overall", "50.0", ""),
        ("2010-Q2", "BE", "overall", "50.0", "0.0"),
    ]


def test_a_bad_scorecard_filter_on_csv_is_a_json_400(anon, scored):
    response = anon.get("/api/v1/scorecards/", {"format": "csv", "period": "2010-Q5"})

    assert response.status_code == 400
    assert "period" in response.json()


# --- issue 13: the synchronous limit and the chunks ------------------------------------------------------


def test_reports_csv_over_the_limit_points_to_an_export_job_for_the_same_rows(anon, reports, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 1

    response = anon.get("/api/v1/reports/", {"format": "csv", "dimension": "human", "page_size": "10"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert "More than 1 rows match" in body["format"][0]
    assert body["export_job"] == {
        "method": "POST",
        "url": "http://testserver/api/v1/exports/",
        "body": {"resource": "reports", "filters": {"dimension": "human"}, "format": "csv"},
    }
    assert anon.post(body["export_job"]["url"], body["export_job"]["body"], format="json").status_code == 202


def test_reports_csv_at_the_limit_streams_every_row(anon, reports, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 2

    _, *rows = read_csv(anon.get("/api/v1/reports/", {"format": "csv"}))

    assert len(rows) == 2


def test_scorecards_csv_over_the_limit_points_to_a_scorecards_job_with_the_method(
    anon, austria, belgium, human, settings
):
    from tests.scorecards.factories import scorecard

    scorecard(austria, "2010-Q2", human, score=40, method=1)
    scorecard(belgium, "2010-Q2", human, score=60, method=1)
    settings.EXPORT_SYNC_MAX_ROWS = 1

    response = anon.get("/api/v1/scorecards/", {"format": "csv", "method": "1", "period": "2010-Q2"})

    assert response.status_code == 400
    assert response.json()["export_job"]["body"] == {
        "resource": "scorecards",
        "filters": {"method": "1", "period": "2010-Q2"},
        "format": "csv",
    }


def test_reports_csv_is_sent_in_chunks_of_about_64_kb(anon, austria, belgium, elections, media):
    from .conftest import bulk_verified_reports

    bulk_verified_reports(2000, states=[austria, belgium], commitments=[elections, media])

    response = anon.get("/api/v1/reports/", {"format": "csv"})
    chunks = list(response.streaming_content)

    assert len(chunks) >= 2
    assert all(64 * 1024 <= len(chunk) < 65 * 1024 for chunk in chunks[:-1])
    assert len(b"".join(chunks).splitlines()) == 2001


def test_python_writer_of_other_engines_gives_the_same_cells_as_copy(reports):
    from commitments.api.serializers import ReportSerializer
    from commitments.api.views import REPORT_CSV_FIELDS
    from commitments.models import Report
    from corfu_tracker import exporting

    rows = exporting.export_rows(
        Report.objects.order_by("-id"), values_map=ReportSerializer.values_map, names=REPORT_CSV_FIELDS
    )
    counts = []
    from_copy = b"".join(exporting.csv_chunks(rows, on_rows=counts.append))
    from_python = exporting.header_line(REPORT_CSV_FIELDS) + b"".join(exporting._python_csv_chunks(rows, counts.append))

    assert list(csv.reader(io.StringIO(from_python.decode()))) == list(csv.reader(io.StringIO(from_copy.decode())))
    assert counts == [3, 3]


def test_reports_csv_streams_with_debug_on(anon, reports, settings):
    settings.DEBUG = True  # Django's debug cursor takes a COPY statement without parameters

    _, *rows = read_csv(anon.get("/api/v1/reports/", {"format": "csv", "state": "BE"}))

    assert [row[0] for row in rows] == [str(reports["be"].pk)]
