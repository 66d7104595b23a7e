"""The real recommendations load with `load_reference` and keep every rule the services enforce."""

import pytest
from django.core.management import call_command

from recommendations.models import Institution, Recommendation, recommendation_commitment_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("load_reference", verbosity=0)


def test_institutions_include_the_main_ones_and_field_operations_each_on_their_own(loaded):
    slugs = set(Institution.objects.values_list("slug", flat=True))
    assert {"odihr", "hcnm", "rfom", "secretariat", "chairmanship", "mission-moldova"} <= slugs
    assert Institution.objects.filter(kind="field_operation").count() >= 10


def test_at_least_30_real_recommendations_from_at_least_three_institutions(loaded):
    real = Recommendation.objects.filter(is_synthetic=False)
    assert real.count() >= 30
    assert real.values("institution").distinct().count() >= 3


def test_every_real_recommendation_passes_validation(loaded):
    for recommendation in Recommendation.objects.prefetch_related("commitments"):
        recommendation.full_clean()
        errors = recommendation_commitment_errors(
            commitments=recommendation.commitments.all(), source_date=recommendation.source_date
        )
        assert not errors, (recommendation.code, errors)


def test_loading_twice_adds_no_recommendation(loaded):
    count = Recommendation.objects.count()
    call_command("load_reference", verbosity=0)
    assert Recommendation.objects.count() == count
