"""The four-eyes workflow of assessments: the same steps, rules and messages as reports."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corfu_tracker.workflow import StaleVersion, version_tag
from recommendations import services
from recommendations.models import AssessmentStatus
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def draft(reporter):
    return services.assessment_create_draft(
        recommendation=RecommendationFactory(source_date=D(2012, 3, 1)),
        user=reporter,
        rating="partially",
        assessed_on=D(2014, 3, 1),
        source="observation_mission",
        summary="The next mission found the law amended in part.",
    )


@pytest.fixture
def submitted(draft, reporter):
    return services.assessment_submit(assessment=draft, user=reporter)


def test_author_submits_a_draft(submitted, reporter):
    assert (submitted.status, submitted.submitted_by) == (AssessmentStatus.SUBMITTED, reporter)


def test_another_reporter_cannot_submit_someone_elses_draft(draft, other_reporter):
    with pytest.raises(PermissionDenied):
        services.assessment_submit(assessment=draft, user=other_reporter)


def test_reviewer_verifies_an_assessment_submitted_by_someone_else(submitted, reviewer):
    verified = services.assessment_verify(assessment=submitted, user=reviewer)
    assert (verified.status, verified.reviewed_by) == (AssessmentStatus.VERIFIED, reviewer)


def test_reviewer_cannot_verify_an_assessment_they_submitted(reviewer):
    draft = services.assessment_create_draft(
        recommendation=RecommendationFactory(),
        user=reviewer,
        rating="fully",
        assessed_on=D(2014, 3, 1),
        source="follow_up_visit",
        summary="Done.",
    )
    services.assessment_submit(assessment=draft, user=reviewer)
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.assessment_verify(assessment=draft, user=reviewer)


def test_reporter_cannot_verify(submitted, other_reporter):
    with pytest.raises(PermissionDenied, match="Only reviewers"):
        services.assessment_verify(assessment=submitted, user=other_reporter)


def test_a_draft_cannot_be_verified(draft, reviewer):
    with pytest.raises(ValidationError) as error:
        services.assessment_verify(assessment=draft, user=reviewer)
    assert "status" in error.value.message_dict


def test_rejecting_needs_a_reason(submitted, reviewer):
    with pytest.raises(ValidationError) as error:
        services.assessment_reject(assessment=submitted, user=reviewer, reason=" ")
    assert "reason" in error.value.message_dict


def test_reviewer_rejects_with_a_reason(submitted, reviewer):
    rejected = services.assessment_reject(assessment=submitted, user=reviewer, reason="Wrong mission cited.")
    assert (rejected.status, rejected.rejection_reason) == (AssessmentStatus.REJECTED, "Wrong mission cited.")


def test_author_retracts_a_verified_assessment_with_a_reason(submitted, reviewer, reporter):
    services.assessment_verify(assessment=submitted, user=reviewer)
    retracted = services.assessment_retract(assessment=submitted, user=reporter, reason="Superseded.")
    assert retracted.status == AssessmentStatus.RETRACTED


def test_another_reporter_cannot_retract(submitted, other_reporter):
    with pytest.raises(PermissionDenied):
        services.assessment_retract(assessment=submitted, user=other_reporter, reason="Mine now.")


def test_a_stale_version_is_refused(submitted, reviewer):
    old_tag = version_tag(submitted)
    services.assessment_reject(assessment=submitted, user=reviewer, reason="Wrong.")
    with pytest.raises(StaleVersion):
        services.assessment_retract(assessment=submitted, user=reviewer, reason="x", if_match=[old_tag])


def test_verify_acts_on_the_stored_status_not_the_callers_copy(submitted, reviewer, second_reviewer):
    services.assessment_reject(assessment=submitted, user=reviewer, reason="Wrong.")
    # `submitted` still says submitted in memory; the step re-reads the locked row.
    with pytest.raises(ValidationError):
        services.assessment_verify(assessment=submitted, user=second_reviewer)


def test_every_step_is_in_the_history(submitted, reviewer):
    services.assessment_verify(assessment=submitted, user=reviewer)
    statuses = list(submitted.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["draft", "submitted", "verified"]


def test_reporters_cannot_write_recommendations(reporter):
    with pytest.raises(PermissionDenied):
        services.recommendation_create(user=reporter, commitments=[])


def test_each_history_row_names_its_step(submitted, reviewer):
    services.assessment_verify(assessment=submitted, user=reviewer)
    reasons = list(submitted.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == ["created", "submitted", "verified"]


def test_assessment_history_records_why_it_was_rejected(submitted, reviewer):
    services.assessment_reject(assessment=submitted, user=reviewer, reason="Rating not supported by the source.")

    assert submitted.history.latest().history_change_reason == "rejected: Rating not supported by the source."
