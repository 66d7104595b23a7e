"""The method-1 worked example of docs/methodology.md, number by number."""

import datetime
from decimal import Decimal

import pytest

from commitments.models import ReportStatus
from scorecards.models import GroupScorecard, Scorecard
from scorecards.selectors import scorecard_explain
from scorecards.services import scorecards_compute_period
from tests.factories import (
    CommitmentFactory,
    DimensionFactory,
    MembershipFactory,
    ReportFactory,
    StateFactory,
    StateGroupFactory,
)

D = datetime.date


@pytest.fixture
def example(db):
    human = DimensionFactory(slug="human")
    military = DimensionFactory(slug="politico-military")
    economic = DimensionFactory(slug="economic-environmental")
    c = {
        "H1": CommitmentFactory(code="H1", dimension=human, weight=2),
        "H2": CommitmentFactory(code="H2", dimension=human),
        "H3": CommitmentFactory(code="H3", dimension=human),
        "H4": CommitmentFactory(code="H4", dimension=human),
        "P1": CommitmentFactory(code="P1", dimension=military),
        "P2": CommitmentFactory(code="P2", dimension=military),
        "E1": CommitmentFactory(code="E1", dimension=economic),
    }
    at, be, dk = StateFactory(code="AT"), StateFactory(code="BE"), StateFactory(code="DK")

    def verified(state, code, observed_on, **kwargs):
        return ReportFactory(state=state, commitment=c[code], observed_on=observed_on, verified=True, **kwargs)

    reports = {
        1: verified(at, "H1", D(2008, 3, 10), level="full"),
        2: verified(at, "H1", D(2010, 5, 2), level="partial"),
        3: verified(at, "H1", D(2010, 5, 20), violation=True, severity="serious"),
        4: verified(at, "H2", D(2006, 11, 1), level="full"),
        5: verified(at, "H2", D(2010, 4, 15), violation=True, severity="minor"),
        6: verified(at, "H3", D(2010, 4, 10), level="none"),
        7: verified(at, "H3", D(2010, 6, 1), violation=True, severity="grave"),
        8: verified(at, "P1", D(2009, 11, 20), level="partial"),
        9: verified(at, "P1", D(2010, 5, 10), level="full"),
    }
    ReportFactory(
        state=at, commitment=c["H4"], observed_on=D(2010, 5, 5), violation=True, severity="grave", submitted=True
    )
    ReportFactory(
        state=at,
        commitment=c["E1"],
        observed_on=D(2010, 5, 5),
        level="full",
        status=ReportStatus.RETRACTED,
        retraction_reason="Duplicate entry.",
    )
    verified(be, "H1", D(2010, 6, 1), level="full")
    verified(dk, "H1", D(2010, 5, 1), level="none")

    group = StateGroupFactory(slug="example")
    MembershipFactory(group=group, state=at, joined_on=D(1995, 1, 1))
    MembershipFactory(group=group, state=be, joined_on=D(1958, 1, 1))
    MembershipFactory(group=group, state=dk, joined_on=D(1973, 1, 1), left_on=D(2010, 6, 1))

    scorecards_compute_period(period="2010-Q1")
    scorecards_compute_period(period="2010-Q2")
    return {"commitments": c, "reports": reports, "group": group}


def card(state, dimension, period="2010-Q2", method=1):
    filters = {"dimension__isnull": True} if dimension is None else {"dimension__slug": dimension}
    return Scorecard.objects.get(state_id=state, period__label=period, method_version=method, **filters)


def test_austria_human_dimension_q2(example):
    human = card("AT", "human")
    assert human.score == Decimal("35.0")
    assert human.coverage == Decimal("0.75")
    assert (human.assessed_count, human.in_force_count) == (3, 4)


def test_austria_commitment_values_in_explanation(example):
    explanation = scorecard_explain(scorecard=card("AT", "human"))
    values = {item.commitment.code: (item.level_value, item.penalty, item.value) for item in explanation.assessed}
    assert values == {"H1": (50, 25, 25), "H2": (None, 10, 90), "H3": (0, 50, 0)}
    assert [c.code for c in explanation.unassessed] == ["H4"]
    reports = example["reports"]
    h1 = next(item for item in explanation.assessed if item.commitment.code == "H1")
    assert h1.implementation_report == reports[2]
    assert h1.violation_reports == [reports[3]]


def test_austria_other_dimensions_q2(example):
    military = card("AT", "politico-military")
    assert (military.score, military.coverage) == (Decimal("100.0"), Decimal("0.5"))
    economic = card("AT", "economic-environmental")
    assert (economic.score, economic.coverage, economic.assessed_count) == (None, Decimal("0"), 0)


def test_austria_overall_q2(example):
    overall = card("AT", None)
    assert overall.score == Decimal("67.5")
    assert overall.coverage == Decimal("0.5714")
    assert (overall.report_count, overall.violation_count) == (6, 3)


def test_austria_q1_scores(example):
    assert card("AT", "human", "2010-Q1").score == Decimal("100.0")
    assert card("AT", "politico-military", "2010-Q1").score == Decimal("50.0")
    assert card("AT", None, "2010-Q1").score == Decimal("75.0")


def test_austria_trends_q2(example):
    assert card("AT", "human").trend == Decimal("-65.0")
    assert card("AT", "politico-military").trend == Decimal("50.0")
    assert card("AT", None).trend == Decimal("-7.5")


def test_overall_ranks_q2(example):
    assert card("BE", None).score == Decimal("100.0")
    assert card("DK", None).score == Decimal("0.0")
    assert [card(code, None).rank for code in ("BE", "AT", "DK")] == [1, 2, 3]


def test_group_scores_count_members_as_of_period_end(example):
    group_cards = GroupScorecard.objects.filter(group=example["group"], period__label="2010-Q2", method_version=1)
    human = group_cards.get(dimension__slug="human")
    overall = group_cards.get(dimension__isnull=True)
    assert human.score == Decimal("67.5")
    assert overall.score == Decimal("83.8")
    assert overall.member_count == 2


def test_all_participating_states_score(example):
    overall = GroupScorecard.objects.get(
        group__isnull=True, dimension__isnull=True, period__label="2010-Q2", method_version=1
    )
    assert overall.score == Decimal("55.8")
    assert overall.member_count == 3
