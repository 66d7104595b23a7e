"""The status and last assessment date stored on each recommendation follow every verify and retract."""

import datetime

import pytest

from recommendations import services
from recommendations.models import Recommendation
from tests.factories import AssessmentFactory, RecommendationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def stored(recommendation):
    return Recommendation.objects.values("status", "last_assessed_on").get(pk=recommendation.pk)


def test_verify_stores_the_rating_and_date_of_the_latest_verified_assessment(reviewer):
    recommendation = RecommendationFactory(source_date=D(2012, 3, 1))
    submitted = AssessmentFactory(
        recommendation=recommendation, rating="mostly", assessed_on=D(2016, 1, 1), submitted=True
    )
    assert stored(recommendation) == {"status": "not_assessed", "last_assessed_on": None}
    services.assessment_verify(assessment=submitted, user=reviewer)
    assert stored(recommendation) == {"status": "mostly", "last_assessed_on": D(2016, 1, 1)}


def test_verifying_an_older_assessment_keeps_the_latest(reviewer):
    recommendation = RecommendationFactory(source_date=D(2012, 3, 1))
    AssessmentFactory(recommendation=recommendation, rating="fully", assessed_on=D(2018, 1, 1), verified=True)
    older = AssessmentFactory(
        recommendation=recommendation, rating="partially", assessed_on=D(2014, 1, 1), submitted=True
    )
    services.assessment_verify(assessment=older, user=reviewer)
    assert stored(recommendation) == {"status": "fully", "last_assessed_on": D(2018, 1, 1)}


def test_retracting_the_latest_falls_back_to_the_one_before(reviewer):
    recommendation = RecommendationFactory(source_date=D(2012, 3, 1))
    AssessmentFactory(recommendation=recommendation, rating="not_implemented", assessed_on=D(2014, 1, 1), verified=True)
    latest = AssessmentFactory(recommendation=recommendation, rating="fully", assessed_on=D(2018, 1, 1), verified=True)
    services.assessment_retract(assessment=latest, user=reviewer, reason="Wrong report.")
    assert stored(recommendation) == {"status": "not_implemented", "last_assessed_on": D(2014, 1, 1)}


def test_retracting_the_only_one_leaves_it_not_assessed(reviewer):
    only = AssessmentFactory(rating="fully", assessed_on=D(2018, 1, 1), verified=True)
    services.assessment_retract(assessment=only, user=reviewer, reason="Wrong report.")
    assert stored(only.recommendation) == {"status": "not_assessed", "last_assessed_on": None}
