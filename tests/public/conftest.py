"""Scorecard rows with known numbers for the public pages' view tests."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from scorecards.models import GroupScorecard, Period, Scorecard
from tests.scorecards.factories import dimensions


def card(
    state,
    label,
    dimension=None,
    *,
    score,
    low=None,
    high=None,
    evidence="sufficient",
    rank=None,
    trend=None,
    coverage="0.5",
    method=2,
    computed_at=None,
):
    """One State Scorecard row with these numbers (no scoring involved)."""
    return Scorecard.objects.create(
        period=Period.objects.for_label(label),
        state=state,
        dimension=dimension,
        score=None if score is None else Decimal(str(score)),
        score_low=None if low is None else Decimal(str(low)),
        score_high=None if high is None else Decimal(str(high)),
        evidence=evidence if method == 2 else None,
        trend=None if trend is None else Decimal(str(trend)),
        coverage=Decimal(coverage),
        assessed_count=4,
        in_force_count=8,
        report_count=6,
        violation_count=1,
        rank=rank,
        method_version=method,
        computed_at=computed_at or timezone.now(),
    )


def group_card(group, label, dimension=None, *, score, low=None, high=None, evidence="sufficient", members=2):
    return GroupScorecard.objects.create(
        period=Period.objects.for_label(label),
        group=group,
        dimension=dimension,
        score=Decimal(str(score)),
        score_low=None if low is None else Decimal(str(low)),
        score_high=None if high is None else Decimal(str(high)),
        evidence=evidence,
        method_version=2,
        member_count=members,
        scored_member_count=members,
        computed_at=timezone.now(),
    )


@pytest.fixture
def dims(db):
    """The three dimensions by slug."""
    return {dimension.slug: dimension for dimension in dimensions()}


@pytest.fixture
def today():
    return datetime.date.today()
