"""A State's page: the latest scores with rank and trend, history charts with their tables, memberships,
latest verified reports, downloads."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.factories import MembershipFactory, ReportFactory, StateFactory, StateGroupFactory

from .conftest import card

pytestmark = pytest.mark.django_db
QUARTERS = ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]


@pytest.fixture
def austria(dims):
    austria = StateFactory(code="AT", name="Austria")
    france = StateFactory(code="FR", name="France")
    for index, label in enumerate(QUARTERS):
        card(austria, label, None, score=60 + index, low=50 + index, high=70 + index, coverage="0.25")
        card(austria, label, dims["human"], score=70 + index, low=65, high=75 + index)
    card(austria, "2025-Q3", None, score=63, low=53, high=73, rank=2, trend="1.0", coverage="0.25", method=1)
    card(france, "2025-Q3", None, score=80, low=75, high=85, rank=1)
    Austria_rank = austria.scorecards.get(period__label="2025-Q3", dimension=None, method_version=2)
    Austria_rank.rank, Austria_rank.trend = 2, 1
    Austria_rank.save()
    return austria


def test_summary_shows_the_latest_periods_numbers_with_rank_of_ranked(client, austria):
    html = client.get("/states/AT/").content.decode()
    assert "Scores in 2025-Q3" in html
    overall = re.search(r'<tr class="summary-overall">.*?</tr>', html, re.DOTALL).group(0)
    cells = re.findall(r"<td>(.*?)</td>", overall)
    assert cells == ["63.0", "53.0–73.0", "sufficient", "25%", "2 of 2", "+1.0"]


def test_each_history_has_an_svg_chart_with_a_text_alternative(client, austria):
    html = client.get("/states/AT/").content.decode()
    chart = re.search(r'<svg role="img" aria-labelledby="chart-AT-overall-desc".*?</svg>', html, re.DOTALL).group(0)
    assert '<title id="chart-AT-overall-desc">Austria: Overall, 2024-Q4 to 2025-Q3: from 60.0 to 63.0' in chart


def test_history_table_has_the_same_numbers_as_the_rows(client, austria):
    html = client.get("/states/AT/").content.decode()
    table = re.search(r'<table class="data history-table" id="table-overall">.*?</table>', html, re.DOTALL).group(0)
    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>', table
    )
    assert rows == [
        ("2024-Q4", "60.0", "50.0", "70.0", "25%"),
        ("2025-Q1", "61.0", "51.0", "71.0", "25%"),
        ("2025-Q2", "62.0", "52.0", "72.0", "25%"),
        ("2025-Q3", "63.0", "53.0", "73.0", "25%"),
    ]


def test_memberships_over_time_are_listed(client, austria):
    eu = StateGroupFactory(slug="eu", name="European Union")
    MembershipFactory(group=eu, state=austria, joined_on=datetime.date(1995, 1, 1))
    html = client.get("/states/AT/").content.decode()
    assert '<tr><th scope="row">European Union</th><td>1995-01-01</td><td>–</td></tr>' in html


def test_latest_verified_reports_link_to_the_api_and_drafts_are_not_shown(client, austria):
    verified = ReportFactory(state=austria, verified=True)
    draft = ReportFactory(state=austria)
    html = client.get("/states/AT/").content.decode()
    assert f'href="/api/v1/reports/{verified.pk}/"' in html
    assert f"/api/v1/reports/{draft.pk}/" not in html


def test_downloads_link_to_the_api_with_the_state_filter(client, austria):
    html = client.get("/states/AT/").content.decode()
    assert 'href="/api/v1/scorecards/?state=AT&amp;format=csv"' in html
    assert 'href="/api/v1/scorecards/?state=AT&amp;format=json"' in html


def test_csv_download_link_answers_with_the_states_rows(client, austria):
    response = client.get("/api/v1/scorecards/?state=AT&format=csv")
    assert response.status_code == 200
    assert "text/csv" in response["Content-Type"]


def test_lower_case_code_redirects_and_unknown_code_is_404(client, austria):
    response = client.get("/states/at/")
    assert response.status_code == 301 and response["Location"] == "/states/AT/"
    assert client.get("/states/ZZ/").status_code == 404


def test_template_leaves_a_block_for_the_follow_up_sections():
    source = (Path(__file__).parents[2] / "public_site/templates/public/state.html").read_text()
    assert "{% block followup %}{% endblock %}" in source


def test_queries_do_not_grow_with_periods(client, dims, django_assert_max_num_queries):
    austria = StateFactory(code="AT", name="Austria")
    for round_labels in (QUARTERS[:1], [f"{year}-Q{q}" for year in range(2015, 2024) for q in range(1, 5)]):
        for label in round_labels:
            card(austria, label, None, score=60, low=50, high=70)
        cache.clear()
        with django_assert_max_num_queries(12):
            assert client.get("/states/AT/").status_code == 200


def test_a_warm_state_page_reads_only_the_data_version(client, austria, django_assert_num_queries):
    client.get("/states/AT/")
    with django_assert_num_queries(1):
        assert client.get("/states/AT/").status_code == 200
