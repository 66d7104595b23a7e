"""A FilterSet with FormClassCacheMixin builds its form class once and still filters each request by its own data."""

import pytest
from django.http import QueryDict

from recommendations.api.filters import RecommendationFilter
from recommendations.models import Recommendation
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def filtered(query: str) -> list[str]:
    filterset = RecommendationFilter(QueryDict(query), queryset=Recommendation.objects.all())
    return sorted(filterset.qs.values_list("code", flat=True))


def test_each_request_filters_by_its_own_values():
    RecommendationFactory(code="PRIORITY-1", priority=True)
    RecommendationFactory(code="ORDINARY-1", priority=False)
    assert filtered("priority=true") == ["PRIORITY-1"]
    assert filtered("priority=false") == ["ORDINARY-1"]
    assert filtered("") == ["ORDINARY-1", "PRIORITY-1"]


def test_the_form_class_is_built_once():
    first = RecommendationFilter(QueryDict(""), queryset=Recommendation.objects.none()).get_form_class()
    second = RecommendationFilter(QueryDict("priority=true"), queryset=Recommendation.objects.none()).get_form_class()
    assert first is second


def test_an_invalid_value_is_still_refused():
    filterset = RecommendationFilter(QueryDict("status=bogus"), queryset=Recommendation.objects.none())
    assert "status" in filterset.errors
