"""Scoring method v2, rule by rule (docs/methodology.md, "Method 2"), on the real SQL."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from commitments.models import Report, ReportStatus
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


def verified(state, commitment, observed_on, **kwargs):
    return ReportFactory(state=state, commitment=commitment, observed_on=observed_on, verified=True, **kwargs)


def card(state, dimension, period, method):
    filters = {"dimension__isnull": True} if dimension is None else {"dimension__slug": dimension}
    return Scorecard.objects.get(state_id=state, period__label=period, method_version=method, **filters)


@pytest.fixture
def liechtenstein(db):
    """Liechtenstein in 2024 as the issue found it: human 40.0 from ten assessed commitments of eleven."""
    human = DimensionFactory(slug="human", position=3)
    military = DimensionFactory(slug="politico-military", position=1)
    economic = DimensionFactory(slug="economic-environmental", position=2)
    li = StateFactory(code="LI", iso3="LIE", name="Liechtenstein", admitted_on=D(1975, 7, 30))
    day = D(2024, 5, 1)
    for dimension, levels in [
        (human, ["full"] * 2 + ["partial"] * 4 + ["none"] * 4),  # mean 40
        (military, ["full"] * 2 + ["partial"] * 2 + ["none"]),  # mean 60
        (economic, ["full"] * 2 + ["partial"] * 3),  # mean 70
    ]:
        for level in levels:
            verified(li, CommitmentFactory(dimension=dimension), day, level=level)
    unassessed = CommitmentFactory(dimension=human, code="COP-1990-9.1")
    return {"state": li, "unassessed": unassessed}


def test_li_grave_violation_on_an_unassessed_commitment_lowers_the_v2_score(liechtenstein):
    scorecards_compute_period(period="2024")
    assert (card("LI", "human", "2024", 2).score, card("LI", None, "2024", 2).score) == (
        Decimal("40.0"),
        Decimal("56.7"),
    )

    verified(liechtenstein["state"], liechtenstein["unassessed"], D(2024, 9, 3), violation=True, severity="grave")
    scorecards_compute_period(period="2024")

    # (10 x 40 - 50) / 10: the violation takes 50 weighted points off, it does not enter the mean.
    human = card("LI", "human", "2024", 2)
    assert human.score == Decimal("35.0")
    assert (human.assessed_count, human.in_force_count, human.violation_count) == (10, 11, 1)
    assert card("LI", None, "2024", 2).score == Decimal("55.0")


def test_li_v1_still_reproduces_the_published_numbers(liechtenstein):
    verified(liechtenstein["state"], liechtenstein["unassessed"], D(2024, 9, 3), violation=True, severity="grave")
    scorecards_compute_period(period="2024")

    # Method 1 as published: the violation-only commitment "starts from 100" and counts 50.
    assert card("LI", "human", "2024", 1).score == Decimal("40.9")
    assert card("LI", None, "2024", 1).score == Decimal("57.0")


@pytest.fixture
def human(db):
    return DimensionFactory(slug="human")


def test_violations_alone_give_no_v2_score(human):
    austria = StateFactory(code="AT")
    verified(austria, CommitmentFactory(dimension=human), D(2010, 5, 1), violation=True, severity="minor")
    scorecards_compute_period(period="2010-Q2")

    v2 = card("AT", "human", "2010-Q2", 2)
    assert (v2.score, v2.score_low, v2.score_high, v2.evidence, v2.rank) == (None, None, None, "insufficient", None)
    assert card("AT", "human", "2010-Q2", 1).score == Decimal("90.0")
    assert card("AT", None, "2010-Q2", 2).score is None


def test_deduction_never_takes_more_than_100_per_commitment_and_the_score_stops_at_0(human):
    austria = StateFactory(code="AT")
    verified(austria, CommitmentFactory(dimension=human, weight=3), D(2010, 5, 1), level="partial")
    violated = CommitmentFactory(dimension=human)
    for _ in range(3):
        verified(austria, violated, D(2010, 5, 2), violation=True, severity="grave")
    scorecards_compute_period(period="2010-Q2")
    # (3 x 50 - 1 x min(100, 150)) / 3 = 16.7
    assert card("AT", "human", "2010-Q2", 2).score == Decimal("16.7")

    verified(austria, CommitmentFactory(dimension=human, weight=2), D(2010, 5, 3), violation=True, severity="grave")
    scorecards_compute_period(period="2010-Q2")
    # (150 - 100 - 2 x 50) / 3 < 0: no negative scores.
    assert card("AT", "human", "2010-Q2", 2).score == Decimal("0.0")


def test_fewer_than_three_measured_commitments_give_the_whole_range_and_insufficient_evidence(human):
    austria = StateFactory(code="AT")
    for level in ["full", "partial"]:
        verified(austria, CommitmentFactory(dimension=human), D(2010, 5, 1), level=level)
    scorecards_compute_period(period="2010-Q2")

    v2 = card("AT", "human", "2010-Q2", 2)
    assert (v2.score, v2.score_low, v2.score_high, v2.evidence) == (Decimal("75.0"), 0, 100, "insufficient")
    assert v2.coverage == 1


def test_interval_uses_the_weighted_spread_and_the_finite_population_correction(human):
    austria = StateFactory(code="AT")
    for level in ["full", "partial", "partial", "none"]:
        verified(austria, CommitmentFactory(dimension=human), D(2010, 5, 1), level=level)
    for _ in range(4):
        CommitmentFactory(dimension=human)  # N = 8
    scorecards_compute_period(period="2010-Q2")

    # y = 100, 50, 50, 0: mean 50; SE^2 = 4/3 x 5000 / 16 = 416.67; h = 1.645 x 20.41 x sqrt(1 - 4/8) = 23.75
    v2 = card("AT", "human", "2010-Q2", 2)
    assert (v2.score, v2.score_low, v2.score_high, v2.evidence) == (
        Decimal("50.0"),
        Decimal("26.3"),
        Decimal("73.7"),
        "sufficient",
    )
    assert (v2.assessed_count, v2.in_force_count, v2.coverage) == (4, 8, Decimal("0.5"))


def test_a_score_on_every_commitment_in_force_has_no_sampling_uncertainty(human):
    austria = StateFactory(code="AT")
    for level in ["full", "partial", "none"]:
        verified(austria, CommitmentFactory(dimension=human), D(2010, 5, 1), level=level)
    scorecards_compute_period(period="2010-Q2")

    v2 = card("AT", "human", "2010-Q2", 2)
    assert (v2.score, v2.score_low, v2.score_high) == (Decimal("50.0"), Decimal("50.0"), Decimal("50.0"))


@pytest.mark.parametrize(
    ("measured", "in_force", "evidence"),
    [(3, 31, "insufficient"), (3, 30, "limited"), (10, 31, "limited"), (10, 30, "sufficient"), (33, 100, "sufficient")],
)
def test_evidence_thresholds(human, measured, in_force, evidence):
    austria = StateFactory(code="AT")
    for number in range(in_force):
        commitment = CommitmentFactory(dimension=human)
        if number < measured:
            verified(austria, commitment, D(2010, 5, 1), level="partial")
    scorecards_compute_period(period="2010-Q2")

    assert card("AT", "human", "2010-Q2", 2).evidence == evidence


def test_ranks_only_states_whose_evidence_is_not_insufficient(human):
    commitments = [CommitmentFactory(dimension=human) for _ in range(4)]
    for code, levels in [("AT", ["partial"] * 3), ("BE", ["full"] * 2), ("CH", ["none"] * 4)]:
        state = StateFactory(code=code)
        for commitment, level in zip(commitments, levels, strict=False):
            verified(state, commitment, D(2010, 5, 1), level=level)
    scorecards_compute_period(period="2010-Q2")

    v2 = Scorecard.objects.filter(period__label="2010-Q2", dimension=human, method_version=2)
    assert dict(v2.values_list("state_id", "rank")) == {"AT": 1, "BE": None, "CH": 2}
    v1 = Scorecard.objects.filter(period__label="2010-Q2", dimension=human, method_version=1)
    assert dict(v1.values_list("state_id", "rank")) == {"AT": 2, "BE": 1, "CH": 3}


def test_overall_averages_existing_scores_lows_and_highs_and_takes_the_weakest_evidence(db):
    human, military = DimensionFactory(slug="human"), DimensionFactory(slug="politico-military")
    DimensionFactory(slug="economic-environmental")  # nothing in force: no score
    austria = StateFactory(code="AT")
    for level in ["full", "full", "partial", "partial"]:
        verified(austria, CommitmentFactory(dimension=human), D(2010, 5, 1), level=level)
    for _ in range(4):
        CommitmentFactory(dimension=human)
    for level in ["full", "partial"]:
        verified(austria, CommitmentFactory(dimension=military), D(2010, 5, 1), level=level)
    scorecards_compute_period(period="2010-Q2")

    assert card("AT", "human", "2010-Q2", 2).score_text == "75.0 (58.2–91.8)"
    assert card("AT", "politico-military", "2010-Q2", 2).evidence == "insufficient"
    overall = card("AT", None, "2010-Q2", 2)
    # human 75.0 (58.2-91.8, sufficient), politico-military 75.0 (0-100, insufficient), economic: none
    assert (overall.score, overall.score_low, overall.score_high, overall.evidence) == (
        Decimal("75.0"),
        Decimal("29.1"),
        Decimal("95.9"),
        "insufficient",
    )
    assert (overall.assessed_count, overall.in_force_count, overall.coverage) == (6, 10, Decimal("0.6"))


def test_group_rows_average_members_v2_scores_and_their_lows_and_highs(human):
    commitments = [CommitmentFactory(dimension=human) for _ in range(4)]
    group = StateGroupFactory(slug="pair")
    for code, levels in [("AT", ["full", "partial", "partial", "none"]), ("BE", ["full", "full", "full", "none"])]:
        state = StateFactory(code=code)
        MembershipFactory(group=group, state=state, joined_on=D(1995, 1, 1))
        for commitment, level in zip(commitments, levels, strict=True):
            verified(state, commitment, D(2010, 5, 1), level=level)
    scorecards_compute_period(period="2010-Q2")

    # Every commitment in force is measured: no sampling uncertainty, AT 50.0 and BE 75.0.
    row = GroupScorecard.objects.get(group=group, period__label="2010-Q2", dimension=human, method_version=2)
    assert (row.score, row.score_low, row.score_high, row.evidence) == (
        Decimal("62.5"),
        Decimal("62.5"),
        Decimal("62.5"),
        "sufficient",
    )
    assert (row.member_count, row.scored_member_count) == (2, 2)
    assert (
        GroupScorecard.objects.get(group=group, period__label="2010-Q2", dimension=human, method_version=1).evidence
        is None
    )


def test_one_recompute_writes_both_methods_and_the_setting_narrows_them(human, settings):
    verified(StateFactory(code="AT"), CommitmentFactory(dimension=human), D(2010, 5, 1), level="full")
    scorecards_compute_period(period="2010-Q2")
    assert set(Scorecard.objects.values_list("method_version", flat=True)) == {1, 2}
    assert set(GroupScorecard.objects.values_list("method_version", flat=True)) == {1, 2}

    settings.SCORING_METHODS = [2]
    scorecards_compute_period(period="2010-Q2")
    assert set(Scorecard.objects.values_list("method_version", flat=True)) == {2}


def test_compute_scorecards_prints_v2_with_its_interval_and_marks_insufficient_evidence(human, capsys):
    commitments = [CommitmentFactory(dimension=human) for _ in range(8)]
    at, be = StateFactory(code="AT", name="Austria"), StateFactory(code="BE", name="Belgium")
    for commitment, level in zip(commitments, ["full", "partial", "partial", "none"], strict=False):
        verified(at, commitment, D(2010, 5, 1), level=level)
    verified(be, commitments[0], D(2010, 5, 1), level="full")

    call_command("compute_scorecards", "--period", "2010-Q2")

    out = capsys.readouterr().out
    austria = next(line for line in out.splitlines() if "Austria" in line)
    belgium = next(line for line in out.splitlines() if "Belgium" in line)
    assert austria.split()[:2] == ["1", "Austria"]
    assert "50.0 (26.3–73.7)" in austria
    assert belgium.split()[0] == "Belgium"  # no rank
    assert "insufficient evidence" in belgium
    assert "100.0" not in belgium


def test_retracted_reports_never_count_under_v2(human):
    austria = StateFactory(code="AT")
    commitment = CommitmentFactory(dimension=human)
    verified(austria, commitment, D(2010, 5, 1), level="full")
    report = verified(austria, commitment, D(2010, 5, 2), violation=True, severity="grave")
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RETRACTED, retraction_reason="Duplicate.")
    scorecards_compute_period(period="2010-Q2")

    assert card("AT", "human", "2010-Q2", 2).score == Decimal("100.0")
