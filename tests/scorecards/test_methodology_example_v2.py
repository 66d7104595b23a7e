"""The method-2 worked example of docs/methodology.md, number by number."""

import datetime
from decimal import Decimal

import pytest

from scorecards.models import GroupScorecard, Scorecard
from scorecards.selectors import scorecard_explain
from scorecards.services import scorecards_compute_period
from tests.factories import CommitmentFactory, DimensionFactory, ReportFactory, StateFactory

D = datetime.date


@pytest.fixture
def example(db):
    human = DimensionFactory(slug="human")
    military = DimensionFactory(slug="politico-military")
    economic = DimensionFactory(slug="economic-environmental")
    c = {"H1": CommitmentFactory(code="H1", dimension=human, weight=2)}
    c.update({f"H{n}": CommitmentFactory(code=f"H{n}", dimension=human) for n in range(2, 11)})
    c.update({f"P{n}": CommitmentFactory(code=f"P{n}", dimension=military) for n in range(1, 5)})
    c.update({f"E{n}": CommitmentFactory(code=f"E{n}", dimension=economic) for n in range(1, 3)})
    no = StateFactory(code="NO", iso3="NOR", name="Norway")
    se = StateFactory(code="SE", iso3="SWE", name="Sweden")
    dk = StateFactory(code="DK", iso3="DNK", name="Denmark")

    def level(state, code, value, observed_on):
        ReportFactory(state=state, commitment=c[code], observed_on=observed_on, level=value, verified=True)

    def violation(state, code, severity, observed_on):
        ReportFactory(
            state=state, commitment=c[code], observed_on=observed_on, violation=True, severity=severity, verified=True
        )

    level(no, "H1", "full", D(2009, 2, 1))
    violation(no, "H1", "serious", D(2010, 5, 20))
    level(no, "H2", "none", D(2010, 4, 10))
    level(no, "H3", "none", D(2008, 9, 15))
    level(no, "H4", "full", D(2010, 5, 5))
    violation(no, "H4", "minor", D(2010, 6, 10))
    level(no, "H5", "full", D(2009, 12, 1))
    violation(no, "H6", "grave", D(2010, 4, 20))
    violation(no, "H6", "grave", D(2010, 5, 15))
    violation(no, "H6", "serious", D(2010, 6, 20))
    level(no, "P1", "full", D(2010, 1, 15))
    level(no, "P2", "partial", D(2009, 6, 1))
    level(no, "P3", "none", D(2010, 5, 30))
    level(se, "H1", "partial", D(2010, 5, 1))
    level(se, "H2", "partial", D(2010, 5, 2))
    level(se, "H7", "full", D(2010, 5, 3))
    violation(se, "H3", "minor", D(2010, 5, 4))
    level(dk, "H1", "full", D(2010, 5, 1))
    scorecards_compute_period(period="2010-Q2")


def card(state, dimension, method=2):
    filters = {"dimension__isnull": True} if dimension is None else {"dimension__slug": dimension}
    return Scorecard.objects.get(state_id=state, period__label="2010-Q2", method_version=method, **filters)


def interval(row):
    return (row.score, row.score_low, row.score_high, row.evidence)


def test_norway_human_score_interval_and_evidence(example):
    human = card("NO", "human")
    assert interval(human) == (Decimal("40.0"), Decimal("17.5"), Decimal("62.5"), "sufficient")
    assert (human.assessed_count, human.in_force_count, human.coverage) == (5, 10, Decimal("0.5"))
    assert human.score_text == "40.0 (17.5–62.5)"


def test_norway_human_under_method_1_for_comparison(example):
    assert card("NO", "human", method=1).score == Decimal("48.6")


def test_norway_explanation_lists_a_the_deduction_and_the_interval_inputs(example):
    explanation = scorecard_explain(scorecard=card("NO", "human"))

    measured = {
        item.commitment.code: (item.weight, item.level_value, item.penalty, item.y) for item in explanation.measured
    }
    assert measured == {
        "H1": (2, 100, 25, 75),
        "H2": (1, 0, 0, 0),
        "H3": (1, 0, 0, 0),
        "H4": (1, 100, 10, 90),
        "H5": (1, 100, 0, 100),
    }
    assert [(item.commitment.code, item.penalty, item.deduction) for item in explanation.deductions] == [
        ("H6", 125, 100)
    ]
    inputs = explanation.interval
    assert (inputs.n, inputs.in_force, inputs.weight_sum, inputs.weighted_sum, inputs.deductions) == (
        5,
        10,
        6,
        340,
        100,
    )
    assert round(inputs.mean, 2) == 56.67
    assert round(inputs.standard_error, 2) == 19.33
    assert round(inputs.half_width, 2) == 22.48
    assert [c.code for c in explanation.unassessed] == ["H10", "H7", "H8", "H9"]


def test_norway_other_dimensions_and_overall(example):
    assert interval(card("NO", "politico-military")) == (
        Decimal("50.0"),
        Decimal("26.3"),
        Decimal("73.7"),
        "sufficient",
    )
    economic = card("NO", "economic-environmental")
    assert (economic.score, economic.evidence) == (None, "insufficient")
    overall = card("NO", None)
    assert interval(overall) == (Decimal("45.0"), Decimal("21.9"), Decimal("68.1"), "sufficient")
    assert overall.coverage == Decimal("0.5")


def test_sweden_limited_evidence(example):
    assert interval(card("SE", "human")) == (Decimal("60.0"), Decimal("40.3"), Decimal("79.7"), "limited")
    assert interval(card("SE", None)) == (Decimal("60.0"), Decimal("40.3"), Decimal("79.7"), "limited")


def test_denmark_insufficient_evidence(example):
    denmark = card("DK", "human")
    assert interval(denmark) == (Decimal("100.0"), Decimal("0.0"), Decimal("100.0"), "insufficient")
    assert denmark.score_text == "insufficient evidence"


def test_ranks_leave_out_insufficient_evidence(example):
    assert [card(code, "human").rank for code in ("SE", "NO", "DK")] == [1, 2, None]
    assert card("DK", "human", method=1).rank == 1


def test_all_participating_states(example):
    rows = GroupScorecard.objects.filter(group__isnull=True, period__label="2010-Q2", method_version=2)
    assert interval(rows.get(dimension__slug="human")) == (
        Decimal("66.7"),
        Decimal("19.3"),
        Decimal("80.7"),
        "insufficient",
    )
    overall = rows.get(dimension__isnull=True)
    assert (overall.score, overall.score_low, overall.score_high) == (Decimal("68.3"), Decimal("20.7"), Decimal("82.6"))
