"""Synthetic demo recommendations: marked as synthetic, valid, and topped up without duplicates."""

import io

import pytest
from django.core.management import call_command

from recommendations.models import Assessment, Recommendation, recommendation_commitment_errors

pytestmark = pytest.mark.django_db


def seed(count: int) -> str:
    out = io.StringIO()
    call_command("seed_demo_recommendations", recommendations=count, if_fewer=True, stdout=out)
    return out.getvalue()


def test_synthetic_recommendations_are_marked_and_valid(reference_data):
    seed(40)
    synthetic = Recommendation.objects.filter(is_synthetic=True)
    assert synthetic.count() == 40
    for recommendation in synthetic.prefetch_related("commitments", "assessments"):
        assert recommendation.text.startswith("SYNTHETIC DEMO DATA")
        recommendation.full_clean()
        assert not recommendation_commitment_errors(
            commitments=recommendation.commitments.all(), source_date=recommendation.source_date
        )
        for assessment in recommendation.assessments.all():
            assessment.full_clean()
            assert assessment.source == "synthetic_demo" and assessment.reviewed_by_id != assessment.submitted_by_id
    assert Assessment.objects.exists()


def test_topping_up_twice_adds_nothing(reference_data):
    seed(10)
    seed(10)
    assert Recommendation.objects.filter(is_synthetic=True).count() == 10
