"""The follow-up index: the worked example of docs/methodology.md ("Follow-up index"), number by number."""

import datetime
from decimal import Decimal

import pytest

from recommendations.models import FollowUpIndex
from scorecards.services import scorecards_compute_for_report, scorecards_compute_period
from tests.factories import (
    AssessmentFactory,
    CommitmentFactory,
    DimensionFactory,
    MembershipFactory,
    RecommendationFactory,
    StateFactory,
    StateGroupFactory,
)

D = datetime.date


@pytest.fixture
def example(db):
    human = DimensionFactory(slug="human")
    military = DimensionFactory(slug="politico-military")
    h1 = CommitmentFactory(code="H1", dimension=human, document__adopted_on=D(1990, 6, 29))
    p1 = CommitmentFactory(code="P1", dimension=military, document__adopted_on=D(1990, 6, 29))
    at, be = StateFactory(code="AT"), StateFactory(code="BE")
    eu = StateGroupFactory(slug="eu")
    MembershipFactory(group=eu, state=at, joined_on=D(1995, 1, 1))
    MembershipFactory(group=eu, state=be, joined_on=D(1973, 6, 25))

    def rec(code, state, issued, commitments):
        return RecommendationFactory(code=code, state=state, source_date=issued, commitments=commitments)

    def verified(recommendation, rating, on):
        return AssessmentFactory(recommendation=recommendation, rating=rating, assessed_on=on, verified=True)

    r1 = rec("R1", at, D(2016, 3, 1), [h1])
    verified(r1, "partially", D(2017, 5, 1))
    verified(r1, "fully", D(2019, 6, 1))
    r2 = rec("R2", at, D(2017, 1, 15), [h1])
    verified(r2, "mostly", D(2018, 10, 1))
    AssessmentFactory(recommendation=r2, rating="fully", assessed_on=D(2020, 3, 1), submitted=True)
    r3 = rec("R3", at, D(2018, 6, 1), [h1, p1])
    verified(r3, "not_implemented", D(2019, 9, 1))
    rec("R4", at, D(2019, 2, 1), [p1])
    r5 = rec("R5", at, D(2015, 5, 1), [p1])
    verified(r5, "no_longer_applicable", D(2016, 1, 10))
    r6 = rec("R6", at, D(2015, 9, 1), [h1])
    verified(r6, "fully", D(2020, 12, 30) + datetime.timedelta(days=2))  # 2021-01-01: after the period
    rec("R7", at, D(2021, 3, 1), [h1])
    r8 = rec("R8", at, D(2016, 6, 1), [p1])
    verified(r8, "fully", D(2018, 6, 1))
    r9 = rec("R9", be, D(2018, 1, 10), [h1])
    verified(r9, "partially", D(2020, 5, 5))
    scorecards_compute_period(period="2020")
    return {"eu": eu}


def row(**lookup) -> FollowUpIndex:
    return FollowUpIndex.objects.get(period="2020", **lookup)


def counts(index: FollowUpIndex) -> dict:
    return {
        "recommendations": index.recommendation_count,
        "rated": index.rated_count,
        "fully": index.fully_count,
        "mostly": index.mostly_count,
        "partially": index.partially_count,
        "not_implemented": index.not_implemented_count,
        "no_longer_applicable": index.no_longer_applicable_count,
        "not_assessed": index.not_assessed_count,
        "overdue": index.overdue_count,
    }


def test_austria_human(example):
    index = row(state_id="AT", dimension__slug="human")
    assert index.index == Decimal("58.3")
    assert counts(index) == {
        "recommendations": 4,
        "rated": 3,
        "fully": 1,
        "mostly": 1,
        "partially": 0,
        "not_implemented": 1,
        "no_longer_applicable": 0,
        "not_assessed": 1,
        "overdue": 2,
    }
    assert index.median_days_to_fully == 1187


def test_austria_politico_military(example):
    index = row(state_id="AT", dimension__slug="politico-military")
    assert index.index == Decimal("50.0")
    assert counts(index) == {
        "recommendations": 4,
        "rated": 2,
        "fully": 1,
        "mostly": 0,
        "partially": 0,
        "not_implemented": 1,
        "no_longer_applicable": 1,
        "not_assessed": 1,
        "overdue": 0,
    }
    assert index.median_days_to_fully == 730


def test_austria_overall_counts_each_recommendation_once(example):
    index = row(state_id="AT", dimension__isnull=True)
    assert index.index == Decimal("68.8")
    assert counts(index) == {
        "recommendations": 7,
        "rated": 4,
        "fully": 2,
        "mostly": 1,
        "partially": 0,
        "not_implemented": 1,
        "no_longer_applicable": 1,
        "not_assessed": 2,
        "overdue": 2,
    }
    assert index.median_days_to_fully == 959


def test_group_row_pools_its_members_recommendations(example):
    index = row(group=example["eu"], dimension__slug="human")
    assert (index.index, index.recommendation_count, index.rated_count, index.overdue_count) == (
        Decimal("56.3"),
        5,
        4,
        2,
    )


def test_all_states_row(example):
    index = row(state__isnull=True, group__isnull=True, dimension__isnull=True)
    assert (index.index, index.recommendation_count) == (Decimal("65.0"), 8)


def test_recomputing_one_state_keeps_the_others_and_the_groups(example):
    scorecards_compute_period(period="2020", state_code="AT")
    assert row(state_id="BE", dimension__slug="human").index == Decimal("50.0")
    assert row(group=example["eu"], dimension__slug="human").index == Decimal("56.3")


def test_a_state_without_recommendations_has_no_row(example):
    StateFactory(code="DK")
    scorecards_compute_period(period="2020")
    assert not FollowUpIndex.objects.filter(state_id="DK").exists()


def test_recomputing_one_state_rewrites_only_the_group_rows_it_can_move(example):
    nordic = StateGroupFactory(slug="nordic")
    MembershipFactory(group=nordic, state=StateFactory(code="BE"), joined_on=D(1973, 6, 25))
    scorecards_compute_period(period="2020")
    nordic_ids = set(FollowUpIndex.objects.filter(group=nordic).values_list("id", flat=True))
    fields = [f.name for f in FollowUpIndex._meta.fields if f.name not in ("id", "computed_at")]

    scorecards_compute_period(period="2020", state_code="AT")
    one_state = sorted(FollowUpIndex.objects.values_list(*fields), key=str)

    # BE's group without AT keeps its rows as they were; every row equals what a full recompute gives.
    assert nordic_ids and set(FollowUpIndex.objects.filter(group=nordic).values_list("id", flat=True)) == nordic_ids
    scorecards_compute_period(period="2020")
    assert one_state == sorted(FollowUpIndex.objects.values_list(*fields), key=str)


def test_a_report_recompute_leaves_the_follow_up_rows_as_they_are(example):
    before = list(FollowUpIndex.objects.order_by("pk").values())

    scorecards_compute_for_report(state_code="AT", observed_on=D(2020, 5, 1))

    # A report moves no follow-up row: they are neither deleted nor rewritten by its State's recompute.
    assert list(FollowUpIndex.objects.order_by("pk").values()) == before
