"""Commitment pages: the list in natural code order with filters, and each State's latest status."""

import datetime
import re

import pytest
from django.utils import timezone

from public_site import selectors
from tests.factories import CommitmentFactory, ReportFactory, SourceDocumentFactory, StateFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(dims):
    copenhagen = SourceDocumentFactory(code="COP-1990", title="Copenhagen Document")
    vienna = SourceDocumentFactory(code="VD-2011", title="Vienna Document", adopted_on=datetime.date(2011, 11, 30))
    elections = ThemeFactory(slug="elections", name="Elections")
    return {
        "7.3": CommitmentFactory(
            code="COP-1990-7.3",
            document=copenhagen,
            title="Free elections",
            dimension=dims["human"],
            themes=[elections],
        ),
        "10": CommitmentFactory(
            code="COP-1990-10", document=copenhagen, title="Right to be heard", dimension=dims["human"]
        ),
        "9.1": CommitmentFactory(
            code="VD-2011-9.1",
            document=vienna,
            title="Exchange of military information",
            dimension=dims["politico-military"],
        ),
    }


def codes(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/commitments/([^/]+)/">', html)


def test_list_is_in_natural_code_order(client, catalogue):
    assert codes(client.get("/commitments/").content.decode()) == ["COP-1990-7.3", "COP-1990-10", "VD-2011-9.1"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dimension=politico-military", ["VD-2011-9.1"]),
        ("document=COP-1990", ["COP-1990-7.3", "COP-1990-10"]),
        ("theme=elections", ["COP-1990-7.3"]),
        ("q=heard", ["COP-1990-10"]),
    ],
)
def test_list_filters(client, catalogue, query, expected):
    assert codes(client.get(f"/commitments/?{query}").content.decode()) == expected


def test_unknown_filter_value_is_a_400_naming_the_field(client, catalogue):
    response = client.get("/commitments/?dimension=space")
    assert response.status_code == 400
    assert "Dimension: Choose one of the three dimensions" in response.content.decode()


def test_detail_says_what_where_and_since_when(client, catalogue):
    html = client.get("/commitments/COP-1990-7.3/").content.decode()
    assert "Free elections" in html and "Copenhagen Document" in html
    assert "<dt>Paragraph</dt><dd>" in html and "since 1990-06-29" in html


@pytest.fixture
def statuses(catalogue):
    commitment = catalogue["7.3"]
    austria = StateFactory(code="AT", name="Austria")
    france = StateFactory(code="FR", name="France")
    StateFactory(code="DE", name="Germany")
    today = timezone.localdate()
    ReportFactory(
        state=austria, commitment=commitment, level="full", observed_on=datetime.date(2019, 1, 1), verified=True
    )
    latest = ReportFactory(
        state=austria, commitment=commitment, level="partial", observed_on=datetime.date(2024, 1, 1), verified=True
    )
    ReportFactory(state=austria, commitment=commitment, level="none", observed_on=datetime.date(2025, 1, 1))  # draft
    for days in (10, 100):
        ReportFactory(
            state=france,
            commitment=commitment,
            violation=True,
            observed_on=today - datetime.timedelta(days=days),
            verified=True,
        )
    ReportFactory(
        state=france,
        commitment=commitment,
        violation=True,
        observed_on=today - datetime.timedelta(days=400),
        verified=True,
    )
    ReportFactory(state=france, commitment=catalogue["10"], violation=True, observed_on=today, verified=True)
    return commitment, latest


def test_grid_has_each_states_latest_verified_level_and_violations_of_the_last_year(statuses):
    commitment, latest = statuses
    grid = {row.code: row for row in selectors.commitment_status_grid(commitment=commitment)}
    assert (grid["AT"].level, grid["AT"].report_id, grid["AT"].violations) == ("partial", latest.pk, 0)
    assert (grid["FR"].level, grid["FR"].violations) == (None, 2)
    assert (grid["DE"].level, grid["DE"].violations) == (None, 0)


def test_grid_is_one_query(statuses, django_assert_num_queries):
    commitment, _ = statuses
    with django_assert_num_queries(1):
        selectors.commitment_status_grid(commitment=commitment)


def test_detail_page_shows_the_grid(client, statuses):
    commitment, latest = statuses
    html = client.get(f"/commitments/{commitment.code}/").content.decode()
    austria = re.search(r'<tr id="state-AT">.*?</tr>', html, re.DOTALL).group(0)
    assert f'<a href="/api/v1/reports/{latest.pk}/">partial</a>' in austria and "2024-01-01" in austria
    france = re.search(r'<tr id="state-FR">.*?</tr>', html, re.DOTALL).group(0)
    assert '<td class="violations">2</td>' in france


def test_unknown_commitment_is_404(client, catalogue):
    assert client.get("/commitments/NOPE-1/").status_code == 404
