"""Each rule of scoring method v1 on its own (docs/methodology.md); v2 has tests/scorecards/test_method_v2.py."""

import datetime
from decimal import Decimal

import pytest

from commitments.models import ReportStatus
from scorecards.models import GroupScorecard, Scorecard
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
Q2_END = D(2010, 6, 30)


@pytest.fixture
def human(db):
    return DimensionFactory(slug="human")


@pytest.fixture
def austria(db):
    return StateFactory(code="AT")


def verified(state, commitment, observed_on, **kwargs):
    return ReportFactory(state=state, commitment=commitment, observed_on=observed_on, verified=True, **kwargs)


def human_score(state="AT", period="2010-Q2"):
    scorecards_compute_period(period=period)
    return Scorecard.objects.get(state_id=state, period__label=period, dimension__slug="human", method_version=1)


def test_latest_implementation_report_wins(human, austria):
    commitment = CommitmentFactory(dimension=human)
    verified(austria, commitment, D(2010, 4, 1), level="none")
    verified(austria, commitment, D(2010, 5, 1), level="partial")
    assert human_score().score == Decimal("50.0")


def test_implementation_report_exactly_36_months_old_counts(human, austria):
    verified(austria, CommitmentFactory(dimension=human), D(2007, 6, 30), level="partial")
    assert human_score().score == Decimal("50.0")


def test_implementation_report_older_than_36_months_is_ignored(human, austria):
    verified(austria, CommitmentFactory(dimension=human), D(2007, 6, 29), level="partial")
    card = human_score()
    assert card.score is None
    assert card.assessed_count == 0


def test_implementation_report_after_period_end_is_ignored(human, austria):
    commitment = CommitmentFactory(dimension=human)
    verified(austria, commitment, D(2010, 1, 10), level="full")
    verified(austria, commitment, D(2010, 7, 1), level="none")
    assert human_score().score == Decimal("100.0")


def test_penalties_add_up_and_floor_at_zero(human, austria):
    commitment = CommitmentFactory(dimension=human)
    verified(austria, commitment, D(2010, 1, 10), level="partial")
    verified(austria, commitment, D(2010, 4, 2), violation=True, severity="serious")
    verified(austria, commitment, D(2010, 4, 3), violation=True, severity="serious")
    assert human_score().score == Decimal("0.0")


def test_violation_without_implementation_report_starts_from_100(human, austria):
    verified(austria, CommitmentFactory(dimension=human), D(2010, 4, 2), violation=True, severity="minor")
    assert human_score().score == Decimal("90.0")


def test_violation_outside_the_period_does_not_count(human, austria):
    commitment = CommitmentFactory(dimension=human)
    verified(austria, commitment, D(2010, 1, 10), level="full")
    verified(austria, commitment, D(2010, 3, 31), violation=True, severity="grave")
    assert human_score().score == Decimal("100.0")


def test_unassessed_commitments_are_excluded_from_the_mean(human, austria):
    verified(austria, CommitmentFactory(dimension=human), D(2010, 5, 1), level="partial")
    CommitmentFactory(dimension=human)
    card = human_score()
    assert card.score == Decimal("50.0")
    assert (card.assessed_count, card.in_force_count, card.coverage) == (1, 2, Decimal("0.5"))


def test_weights_weigh_the_mean(human, austria):
    verified(austria, CommitmentFactory(dimension=human, weight=3), D(2010, 5, 1), level="full")
    verified(austria, CommitmentFactory(dimension=human, weight=1), D(2010, 5, 1), level="none")
    assert human_score().score == Decimal("75.0")


def test_score_rounds_to_one_decimal(human, austria):
    for level in ("full", "full", "none"):
        verified(austria, CommitmentFactory(dimension=human), D(2010, 5, 1), level=level)
    assert human_score().score == Decimal("66.7")


def test_only_verified_reports_count(human, austria):
    commitment = CommitmentFactory(dimension=human)
    ReportFactory(state=austria, commitment=commitment, observed_on=D(2010, 5, 1), submitted=True)
    ReportFactory(
        state=austria,
        commitment=commitment,
        observed_on=D(2010, 5, 1),
        status=ReportStatus.RETRACTED,
        retraction_reason="Wrong State.",
    )
    assert human_score().score is None


def test_commitment_out_of_force_at_period_end_is_not_counted(human, austria):
    ended = CommitmentFactory(dimension=human, in_force_until=D(2010, 6, 29))
    verified(austria, ended, D(2010, 5, 1), level="none")
    card = human_score()
    assert (card.score, card.in_force_count) == (None, 0)


def test_state_not_yet_participating_has_no_scorecard(human):
    StateFactory(code="CH", admitted_on=D(2012, 11, 21))
    scorecards_compute_period(period="2010-Q2")
    assert not Scorecard.objects.filter(state_id="CH").exists()


def test_year_is_scored_on_its_own_dates(human, austria):
    commitment = CommitmentFactory(dimension=human)
    verified(austria, commitment, D(2010, 2, 1), level="full")
    verified(austria, commitment, D(2010, 11, 1), violation=True, severity="serious")
    assert human_score(period="2010").score == Decimal("75.0")
    assert human_score(period="2010-Q2").score == Decimal("100.0")


def test_trend_is_change_from_previous_period(human, austria):
    commitment = CommitmentFactory(dimension=human)
    verified(austria, commitment, D(2010, 2, 1), level="partial")
    verified(austria, commitment, D(2010, 5, 1), level="full")
    human_score(period="2010-Q1")
    assert human_score(period="2010-Q2").trend == Decimal("50.0")


def test_recomputing_a_period_updates_the_next_periods_trend(human, austria):
    commitment = CommitmentFactory(dimension=human)
    verified(austria, commitment, D(2010, 5, 1), level="full")
    human_score(period="2010-Q2")
    assert human_score(period="2010-Q2").trend is None
    verified(austria, commitment, D(2010, 2, 1), level="none")
    human_score(period="2010-Q1")
    assert Scorecard.objects.get(
        state_id="AT", period__label="2010-Q2", dimension=human, method_version=1
    ).trend == Decimal("100.0")


def test_rank_orders_states_by_score_with_shared_ties(human):
    commitment = CommitmentFactory(dimension=human)
    for code, level in [("AT", "partial"), ("BE", "full"), ("CH", "full"), ("DK", "none")]:
        verified(StateFactory(code=code), commitment, D(2010, 5, 1), level=level)
    StateFactory(code="FI")
    scorecards_compute_period(period="2010-Q2")
    v1 = Scorecard.objects.filter(period__label="2010-Q2", dimension=human, method_version=1)
    ranks = dict(v1.values_list("state_id", "rank"))
    assert ranks == {"BE": 1, "CH": 1, "AT": 3, "DK": 4, "FI": None}


def test_group_mean_counts_members_as_of_period_end(human):
    commitment = CommitmentFactory(dimension=human)
    group = StateGroupFactory(slug="test-group")
    for code, level, joined, left in [
        ("AT", "full", D(1995, 1, 1), None),
        ("BE", "partial", D(1958, 1, 1), None),
        ("DK", "none", D(1973, 1, 1), D(2010, 6, 30)),  # left on the last day: not a member at the end
        ("FI", "none", D(2010, 7, 1), None),  # joined after the end
    ]:
        state = StateFactory(code=code)
        verified(state, commitment, D(2010, 5, 1), level=level)
        MembershipFactory(group=group, state=state, joined_on=joined, left_on=left)
    scorecards_compute_period(period="2010-Q2")
    row = GroupScorecard.objects.get(group=group, period__label="2010-Q2", dimension=human, method_version=1)
    assert (row.score, row.member_count, row.scored_member_count) == (Decimal("75.0"), 2, 2)


def test_of_two_implementation_reports_on_the_same_day_the_later_entered_wins(human, austria):
    commitment = CommitmentFactory(dimension=human)
    verified(austria, commitment, D(2010, 5, 1), level="none")
    verified(austria, commitment, D(2010, 5, 1), level="full")
    assert human_score().score == Decimal("100.0")


def test_a_year_scored_in_one_statement_equals_its_periods_scored_one_by_one(human, austria):
    from scorecards.services import scorecards_compute_year

    belgium = StateFactory(code="BE")
    commitments = [CommitmentFactory(dimension=human) for _ in range(3)]
    for day, state, commitment, extra in [
        (D(2007, 2, 1), austria, commitments[0], {"level": "partial"}),
        (D(2009, 8, 1), austria, commitments[1], {"level": "none"}),
        (D(2010, 2, 1), austria, commitments[0], {"level": "full"}),
        (D(2010, 5, 1), belgium, commitments[2], {"violation": True, "severity": "grave"}),
        (D(2010, 8, 1), belgium, commitments[2], {"level": "partial"}),
        (D(2010, 11, 1), austria, commitments[1], {"violation": True, "severity": "minor"}),
    ]:
        verified(state, commitment, day, **extra)
    fields = ["period__label", "state_id", "dimension_id", "method_version", "score", "score_low", "score_high"]
    fields += ["evidence", "trend", "coverage", "report_count", "rank"]

    scorecards_compute_year(year=2010)
    together = sorted(Scorecard.objects.values_list(*fields), key=str)
    for label in ["2010-Q1", "2010-Q2", "2010-Q3", "2010-Q4", "2010"]:
        scorecards_compute_period(period=label)
    one_by_one = sorted(Scorecard.objects.values_list(*fields), key=str)
    assert together == one_by_one
    assert len(together) == 5 * 2 * 2 * 2  # periods, States, human + overall, methods
