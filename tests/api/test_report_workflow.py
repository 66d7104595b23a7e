"""The review workflow through the API: submit, verify, reject, retract, with the four-eyes rule."""

import datetime

import pytest

from commitments import services
from commitments.models import Report, ReportStatus

D = datetime.date


def url(report, step):
    return f"/api/v1/reports/{report.pk}/{step}/"


@pytest.fixture
def reviewers_draft(reviewer, austria, elections):
    return services.report_create_draft(
        user=reviewer,
        state=austria,
        commitment=elections,
        kind="implementation",
        level="full",
        observed_on=D(2010, 5, 4),
        summary="The reviewer's own draft.",
        source="odihr",
    )


def test_reporter_submits_own_draft(reporter_client, reporter, draft_by_reporter):
    response = reporter_client.post(url(draft_by_reporter, "submit"))

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["submitted_by"] == reporter.username
    draft_by_reporter.refresh_from_db()
    assert draft_by_reporter.status == ReportStatus.SUBMITTED


def test_another_reporter_cannot_submit_someone_elses_draft(other_reporter_client, draft_by_reporter):
    assert other_reporter_client.post(url(draft_by_reporter, "submit")).status_code == 404


def test_submitting_twice_is_a_400_naming_status(reporter_client, submitted_by_reporter):
    response = reporter_client.post(url(submitted_by_reporter, "submit"))

    assert response.status_code == 400
    assert "status" in response.json()


def test_reporter_cannot_verify_their_own_report(reporter_client, submitted_by_reporter):
    response = reporter_client.post(url(submitted_by_reporter, "verify"))

    assert response.status_code == 403
    assert Report.objects.get(pk=submitted_by_reporter.pk).status == ReportStatus.SUBMITTED


def test_reviewer_cannot_verify_a_report_they_submitted(reviewer_client, reviewer, reviewers_draft):
    services.report_submit(report=reviewers_draft, user=reviewer)

    response = reviewer_client.post(url(reviewers_draft, "verify"))

    assert response.status_code == 403
    assert "Four eyes" in response.json()["detail"]
    assert Report.objects.get(pk=reviewers_draft.pk).status == ReportStatus.SUBMITTED


def test_reviewer_verifies_another_persons_submission(reviewer_client, reviewer, submitted_by_reporter):
    response = reviewer_client.post(url(submitted_by_reporter, "verify"))

    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    assert response.json()["reviewed_by"] == reviewer.username
    submitted_by_reporter.refresh_from_db()
    assert (submitted_by_reporter.status, submitted_by_reporter.reviewed_by) == (ReportStatus.VERIFIED, reviewer)


def test_a_second_reviewer_verifies_a_reviewers_submission(as_user, reviewer, second_reviewer, reviewers_draft):
    services.report_submit(report=reviewers_draft, user=reviewer)

    response = as_user(second_reviewer).post(url(reviewers_draft, "verify"))

    assert response.status_code == 200
    assert response.json()["reviewed_by"] == second_reviewer.username


def test_a_verified_report_is_published(anon, reviewer_client, submitted_by_reporter):
    assert anon.get(f"/api/v1/reports/{submitted_by_reporter.pk}/").status_code == 404

    reviewer_client.post(url(submitted_by_reporter, "verify"))

    assert anon.get(f"/api/v1/reports/{submitted_by_reporter.pk}/").status_code == 200


def test_verifying_a_draft_is_a_400_naming_status(reviewer_client, reviewers_draft):
    response = reviewer_client.post(url(reviewers_draft, "verify"))

    assert response.status_code == 400
    assert "status" in response.json()


def test_verifying_twice_is_a_400_naming_status(reviewer_client, second_reviewer, submitted_by_reporter):
    services.report_verify(report=submitted_by_reporter, user=second_reviewer)

    response = reviewer_client.post(url(submitted_by_reporter, "verify"))

    assert response.status_code == 400
    assert "status" in response.json()


def test_reviewer_rejects_with_a_reason(reviewer_client, submitted_by_reporter):
    response = reviewer_client.post(url(submitted_by_reporter, "reject"), {"reason": "No source."}, format="json")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["rejection_reason"]) == ("rejected", "No source.")


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_rejecting_needs_a_reason(reviewer_client, submitted_by_reporter, body):
    response = reviewer_client.post(url(submitted_by_reporter, "reject"), body, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    assert Report.objects.get(pk=submitted_by_reporter.pk).status == ReportStatus.SUBMITTED


def test_reporter_cannot_reject_their_own_report(reporter_client, submitted_by_reporter):
    response = reporter_client.post(url(submitted_by_reporter, "reject"), {"reason": "Oops."}, format="json")

    assert response.status_code == 403


def test_reviewer_cannot_reject_a_report_they_submitted(reviewer_client, reviewer, reviewers_draft):
    services.report_submit(report=reviewers_draft, user=reviewer)

    response = reviewer_client.post(url(reviewers_draft, "reject"), {"reason": "Mine."}, format="json")

    assert response.status_code == 403


def test_author_retracts_a_report_with_a_reason(reporter_client, submitted_by_reporter):
    response = reporter_client.post(url(submitted_by_reporter, "retract"), {"reason": "Duplicate."}, format="json")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["retraction_reason"]) == ("retracted", "Duplicate.")
    assert Report.objects.filter(pk=submitted_by_reporter.pk).exists()


def test_retracting_needs_a_reason(reporter_client, draft_by_reporter):
    response = reporter_client.post(url(draft_by_reporter, "retract"), {}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()


def test_a_reporter_cannot_retract_someone_elses_published_report(
    other_reporter_client, reviewer_client, submitted_by_reporter
):
    reviewer_client.post(url(submitted_by_reporter, "verify"))

    response = other_reporter_client.post(url(submitted_by_reporter, "retract"), {"reason": "No."}, format="json")

    assert response.status_code == 403


def test_a_reviewer_retracts_a_published_report(reviewer_client, second_reviewer, submitted_by_reporter):
    services.report_verify(report=submitted_by_reporter, user=second_reviewer)

    response = reviewer_client.post(url(submitted_by_reporter, "retract"), {"reason": "Source withdrawn."})

    assert response.status_code == 200
    assert response.json()["status"] == "retracted"


def test_a_retracted_report_cannot_be_retracted_again(reporter_client, reporter, draft_by_reporter):
    services.report_retract(report=draft_by_reporter, user=reporter, reason="Wrong State.")

    response = reporter_client.post(url(draft_by_reporter, "retract"), {"reason": "Again."}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize("step", ["submit", "verify", "reject", "retract"])
def test_anonymous_cannot_take_a_workflow_step(anon, submitted_by_reporter, step):
    assert anon.post(url(submitted_by_reporter, step), {"reason": "x"}).status_code == 401


def test_each_step_is_in_the_history(reporter_client, reviewer_client, draft_by_reporter, reporter, reviewer):
    reporter_client.post(url(draft_by_reporter, "submit"))
    reviewer_client.post(url(draft_by_reporter, "verify"))

    history = draft_by_reporter.history.order_by("history_date")
    assert [(h.status, h.history_user) for h in history] == [
        ("draft", reporter),
        ("submitted", reporter),
        ("verified", reviewer),
    ]
