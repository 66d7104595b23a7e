"""Every API list that filters by State takes the same terms: codes in either case, names, other names.

The other names (Turkey, UK, USA, Czech Republic, Moldova, ...) are data in the States fixture; an
unknown term is a 400 on `state` that names it, never Django's "Select a valid choice".
"""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from early_warning.models import Alert
from recommendations.models import FollowUpIndex
from states.models import State
from tests.factories import DimensionFactory, RecommendationFactory, ReportFactory
from tests.scorecards.factories import scorecard

pytestmark = pytest.mark.django_db
D = datetime.date

ENDPOINTS = ["reports", "scorecards", "recommendations", "follow-up", "alerts"]
CODES = ["TR", "GB", "US", "CZ", "MD", "AT"]
TERMS = [
    ("tr", "TR"),
    ("Turkey", "TR"),
    ("Türkiye", "TR"),
    ("gb", "GB"),
    ("UK", "GB"),
    ("United Kingdom", "GB"),
    ("USA", "US"),
    ("us", "US"),
    ("Czech Republic", "CZ"),
    ("Czechia", "CZ"),
    ("cz", "CZ"),
    ("Moldova", "MD"),
    ("Republic of Moldova", "MD"),
]


def alert_for(state, dimension) -> Alert:
    today = timezone.localdate()
    return Alert.objects.create(
        state=state,
        dimension=dimension,
        rule="spike",
        severity="elevated",
        window_start=today - datetime.timedelta(days=28),
        window_end=today,
        baseline_start=today - datetime.timedelta(days=400),
        baseline_end=today - datetime.timedelta(days=29),
        baseline_weight=4.0,
        baseline_reports=4,
        baseline_weekly_rate=0.1,
        expected_weight=0.4,
        observed_weight=4.0,
        observed_reports=4,
        ratio=10.0,
        p_value=0.001,
    )


def follow_up_for(state) -> FollowUpIndex:
    counts = dict.fromkeys(
        [
            "recommendation_count",
            "rated_count",
            "fully_count",
            "mostly_count",
            "partially_count",
            "not_implemented_count",
            "no_longer_applicable_count",
            "not_assessed_count",
            "overdue_count",
        ],
        1,
    )
    return FollowUpIndex.objects.create(
        period="2025",
        period_start=D(2025, 1, 1),
        period_end=D(2025, 12, 31),
        state=state,
        index=Decimal("50.0"),
        method_version=2,
        computed_at=timezone.now(),
        **counts,
    )


@pytest.fixture
def rows(settings):
    """One row per State of CODES on each endpoint; the real States fixture (with their other names)."""
    settings.EARLY_WARNING_PUBLIC = True
    call_command("loaddata", "states", verbosity=0)
    human = DimensionFactory(slug="human", name="Human")
    for state in State.objects.filter(code__in=CODES):
        ReportFactory(state=state, verified=True, observed_on=D(2025, 3, 1))
        scorecard(state, "2025-Q1", human, score=50)
        RecommendationFactory(state=state)
        follow_up_for(state)
        alert_for(state, human)


def states_listed(endpoint: str, term: str) -> set[str] | int:
    """The States of the rows listed for `?state=term`, or the status code if it is not a 200."""
    response = APIClient().get(f"/api/v1/{endpoint}/", {"state": term})
    if response.status_code != 200:
        return response.status_code
    return {row["state"] for row in response.json()["results"]}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_state_filter_takes_codes_in_either_case_names_and_other_names(rows, endpoint):
    listed = {term: states_listed(endpoint, term) for term, _ in TERMS}

    assert listed == {term: {code} for term, code in TERMS}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("term", ["xq", "Atlantis"])
def test_unknown_state_is_a_400_naming_it(rows, endpoint, term):
    response = APIClient().get(f"/api/v1/{endpoint}/", {"state": term})

    assert response.status_code == 400
    assert list(response.json()) == ["state"]
    message = response.json()["state"][0]
    assert f"“{term}”" in message
    assert "Select a valid choice" not in message
