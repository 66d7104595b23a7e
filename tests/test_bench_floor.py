"""The benchmark's floor SQL (bench/floor.py) computes exactly what the project's recompute stores.

The benchmark prints project/floor timings only after comparing both results
row by row; this checks that comparison on seeded data, so a fast floor that
computes something else cannot pass unnoticed. PostgreSQL only: the floor is
written for it. No timings here.
"""

import datetime
import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from bench.floor import compare, floor_rows, project_rows
from commitments.models import Commitment
from scorecards.models import Scorecard
from scorecards.services import scorecards_compute_year
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run the benchmark floor test on PostgreSQL (set DATABASE_URL).")
        pytest.skip("the benchmark floor is PostgreSQL SQL; set DATABASE_URL to a PostgreSQL database")
    call_command("load_reference", verbosity=0)
    # Enough reports that, against the full catalogue, some States reach limited evidence.
    call_command("seed_demo", reports=15000, seed=1, verbosity=0)


@pytest.mark.parametrize("year", [2012, 2021])
def test_floor_and_project_recompute_agree_row_by_row(seeded, year):
    scorecards_compute_year(year=year)

    floor, project = floor_rows(year), project_rows(year)
    comparison = compare(floor, project)

    assert comparison.identical, comparison.describe()
    assert len(floor) == len(project) == Scorecard.objects.filter(period__label__startswith=str(year)).count()
    # Not vacuous: real scores, real violations, in every one of the five periods.
    assert {label for label, _, _, _ in floor} == {f"{year}-Q1", f"{year}-Q2", f"{year}-Q3", f"{year}-Q4", str(year)}
    assert {method for _, _, _, method in floor} == {1, 2}
    assert sum(1 for values in floor.values() if values[0] is not None) > 100
    assert sum(values[8] for values in floor.values()) > 0
    # Method 2 rows carry intervals of every width and all three evidence levels.
    v2 = [values for key, values in floor.items() if key[3] == 2 and values[0] is not None]
    assert {values[3] for values in v2} >= {"insufficient", "limited"}
    assert any(values[1] not in (0, values[0]) for values in v2)


def test_floor_and_project_agree_on_ties_window_edges_and_penalties_below_zero(seeded):
    commitment = Commitment.objects.in_force_on(datetime.date(2018, 1, 1)).order_by("code").first()
    on = datetime.date

    def report(state, observed_on, **kwargs):
        return ReportFactory(state_id=state, commitment=commitment, observed_on=observed_on, verified=True, **kwargs)

    # Two implementation reports on the same day: the later one (higher id) counts.
    report("AT", on(2021, 8, 1), level="none")
    report("AT", on(2021, 8, 1), level="full")
    # Exactly 36 months before the end of 2021-Q3 still counts; a day earlier does not.
    report("BE", on(2018, 9, 30), level="partial")
    report("DK", on(2018, 9, 29), level="partial")
    # Violations on the first and last day of a quarter, enough to go below zero.
    report("FR", on(2021, 10, 1), level="partial")
    report("FR", on(2021, 10, 1), violation=True, severity="grave")
    report("FR", on(2021, 12, 31), violation=True, severity="serious")
    scorecards_compute_year(year=2021)

    comparison = compare(floor_rows(2021), project_rows(2021))

    assert comparison.identical, comparison.describe()


def test_comparison_names_a_row_that_differs(seeded):
    scorecards_compute_year(year=2021)
    card = Scorecard.objects.filter(period__label="2021-Q3", score__isnull=False).order_by("id").first()
    Scorecard.objects.filter(pk=card.pk).update(score=card.score + Decimal("0.1") if card.score < 100 else 0)

    comparison = compare(floor_rows(2021), project_rows(2021))

    assert not comparison.identical
    assert [key for key, _, _ in comparison.different] == [
        ("2021-Q3", card.state_id, card.dimension_id, card.method_version)
    ]


def test_comparison_names_a_missing_row(seeded):
    scorecards_compute_year(year=2021)
    card = Scorecard.objects.filter(period__label="2021").order_by("id").first()
    card.delete()

    comparison = compare(floor_rows(2021), project_rows(2021))

    assert comparison.floor_only == [("2021", card.state_id, card.dimension_id, card.method_version)]
