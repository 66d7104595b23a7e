"""The scorecard digest carries, per State, the follow-up index and the recommendations whose status changed."""

import datetime
from decimal import Decimal

import pytest

from recommendations.followup import followup_compute_periods
from scorecards import emails
from scorecards.digests import Edition
from scorecards.models import Period
from scorecards.subscriptions import digest_for_subscription
from tests.factories import AssessmentFactory, RecommendationFactory
from tests.scorecards.factories import SubscriptionFactory, known_scores

pytestmark = pytest.mark.django_db
D = datetime.date
Q3 = Edition.parse("2026-Q3")


@pytest.fixture
def message(db):
    states, _ = known_scores()
    changed = RecommendationFactory(code="ODIHR-AT-2020-3", state=states["AT"], source_date=D(2020, 3, 1))
    AssessmentFactory(recommendation=changed, rating="partially", assessed_on=D(2024, 5, 1), verified=True)
    AssessmentFactory(recommendation=changed, rating="fully", assessed_on=D(2026, 8, 1), verified=True)
    same = RecommendationFactory(code="ODIHR-AT-2020-4", state=states["AT"], source_date=D(2020, 3, 1))
    AssessmentFactory(recommendation=same, rating="partially", assessed_on=D(2024, 5, 1), verified=True)
    AssessmentFactory(recommendation=same, rating="partially", assessed_on=D(2026, 8, 2), verified=True)
    period = Period.objects.get(label="2026-Q3")
    followup_compute_periods(
        periods=[period],
        state_code=None,
        method_version=2,  # the default method, as the recompute tags follow-up rows
        computed_at=datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC),
    )
    subscription = SubscriptionFactory(email="ana@example.org", states=[states["AT"], states["FR"]])
    return emails.digest_message(digest=digest_for_subscription(subscription=subscription, edition=Q3))


def test_digest_shows_each_states_follow_up_index_in_both_parts(message):
    # Austria in 2026-Q3: one fully (100) and one partially (50): index 75.0, nothing overdue.
    for part in (message.body, message.alternatives[0][0]):
        assert "index 75.0 over 2 recommendations (1 fully implemented, 0 overdue)" in part.replace(
            "<strong>", ""
        ).replace("</strong>", "")


def test_digest_lists_only_the_recommendations_whose_status_changed_in_the_quarter(message):
    for part in (message.body, message.alternatives[0][0]):
        assert "ODIHR-AT-2020-3: partially" in part and "fully (2026-08-01)" in part
        assert "ODIHR-AT-2020-4" not in part


def test_index_value_is_the_stored_row(message):
    from recommendations.models import FollowUpIndex

    assert FollowUpIndex.objects.get(state_id="AT", period="2026-Q3", dimension__isnull=True).index == Decimal("75.0")
