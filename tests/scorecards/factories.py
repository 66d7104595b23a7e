"""Factories for subscriptions and digest deliveries, and a helper for scorecards with known numbers."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from scorecards.models import DigestDelivery, Period, Scorecard, Subscription


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed quarterly subscription to everything; `pending=True` for one awaiting confirmation."""

    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    frequency = "quarterly"
    confirmed = True
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(confirmed=False, confirmed_at=None)
        unsubscribed = factory.Trait(unsubscribed_at=factory.LazyFunction(timezone.now))

    @factory.post_generation
    def states(self, create, extracted, **kwargs):
        if create and extracted:
            self.states.set(extracted)

    @factory.post_generation
    def dimensions(self, create, extracted, **kwargs):
        if create and extracted:
            self.dimensions.set(extracted)


class DigestDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestDelivery

    subscription = factory.SubFactory(SubscriptionFactory)
    period_label = "2026-Q3"
    period = factory.LazyAttribute(lambda d: Period.objects.for_label(d.period_label))
    status = "sent"
    sent_at = factory.LazyFunction(timezone.now)


def scorecard(
    state,
    period_label: str,
    dimension=None,
    *,
    score,
    trend=None,
    coverage="1",
    rank=None,
    violations=0,
    method=2,
    score_low=None,
    score_high=None,
    evidence=None,
):
    """One Scorecard row with the numbers given (no scoring involved); method 2 unless told."""
    return Scorecard.objects.create(
        method_version=method,
        score_low=None if score_low is None else Decimal(str(score_low)),
        score_high=None if score_high is None else Decimal(str(score_high)),
        evidence=evidence,
        period=Period.objects.for_label(period_label),
        state=state,
        dimension=dimension,
        score=None if score is None else Decimal(str(score)),
        trend=None if trend is None else Decimal(str(trend)),
        coverage=Decimal(str(coverage)),
        assessed_count=4,
        in_force_count=5,
        report_count=7,
        violation_count=violations,
        rank=rank,
        computed_at=datetime.datetime(2026, 10, 1, 3, 0, tzinfo=datetime.UTC),
    )


def dimensions():
    """The three dimensions, named as in the reference data."""
    from tests.factories import DimensionFactory

    return [
        DimensionFactory(slug="politico-military", name="Politico-military", position=1),
        DimensionFactory(slug="economic-environmental", name="Economic and environmental", position=2),
        DimensionFactory(slug="human", name="Human", position=3),
    ]


# 2026-Q3 rows: (dimension slug or None for overall) -> (score, trend, coverage, rank, violations)
KNOWN_2026_Q3 = {
    "AT": {
        "politico-military": (72.5, 2.5, "0.8", 1, 1),
        "economic-environmental": (60.0, -3.0, "0.5", 2, 2),
        "human": (55.0, 0, "1", 2, 0),
        None: (62.5, 1.5, "0.75", 2, 3),
    },
    "FR": {
        "politico-military": (65.0, -1.0, "0.6", 2, 4),
        "economic-environmental": (70.0, None, "0.25", 1, 0),
        "human": (58.0, 4.0, "0.9", 1, 2),
        None: (64.3, -0.7, "0.6667", 1, 6),
    },
}
# Overall scores of the seven quarters before, for the charts.
KNOWN_HISTORY = {
    "AT": [61.0, 60.0, 59.5, 60.5, 61.5, 62.0, 61.0],
    "FR": [None, 66.0, 65.5, 64.0, 63.0, 65.0, 65.0],
}
HISTORY_LABELS = ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]


def known_scores():
    """Austria and France with the numbers above; returns (states by code, dimensions by slug)."""
    from tests.factories import StateFactory

    by_slug = {dimension.slug: dimension for dimension in dimensions()}
    states = {
        "AT": StateFactory(code="AT", name="Austria"),
        "FR": StateFactory(code="FR", name="France"),
    }
    for code, rows in KNOWN_2026_Q3.items():
        for slug, (score, trend, coverage, rank, violations) in rows.items():
            scorecard(
                states[code],
                "2026-Q3",
                by_slug[slug] if slug else None,
                score=score,
                trend=trend,
                coverage=coverage,
                rank=rank,
                violations=violations,
            )
        for label, score in zip(HISTORY_LABELS, KNOWN_HISTORY[code], strict=True):
            if score is not None:
                scorecard(states[code], label, score=score)
    return states, by_slug
