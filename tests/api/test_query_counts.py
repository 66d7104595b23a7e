"""No list's query count grows with its page size: the same number of queries for 10 rows and for 100."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_countries import countries

from commitments.models import Commitment
from scorecards.models import GroupScorecard, Period, Scorecard
from states.models import Membership, State, StateGroup
from tests.factories import SourceDocumentFactory

from .conftest import bulk_verified_reports, client_with_token

D = datetime.date
ROWS = 120


def assert_same_query_count(client, url, django_assert_num_queries, **params):
    with CaptureQueriesContext(connection) as small:
        response = client.get(url, {**params, "page_size": 10})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 10

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, {**params, "page_size": 100})
    assert len(response.json()["results"]) == 100


@pytest.fixture
def many_reports(austria, belgium, elections, media, inspections):
    return bulk_verified_reports(ROWS, states=[austria, belgium], commitments=[elections, media, inspections])


@pytest.fixture
def many_states(db):
    group = StateGroup.objects.create(slug="everyone", name="Everyone")
    states = State.objects.bulk_create(
        State(code=code, iso3=countries.alpha3(code), name=str(name), admitted_on=D(1973, 6, 25))
        for code, name in list(countries)[:ROWS]
    )
    Membership.objects.bulk_create(Membership(group=group, state=state, joined_on=D(1995, 1, 1)) for state in states)
    return states


@pytest.fixture
def many_commitments(human, elections_theme, csbm_theme):
    document = SourceDocumentFactory(code="COP-1990", adopted_on=D(1990, 6, 29))
    commitments = Commitment.objects.bulk_create(
        Commitment(
            code=f"COP-1990-{number}",
            document=document,
            paragraph=str(number),
            title=f"Commitment {number}",
            summary="Bulk.",
            dimension=human,
            in_force_from=document.adopted_on,
        )
        for number in range(ROWS)
    )
    Through = Commitment.themes.through
    Through.objects.bulk_create(
        Through(commitment=commitment, theme=theme)
        for commitment in commitments
        for theme in (elections_theme, csbm_theme)
    )
    return commitments


@pytest.fixture
def many_scorecards(austria, belgium, eu, human, polmil):
    periods = [Period.objects.for_label(f"{year}-Q{quarter}") for year in range(2000, 2010) for quarter in (1, 2, 3, 4)]
    now = timezone.now()
    common = {"score": 50, "method_version": 2, "computed_at": now}
    Scorecard.objects.bulk_create(
        Scorecard(
            period=period,
            state=state,
            dimension=dimension,
            coverage=1,
            assessed_count=1,
            in_force_count=1,
            report_count=1,
            violation_count=0,
            rank=1,
            **common,
        )
        for period in periods
        for state in (austria, belgium)
        for dimension in (human, polmil, None)
    )
    GroupScorecard.objects.bulk_create(
        GroupScorecard(period=period, group=group, dimension=dimension, member_count=2, scored_member_count=2, **common)
        for period in periods
        for group in (eu, None)
        for dimension in (human, polmil, None)
    )


def test_anonymous_reports_list(anon, many_reports, django_assert_num_queries):
    assert_same_query_count(anon, "/api/v1/reports/", django_assert_num_queries)


def test_signed_in_reports_list(reviewer, many_reports, django_assert_num_queries):
    # A reviewer's list carries who created, submitted and reviewed each report.
    assert_same_query_count(client_with_token(reviewer), "/api/v1/reports/", django_assert_num_queries)


def test_filtered_reports_list(anon, austria, elections, django_assert_num_queries):
    bulk_verified_reports(ROWS, states=[austria], commitments=[elections])

    assert_same_query_count(anon, "/api/v1/reports/", django_assert_num_queries, theme="free-elections", state="AT")


def test_scorecards_list(anon, many_scorecards, django_assert_num_queries):
    assert_same_query_count(anon, "/api/v1/scorecards/", django_assert_num_queries)


def test_scorecards_list_by_group(anon, many_scorecards, django_assert_num_queries):
    assert_same_query_count(anon, "/api/v1/scorecards/", django_assert_num_queries, group="eu")


def test_group_scorecards_list(anon, many_scorecards, django_assert_num_queries):
    assert_same_query_count(anon, "/api/v1/group-scorecards/", django_assert_num_queries)


def test_commitments_list(anon, many_commitments, django_assert_num_queries):
    assert_same_query_count(anon, "/api/v1/commitments/", django_assert_num_queries)


def test_states_list(anon, many_states, django_assert_num_queries):
    assert_same_query_count(anon, "/api/v1/states/", django_assert_num_queries)


def test_groups_list(anon, many_states, django_assert_num_queries):
    # One group with 120 members: the memberships are prefetched, not fetched per group.
    with django_assert_num_queries(3):  # count, groups, memberships
        anon.get("/api/v1/groups/")
