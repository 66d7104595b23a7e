"""Shared fixtures for the REST API tests: clients for the personas and a small published dataset."""

import datetime

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commitments import services
from commitments.models import Report, ReportStatus
from scorecards.services import scorecards_compute_period
from tests.factories import (
    CommitmentFactory,
    DimensionFactory,
    MembershipFactory,
    ReportFactory,
    StateFactory,
    StateGroupFactory,
    ThemeFactory,
    UserFactory,
)

D = datetime.date


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Throttle history lives in the (locmem) cache; no test inherits another's requests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon():
    return APIClient()


def client_with_token(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def as_user(db):
    """`as_user(user)`: an API client authenticated with the user's token."""
    return client_with_token


@pytest.fixture
def reporter_client(reporter):
    return client_with_token(reporter)


@pytest.fixture
def other_reporter_client(other_reporter):
    return client_with_token(other_reporter)


@pytest.fixture
def reviewer_client(reviewer):
    return client_with_token(reviewer)


# A small catalogue: two States, two dimensions, two themes, three commitments.
@pytest.fixture
def austria(db):
    return StateFactory(code="AT", iso3="AUT", name="Austria", admitted_on=D(1973, 6, 25))


@pytest.fixture
def belgium(db):
    return StateFactory(code="BE", iso3="BEL", name="Belgium", admitted_on=D(1973, 6, 25))


@pytest.fixture
def human(db):
    return DimensionFactory(slug="human", name="Human", position=3)


@pytest.fixture
def polmil(db):
    return DimensionFactory(slug="politico-military", name="Politico-military", position=1)


@pytest.fixture
def elections_theme(db):
    return ThemeFactory(slug="free-elections", name="Free elections")


@pytest.fixture
def csbm_theme(db):
    return ThemeFactory(slug="arms-control-csbms", name="Arms control and CSBMs")


@pytest.fixture
def elections(human, elections_theme):
    return CommitmentFactory(
        code="COP-1990-7.3",
        document__code="COP-1990",
        document__adopted_on=D(1990, 6, 29),
        title="Universal and equal suffrage",
        summary="States guarantee universal and equal suffrage to adult citizens.",
        dimension=human,
        themes=[elections_theme],
    )


@pytest.fixture
def media(human):
    return CommitmentFactory(
        code="COP-1990-9.1",
        document__code="COP-1990",
        title="Freedom of expression",
        summary="Everyone has the right to freedom of expression, including the media.",
        dimension=human,
    )


@pytest.fixture
def inspections(polmil, csbm_theme):
    return CommitmentFactory(
        code="VD-2011-IX.inspection",
        document__code="VD-2011",
        document__adopted_on=D(2011, 11, 30),
        title="Inspections",
        summary="States accept inspections of specified areas.",
        dimension=polmil,
        themes=[csbm_theme],
    )


def verified_report(**fields):
    return ReportFactory(verified=True, **fields)


@pytest.fixture
def draft_by_reporter(reporter, austria, elections):
    """A draft written through the API's service, owned by the reporter."""
    return services.report_create_draft(
        user=reporter,
        state=austria,
        commitment=elections,
        kind="implementation",
        level="partial",
        observed_on=D(2010, 5, 4),
        summary="Draft: the election law was mostly applied.",
        source="odihr",
        source_url="https://www.osce.org/odihr/elections/austria",
    )


@pytest.fixture
def submitted_by_reporter(draft_by_reporter, reporter):
    return services.report_submit(report=draft_by_reporter, user=reporter)


@pytest.fixture
def eu(austria):
    group = StateGroupFactory(slug="eu", name="European Union")
    MembershipFactory(group=group, state=austria, joined_on=D(1995, 1, 1))
    return group


@pytest.fixture
def scored(austria, belgium, eu, human, polmil, elections, media, inspections):
    """Verified reports for 2010 and the scorecards of 2010-Q1 and 2010-Q2.

    In 2010-Q2 Austria has elections `full` (100) and a grave violation of media freedom (100 - 50 = 50):
    human 75.0; Belgium has elections `partial` (50) from Q1: human 50.0. Inspections (VD-2011) are not yet
    in force, so no politico-military commitment is.
    """
    verified_report(state=austria, commitment=elections, level="full", observed_on=D(2010, 5, 4))
    verified_report(state=austria, commitment=media, violation=True, severity="grave", observed_on=D(2010, 4, 10))
    verified_report(state=belgium, commitment=elections, level="partial", observed_on=D(2010, 2, 1))
    scorecards_compute_period(period="2010-Q1")
    scorecards_compute_period(period="2010-Q2")


def bulk_verified_reports(count: int, *, states, commitments) -> list[Report]:
    """Many verified reports in one INSERT, cycling through the States and commitments given."""
    submitter, reviewer = UserFactory(), UserFactory()
    return Report.objects.bulk_create(
        Report(
            state=states[number % len(states)],
            commitment=commitments[number % len(commitments)],
            kind="implementation",
            level="partial",
            observed_on=D(2010, 5, 4) + datetime.timedelta(days=number % 365),
            summary=f"Bulk report {number}.",
            source="odihr",
            source_url=f"https://www.osce.org/odihr/bulk-report-{number}",
            status=ReportStatus.VERIFIED,
            ever_verified=True,
            created_by=submitter,
            submitted_by=submitter,
            reviewed_by=reviewer,
        )
        for number in range(count)
    )
