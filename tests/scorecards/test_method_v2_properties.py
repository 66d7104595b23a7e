"""The four properties of scoring method v2 (issue 11), by Hypothesis over random report sets.

Each example writes a small random set of reports with one bulk INSERT, runs the real
recompute (the set-based SQL) for 2010-Q1 and 2010-Q2 together, and rolls back to a
savepoint before the next example. PostgreSQL only, like production: SQLite rounds
floats, and the properties are about the SQL the deployment runs.
"""

import datetime
import itertools
import os
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commitments.models import Report, ReportStatus
from scorecards.models import GroupScorecard, Period, Scorecard
from scorecards.services import scorecards_compute_periods
from tests.factories import (
    CommitmentFactory,
    DimensionFactory,
    MembershipFactory,
    StateFactory,
    StateGroupFactory,
    UserFactory,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIRST_DAY = datetime.date(2009, 1, 1)  # inside 2010-Q1's and 2010-Q2's 36-month windows
DAYS = (datetime.date(2010, 6, 30) - FIRST_DAY).days
STATES = ["AT", "BE", "CH"]
LEVELS = ["none", "partial", "full"]
SEVERITIES = ["minor", "serious", "grave"]
STATE_FIELDS = [
    "period_id",
    "state_id",
    "dimension_id",
    "method_version",
    "score",
    "score_low",
    "score_high",
    "evidence",
    "trend",
    "coverage",
    "assessed_count",
    "in_force_count",
    "report_count",
    "violation_count",
    "rank",
]
GROUP_FIELDS = [
    "period_id",
    "group_id",
    "dimension_id",
    "method_version",
    "score",
    "score_low",
    "score_high",
    "evidence",
    "trend",
    "member_count",
    "scored_member_count",
]


@pytest.fixture
def world(db):
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run the method-2 properties on PostgreSQL (set DATABASE_URL).")
        pytest.skip("the method-2 properties run on PostgreSQL; set DATABASE_URL")
    human, military = DimensionFactory(slug="human"), DimensionFactory(slug="politico-military")
    commitments = [CommitmentFactory(dimension=human, weight=weight) for weight in ["1", "2", "1", "0.5", "1", "3"]]
    commitments += [CommitmentFactory(dimension=military, weight=weight) for weight in ["1", "1.5", "1"]]
    # Not in force at the end of 2010-Q2: counts in Q1 only.
    commitments.append(CommitmentFactory(dimension=human, in_force_until=datetime.date(2010, 5, 1)))
    states = [StateFactory(code=code) for code in STATES]
    group = StateGroupFactory(slug="pair")
    for state in states[:2]:
        MembershipFactory(group=group, state=state, joined_on=datetime.date(1995, 1, 1))
    return {
        "commitments": commitments,
        "periods": [Period.objects.for_label("2010-Q1"), Period.objects.for_label("2010-Q2")],
        "submitter": UserFactory(),
        "reviewer": UserFactory(),
    }


def report_specs(*, min_size=0):
    """(state, commitment index, level or None, severity or None, day offset) tuples."""
    implementation = st.tuples(
        st.sampled_from(STATES), st.integers(0, 9), st.sampled_from(LEVELS), st.none(), st.integers(0, DAYS)
    )
    violation = st.tuples(
        st.sampled_from(STATES), st.integers(0, 9), st.none(), st.sampled_from(SEVERITIES), st.integers(0, DAYS)
    )
    return st.lists(st.one_of(implementation, violation), min_size=min_size, max_size=25)


LINKS = itertools.count()


def make_report(world, spec, status=ReportStatus.VERIFIED) -> Report:
    state, commitment, level, severity, offset = spec
    return Report(
        state_id=state,
        commitment=world["commitments"][commitment],
        kind="implementation" if level else "violation",
        level=level or "",
        severity=severity or "",
        observed_on=FIRST_DAY + datetime.timedelta(days=offset),
        summary="Property test report.",
        source="odihr",
        source_url=f"https://www.osce.org/odihr/property-test-{next(LINKS)}",  # specs may repeat: not duplicates
        status=status,
        created_by=world["submitter"],
        submitted_by=world["submitter"],
        reviewed_by=world["reviewer"] if status == ReportStatus.VERIFIED else None,
    )


def recompute(world) -> None:
    scorecards_compute_periods(periods=world["periods"])


def rows() -> tuple[list, list]:
    """Every State and group row, both methods, without ids and computation times."""
    states = sorted(Scorecard.objects.values_list(*STATE_FIELDS), key=repr)
    groups = sorted(GroupScorecard.objects.values_list(*GROUP_FIELDS), key=repr)
    return states, groups


def v2_scores() -> dict:
    """Every method-2 score: State rows by (period, State, dimension), group rows by (period, group, dimension)."""
    scores = {
        ("state", *key): score
        for *key, score in Scorecard.objects.filter(method_version=2).values_list(
            "period_id", "state_id", "dimension_id", "score"
        )
    }
    scores.update(
        {
            ("group", *key): score
            for *key, score in GroupScorecard.objects.filter(method_version=2).values_list(
                "period_id", "group_id", "dimension_id", "score"
            )
        }
    )
    return scores


def assert_never_higher(before: dict, after: dict) -> None:
    assert before.keys() == after.keys()
    for key, old in before.items():
        new = after[key]
        assert (old is None) == (new is None), key
        if old is not None:
            assert new <= old, (key, old, new)


class Rollback(Exception):
    pass


def in_savepoint(check):
    """Run one example inside a savepoint that is always rolled back."""
    try:
        with transaction.atomic():
            check()
            raise Rollback
    except Rollback:
        pass


@EXAMPLES
@given(
    base=report_specs(),
    extra=st.tuples(
        st.sampled_from(STATES),
        st.integers(0, 9),
        st.none(),
        st.sampled_from(SEVERITIES),
        st.integers((datetime.date(2010, 1, 1) - FIRST_DAY).days, DAYS),
    ),
)
def test_verifying_one_more_violation_never_raises_a_v2_score(world, base, extra):
    def check():
        Report.objects.bulk_create([make_report(world, spec) for spec in base])
        pending = Report.objects.bulk_create([make_report(world, extra, status=ReportStatus.SUBMITTED)])[0]
        recompute(world)
        before = v2_scores()
        Report.objects.filter(pk=pending.pk).update(status=ReportStatus.VERIFIED, reviewed_by=world["reviewer"])
        recompute(world)
        assert_never_higher(before, v2_scores())

    in_savepoint(check)


@EXAMPLES
@given(base=report_specs(min_size=1), data=st.data())
def test_raising_the_level_of_the_latest_implementation_report_never_lowers_a_v2_score(world, base, data):
    target = data.draw(st.integers(0, len(base) - 1))
    state, commitment, _, _, _ = base[target]
    old = data.draw(st.sampled_from(["none", "partial"]))
    new = data.draw(st.sampled_from(LEVELS[LEVELS.index(old) + 1 :]))
    specs = list(base)
    # The latest implementation report on (State, commitment): the target itself if nothing is later.
    offset = max([spec[4] for spec in specs if spec[:2] == (state, commitment) and spec[2]] + [base[target][4]])
    specs.append((state, commitment, old, None, offset))  # entered last: latest even on a tie

    def check():
        reports = Report.objects.bulk_create([make_report(world, spec) for spec in specs])
        recompute(world)
        before = v2_scores()
        Report.objects.filter(pk=reports[-1].pk).update(level=new)
        recompute(world)
        after = v2_scores()
        assert before.keys() == after.keys()
        for key, old_score in before.items():
            assert (old_score is None) == (after[key] is None), key
            if old_score is not None:
                assert after[key] >= old_score, (key, old_score, after[key])

    in_savepoint(check)


@EXAMPLES
@given(base=report_specs(), extra=report_specs(min_size=1))
def test_retracting_a_report_gives_back_exactly_the_rows_from_before_it_was_verified(world, base, extra):
    def check():
        Report.objects.bulk_create([make_report(world, spec) for spec in base])
        pending = Report.objects.bulk_create([make_report(world, extra[0], status=ReportStatus.SUBMITTED)])[0]
        recompute(world)
        before = rows()
        Report.objects.filter(pk=pending.pk).update(status=ReportStatus.VERIFIED, reviewed_by=world["reviewer"])
        recompute(world)
        Report.objects.filter(pk=pending.pk).update(status=ReportStatus.RETRACTED, retraction_reason="Withdrawn.")
        recompute(world)
        assert rows() == before

    in_savepoint(check)


@EXAMPLES
@given(base=report_specs())
def test_v2_intervals_hold_their_scores_and_recomputing_twice_gives_identical_rows(world, base):
    def check():
        Report.objects.bulk_create([make_report(world, spec) for spec in base])
        recompute(world)
        first = rows()
        for model in (Scorecard, GroupScorecard):
            for score, low, high in model.objects.filter(method_version=2).values_list(
                "score", "score_low", "score_high"
            ):
                if score is None:
                    assert low is None and high is None
                else:
                    assert Decimal(0) <= low <= score <= high <= Decimal(100), (low, score, high)
        recompute(world)
        assert rows() == first

    in_savepoint(check)
