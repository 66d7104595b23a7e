"""Optimistic concurrency on reports: each answer names the version in `ETag`; `If-Match` refuses stale writes."""

import pytest

from commitments import services
from commitments.models import Report, ReportStatus


def detail(report):
    return f"/api/v1/reports/{report.pk}/"


def test_a_report_carries_an_etag_that_changes_when_it_is_edited(reporter_client, draft_by_reporter):
    before = reporter_client.get(detail(draft_by_reporter))["ETag"]

    edited = reporter_client.patch(detail(draft_by_reporter), {"summary": "Edited."}, format="json")

    assert before.startswith('"') and before.endswith('"')
    assert edited["ETag"] != before
    assert reporter_client.get(detail(draft_by_reporter))["ETag"] == edited["ETag"]


def test_an_edit_with_the_current_etag_is_saved(reporter_client, draft_by_reporter):
    etag = reporter_client.get(detail(draft_by_reporter))["ETag"]

    response = reporter_client.patch(
        detail(draft_by_reporter), {"summary": "Edited."}, format="json", headers={"If-Match": etag}
    )

    assert response.status_code == 200
    assert Report.objects.get(pk=draft_by_reporter.pk).summary == "Edited."


def test_an_edit_with_a_stale_etag_is_a_412_and_changes_nothing(reporter_client, draft_by_reporter):
    stale = reporter_client.get(detail(draft_by_reporter))["ETag"]
    reporter_client.patch(detail(draft_by_reporter), {"summary": "First edit."}, format="json")

    response = reporter_client.patch(
        detail(draft_by_reporter), {"summary": "Second edit."}, format="json", headers={"If-Match": stale}
    )

    assert response.status_code == 412
    assert "If-Match" in response.json()["detail"]
    assert Report.objects.get(pk=draft_by_reporter.pk).summary == "First edit."


def test_a_put_with_a_stale_etag_is_a_412(reporter_client, draft_by_reporter):
    body = {
        "state": "AT",
        "commitment": "COP-1990-7.3",
        "kind": "implementation",
        "level": "full",
        "observed_on": "2010-05-04",
        "summary": "Replaced.",
        "source": "odihr",
    }

    response = reporter_client.put(detail(draft_by_reporter), body, format="json", headers={"If-Match": '"stale"'})

    assert response.status_code == 412


@pytest.mark.parametrize("step", ["verify", "reject"])
def test_a_review_with_a_stale_etag_is_a_412(reviewer_client, submitted_by_reporter, step):
    stale = reviewer_client.get(detail(submitted_by_reporter))["ETag"]
    Report.objects.get(pk=submitted_by_reporter.pk).save()  # any write moves the version on

    response = reviewer_client.post(
        f"{detail(submitted_by_reporter)}{step}/", {"reason": "No source."}, format="json", headers={"If-Match": stale}
    )

    assert response.status_code == 412
    assert Report.objects.get(pk=submitted_by_reporter.pk).status == ReportStatus.SUBMITTED


def test_a_submit_with_the_current_etag_goes_through_and_answers_the_new_one(reporter_client, draft_by_reporter):
    etag = reporter_client.get(detail(draft_by_reporter))["ETag"]

    response = reporter_client.post(f"{detail(draft_by_reporter)}submit/", headers={"If-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] not in ("", etag)


def test_if_match_star_matches_any_version(reporter_client, draft_by_reporter):
    response = reporter_client.post(f"{detail(draft_by_reporter)}submit/", headers={"If-Match": "*"})

    assert response.status_code == 200


def test_a_weak_etag_never_matches(reporter_client, draft_by_reporter):
    etag = reporter_client.get(detail(draft_by_reporter))["ETag"]

    response = reporter_client.post(f"{detail(draft_by_reporter)}submit/", headers={"If-Match": f"W/{etag}"})

    assert response.status_code == 412


def test_a_retract_with_a_stale_etag_is_a_412(reporter_client, reporter, draft_by_reporter):
    stale = reporter_client.get(detail(draft_by_reporter))["ETag"]
    services.report_update_draft(report=draft_by_reporter, user=reporter, summary="Edited elsewhere.")

    response = reporter_client.post(
        f"{detail(draft_by_reporter)}retract/", {"reason": "Duplicate."}, format="json", headers={"If-Match": stale}
    )

    assert response.status_code == 412
    assert Report.objects.get(pk=draft_by_reporter.pk).status == ReportStatus.DRAFT
