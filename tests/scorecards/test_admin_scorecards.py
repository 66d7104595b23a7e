"""Scorecards in the admin: staff groups read them, nobody edits them, filters name the overall row."""

import datetime

import pytest

from scorecards.services import scorecards_compute_period
from tests.factories import CommitmentFactory, DimensionFactory, ReportFactory, StateFactory, UserFactory

D = datetime.date


@pytest.fixture
def computed(db):
    austria = StateFactory(code="AT", iso3="AUT", name="Austria", admitted_on=D(1973, 6, 25))
    human = DimensionFactory(slug="human", name="Human", position=3)
    commitment = CommitmentFactory(dimension=human, document__adopted_on=D(1990, 6, 29))
    ReportFactory(state=austria, commitment=commitment, verified=True, level="full", observed_on=D(2010, 5, 4))
    scorecards_compute_period(period="2010-Q2")


@pytest.mark.parametrize("group", ["Reporters", "Reviewers"])
def test_staff_groups_can_read_scorecards(client, computed, group):
    client.force_login(UserFactory(groups=[group]))
    response = client.get("/admin/scorecards/scorecard/")
    assert response.status_code == 200
    assert b"Austria" in response.content


def test_reporters_cannot_change_scorecards(client, computed):
    client.force_login(UserFactory(groups=["Reporters"]))
    scorecard_id = client.get("/admin/scorecards/scorecard/").context["cl"].result_list[0].pk
    response = client.post(f"/admin/scorecards/scorecard/{scorecard_id}/change/", {"score": "1"})
    assert response.status_code == 403
    assert client.get("/admin/scorecards/scorecard/add/").status_code == 403


def test_dimension_filter_offers_overall_by_name(client, computed, admin_user):
    client.force_login(admin_user)
    html = client.get("/admin/scorecards/scorecard/").content.decode()
    assert "?dimension=overall" in html
    assert ">Overall</a>" in html


def test_overall_filter_shows_only_overall_rows(client, computed, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/scorecards/scorecard/", {"dimension": "overall"})
    rows = response.context["cl"].result_list
    assert rows and all(row.dimension_id is None for row in rows)


def test_scorecards_filter_by_state_and_period(client, computed, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/scorecards/scorecard/", {"period": "2010-Q2", "state__code__exact": "AT"})
    rows = response.context["cl"].result_list
    assert rows and {(row.period.label, row.state_id) for row in rows} == {("2010-Q2", "AT")}


def overall_scorecard_url(client) -> str:
    rows = client.get("/admin/scorecards/scorecard/", {"dimension": "overall"}).context["cl"].result_list
    return f"/admin/scorecards/scorecard/{rows[0].pk}/change/"


def readonly_field_text(html: str, field: str) -> str:
    """The text of a read-only field on an admin change page."""
    block = html[html.index(f"field-{field}") :]
    block = block[block.index('<div class="readonly">') + len('<div class="readonly">') :]
    return block[: block.index("</div>")].strip()


@pytest.mark.parametrize("group", ["Reporters", "Reviewers"])
def test_staff_groups_open_an_overall_scorecard_read_only_labelled_overall(client, computed, group):
    client.force_login(UserFactory(groups=[group]))

    response = client.get(overall_scorecard_url(client))

    assert response.status_code == 200
    html = response.content.decode()
    assert readonly_field_text(html, "dimension_display") == "Overall"
    assert html.count("field-dimension_display") == 1
    assert 'name="_save"' not in html


def test_reviewers_cannot_change_scorecards(client, computed):
    client.force_login(UserFactory(groups=["Reviewers"]))

    response = client.post(overall_scorecard_url(client), {"score": "1"})

    assert response.status_code == 403
    assert client.get("/admin/scorecards/scorecard/add/").status_code == 403


@pytest.mark.parametrize("group", ["Reporters", "Reviewers"])
def test_staff_groups_can_read_group_scorecards_and_periods(client, computed, group):
    client.force_login(UserFactory(groups=[group]))

    assert client.get("/admin/scorecards/groupscorecard/").status_code == 200
    assert client.get("/admin/scorecards/period/").status_code == 200
