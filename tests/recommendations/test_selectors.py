"""Status, overdue and closed, computed in the database for a whole queryset."""

import datetime

import pytest

from recommendations.selectors import recommendations_with_status
from tests.factories import AssessmentFactory, RecommendationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2020, 6, 30)


def annotated(recommendation):
    return recommendations_with_status(today=TODAY).get(pk=recommendation.pk)


def test_status_is_not_assessed_without_a_verified_assessment():
    recommendation = RecommendationFactory()
    AssessmentFactory(recommendation=recommendation, rating="fully", submitted=True)
    assert annotated(recommendation).status == "not_assessed"


def test_status_is_the_rating_of_the_latest_verified_assessment():
    recommendation = RecommendationFactory(source_date=D(2012, 3, 1))
    AssessmentFactory(recommendation=recommendation, rating="not_implemented", assessed_on=D(2013, 1, 1), verified=True)
    AssessmentFactory(recommendation=recommendation, rating="mostly", assessed_on=D(2016, 1, 1), verified=True)
    AssessmentFactory(recommendation=recommendation, rating="partially", assessed_on=D(2015, 1, 1), verified=True)
    AssessmentFactory(recommendation=recommendation, rating="fully", assessed_on=D(2019, 1, 1), submitted=True)
    row = annotated(recommendation)
    assert (row.status, row.last_assessed_on) == ("mostly", D(2016, 1, 1))


def test_a_retracted_assessment_no_longer_sets_the_status():
    recommendation = RecommendationFactory()
    AssessmentFactory(
        recommendation=recommendation,
        rating="fully",
        status="retracted",
        submitted_by=None,
        retraction_reason="Wrong mission.",
    )
    assert annotated(recommendation).status == "not_assessed"


@pytest.mark.parametrize(("rating", "closed"), [("fully", True), ("no_longer_applicable", True), ("mostly", False)])
def test_closed_means_fully_implemented_or_no_longer_applicable(rating, closed):
    recommendation = RecommendationFactory()
    AssessmentFactory(recommendation=recommendation, rating=rating, verified=True)
    assert annotated(recommendation).closed is closed


def test_never_assessed_is_overdue_24_months_after_issuance():
    assert annotated(RecommendationFactory(source_date=D(2018, 6, 30))).overdue is True
    assert annotated(RecommendationFactory(source_date=D(2018, 7, 1))).overdue is False


def test_open_recommendation_is_overdue_24_months_after_its_last_verified_assessment():
    old = RecommendationFactory(source_date=D(2012, 3, 1))
    AssessmentFactory(recommendation=old, rating="partially", assessed_on=D(2018, 6, 30), verified=True)
    recent = RecommendationFactory(source_date=D(2012, 3, 1))
    AssessmentFactory(recommendation=recent, rating="partially", assessed_on=D(2018, 7, 1), verified=True)
    assert (annotated(old).overdue, annotated(recent).overdue) == (True, False)


@pytest.mark.parametrize("rating", ["fully", "no_longer_applicable"])
def test_a_closed_recommendation_is_never_overdue(rating):
    recommendation = RecommendationFactory(source_date=D(2012, 3, 1))
    AssessmentFactory(recommendation=recommendation, rating=rating, assessed_on=D(2013, 1, 1), verified=True)
    assert annotated(recommendation).overdue is False
