"""Issue 12, duplicates in the API: a report identical to a standing one is a 400 naming that report."""

import pytest

from commitments.models import Report
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

REPORT = {
    "state": "AT",
    "commitment": "COP-1990-7.3",
    "kind": "violation",
    "severity": "serious",
    "observed_on": "2010-05-04",
    "source": "odihr",
    "source_url": "https://www.osce.org/odihr/elections/austria/2010",
    "summary": "Voters abroad could not register in time.",
}


def test_posting_a_report_identical_to_a_standing_one_is_a_400_naming_it(reporter_client, austria, elections):
    first = reporter_client.post("/api/v1/reports/", REPORT, format="json")
    assert first.status_code == 201, first.content

    again = reporter_client.post("/api/v1/reports/", REPORT | {"summary": "Posted twice."}, format="json")

    assert again.status_code == 400
    (message,) = again.json()["non_field_errors"]
    assert message.startswith(f"Duplicate of report #{first.json()['id']} (draft)")
    assert Report.objects.count() == 1


def test_a_report_identical_to_another_reporters_verified_one_is_refused_too(reporter_client, austria, elections):
    verified = ReportFactory(
        state=austria,
        commitment=elections,
        kind="violation",
        level="",
        severity="serious",
        observed_on="2010-05-04",
        source_url=REPORT["source_url"],
        verified=True,
    )

    response = reporter_client.post("/api/v1/reports/", REPORT, format="json")

    assert response.status_code == 400
    assert f"#{verified.pk} (verified)" in response.json()["non_field_errors"][0]


def test_patching_a_draft_without_touching_its_identity_is_not_a_duplicate(reporter_client, austria, elections):
    draft = reporter_client.post("/api/v1/reports/", REPORT, format="json").json()

    response = reporter_client.patch(f"/api/v1/reports/{draft['id']}/", {"summary": "Reworded."}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "Reworded."


def test_patching_a_draft_into_a_copy_of_another_report_is_a_400(reporter_client, austria, elections):
    first = reporter_client.post("/api/v1/reports/", REPORT, format="json").json()
    second = reporter_client.post("/api/v1/reports/", REPORT | {"observed_on": "2010-05-05"}, format="json").json()

    response = reporter_client.patch(f"/api/v1/reports/{second['id']}/", {"observed_on": "2010-05-04"}, format="json")

    assert response.status_code == 400
    assert f"#{first['id']}" in response.json()["non_field_errors"][0]
    assert str(Report.objects.get(pk=second["id"]).observed_on) == "2010-05-05"


def test_once_the_original_is_retracted_the_same_report_can_be_posted(reporter_client, austria, elections):
    first = reporter_client.post("/api/v1/reports/", REPORT, format="json").json()
    retract = reporter_client.post(f"/api/v1/reports/{first['id']}/retract/", {"reason": "Wrong link."}, format="json")
    assert retract.status_code == 200

    again = reporter_client.post("/api/v1/reports/", REPORT, format="json")

    assert again.status_code == 201, again.content
