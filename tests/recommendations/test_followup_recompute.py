"""A verified or retracted assessment moves the follow-up index: queued on commit, caught up by the nightly sweep."""

import datetime
from decimal import Decimal

import pytest

from recommendations import services
from recommendations.models import FollowUpIndex
from scorecards import services as scorecard_services
from scorecards import tasks
from tests.api.conftest import client_with_token
from tests.factories import (
    AssessmentFactory,
    CommitmentFactory,
    DimensionFactory,
    RecommendationFactory,
    ReportFactory,
    StateFactory,
)

D = datetime.date


@pytest.fixture
def computed(db, reporter):
    """Austria, one recommendation issued in 2018 (rated partially in 2019), 2017 and 2020 computed."""
    commitment = CommitmentFactory(dimension=DimensionFactory(slug="human"), document__adopted_on=D(1990, 6, 29))
    at = StateFactory(code="AT")
    for year in (2017, 2020):
        ReportFactory(state=at, commitment=commitment, observed_on=D(year, 5, 1), level="full", verified=True)
    recommendation = RecommendationFactory(
        code="ODIHR-AT-2018-1", state=at, source_date=D(2018, 3, 1), commitments=[commitment]
    )
    AssessmentFactory(recommendation=recommendation, rating="partially", assessed_on=D(2019, 4, 1), verified=True)
    scorecard_services.scorecards_compute_period(period="2017")
    scorecard_services.scorecards_compute_period(period="2020")
    return recommendation


def overall(period: str = "2020") -> FollowUpIndex:
    return FollowUpIndex.objects.get(period=period, state_id="AT", dimension__isnull=True)


def submitted_fully(recommendation, reporter):
    return AssessmentFactory(
        recommendation=recommendation,
        rating="fully",
        assessed_on=D(2020, 6, 1),
        created_by=reporter,
        submitted=True,
    )


def test_verifying_an_assessment_recomputes_the_states_follow_up_on_commit(
    computed, reporter, reviewer, django_capture_on_commit_callbacks
):
    assert overall().index == Decimal("50.0")
    assessment = submitted_fully(computed, reporter)

    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_verify(assessment=assessment, user=reviewer)

    row = overall()
    assert row.index == Decimal("100.0")
    assert (row.fully_count, row.partially_count, row.median_days_to_fully) == (
        1,
        0,
        (D(2020, 6, 1) - D(2018, 3, 1)).days,
    )


def test_the_all_states_row_is_recomputed_too(computed, reporter, reviewer, django_capture_on_commit_callbacks):
    assessment = submitted_fully(computed, reporter)

    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_verify(assessment=assessment, user=reviewer)

    everyone = FollowUpIndex.objects.get(period="2020", state__isnull=True, group__isnull=True, dimension__isnull=True)
    assert everyone.index == Decimal("100.0")


def test_periods_ending_before_the_assessment_are_left_alone(
    computed, reporter, reviewer, django_capture_on_commit_callbacks
):
    before = FollowUpIndex.objects.filter(period="2017").values_list("id", "computed_at")
    before = set(before)
    assessment = submitted_fully(computed, reporter)

    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_verify(assessment=assessment, user=reviewer)

    assert set(FollowUpIndex.objects.filter(period="2017").values_list("id", "computed_at")) == before


def test_retracting_a_verified_assessment_recomputes_on_commit(
    computed, reporter, reviewer, django_capture_on_commit_callbacks
):
    assessment = submitted_fully(computed, reporter)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_verify(assessment=assessment, user=reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_retract(assessment=assessment, user=reporter, reason="Wrong mission.")

    row = overall()
    assert (row.index, row.fully_count, row.partially_count) == (Decimal("50.0"), 0, 1)


def test_rejecting_queues_nothing(computed, reporter, reviewer, django_capture_on_commit_callbacks):
    assessment = submitted_fully(computed, reporter)

    with django_capture_on_commit_callbacks() as callbacks:
        services.assessment_reject(assessment=assessment, user=reviewer, reason="No source.")

    assert callbacks == []


def test_verifying_over_the_api_recomputes_the_follow_up(
    computed, reporter, reviewer, django_capture_on_commit_callbacks
):
    draft = client_with_token(reporter).post(
        "/api/v1/recommendations/ODIHR-AT-2018-1/assessments/",
        {"rating": "fully", "assessed_on": "2020-06-01", "source": "follow_up_visit", "summary": "Law adopted."},
        format="json",
    )
    url = f"/api/v1/assessments/{draft.json()['id']}/"
    client_with_token(reporter).post(url + "submit/")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_with_token(reviewer).post(url + "verify/")

    assert response.status_code == 200, response.content
    assert overall().index == Decimal("100.0")


def test_task_on_an_unknown_state_does_nothing(computed):
    assert tasks.recompute_followup_since("ZZ", "2019-01-01") == []


def test_task_names_the_periods_it_recomputed(computed):
    assert tasks.recompute_followup_since("AT", "2019-01-01") == ["2020"]


def test_sweep_notices_a_verification_whose_recompute_was_never_queued(computed, reporter, reviewer):
    assessment = submitted_fully(computed, reporter)
    services.assessment_verify(assessment=assessment, user=reviewer)  # on-commit callbacks dropped: a broker outage
    assert overall().index == Decimal("50.0")

    assert [period.label for period in scorecard_services.scorecards_stale_periods()] == ["2020"]
    tasks.recompute_stale_periods()
    assert overall().index == Decimal("100.0")
    assert scorecard_services.scorecards_stale_periods() == []


def test_sweep_notices_a_new_recommendation(computed):
    RecommendationFactory(
        code="ODIHR-AT-2019-2",
        state=computed.state,
        source_date=D(2019, 2, 1),
        commitments=list(computed.commitments.all()),
    )

    assert [period.label for period in scorecard_services.scorecards_stale_periods()] == ["2020"]
    tasks.recompute_stale_periods()
    assert overall().recommendation_count == 2


def test_sweep_ignores_unverified_assessments(computed, reporter):
    submitted_fully(computed, reporter)

    assert scorecard_services.scorecards_stale_periods() == []
