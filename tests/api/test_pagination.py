"""Cursor pages on reports, page numbers elsewhere, and a page size the client may move up to the cap."""

import base64
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings

from tests.factories import CommitmentFactory

from .conftest import bulk_verified_reports, verified_report


@pytest.fixture
def twenty_five_reports(austria, elections):
    return [verified_report(state=austria, commitment=elections) for _ in range(25)]


def test_cursor_pages_walk_every_report_once(anon, twenty_five_reports):
    seen, url, pages = [], "/api/v1/reports/?page_size=10", 0
    while url:
        body = anon.get(url).json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1

    assert pages == 3
    assert seen == sorted((r.pk for r in twenty_five_reports), reverse=True)
    assert len(seen) == len(set(seen))


def test_cursor_previous_link_goes_back(anon, twenty_five_reports):
    first = anon.get("/api/v1/reports/", {"page_size": 10}).json()
    second = anon.get(first["next"]).json()

    assert first["previous"] is None
    assert anon.get(second["previous"]).json()["results"] == first["results"]


def test_cursor_pages_keep_the_filters(anon, twenty_five_reports, belgium):
    verified_report(state=belgium, commitment=twenty_five_reports[0].commitment)

    first = anon.get("/api/v1/reports/", {"page_size": 10, "state": "AT"}).json()
    rest = anon.get(first["next"]).json()

    assert parse_qs(urlsplit(first["next"]).query)["state"] == ["AT"]
    assert {row["state"] for row in first["results"] + rest["results"]} == {"AT"}


def test_cursor_pages_survive_new_reports(anon, twenty_five_reports, austria, elections):
    first = anon.get("/api/v1/reports/", {"page_size": 10}).json()
    verified_report(state=austria, commitment=elections)

    second = anon.get(first["next"]).json()

    assert second["results"][0]["id"] == first["results"][-1]["id"] - 1


def test_reports_never_count(anon, twenty_five_reports, django_assert_num_queries):
    # One query for the page: no COUNT(*) over millions of rows.
    with django_assert_num_queries(1) as captured:
        anon.get("/api/v1/reports/", {"page_size": 10})

    assert "COUNT(" not in captured.captured_queries[0]["sql"].upper()


def test_reports_default_page_size_is_50(anon, austria, elections):
    bulk_verified_reports(60, states=[austria], commitments=[elections])

    assert len(anon.get("/api/v1/reports/").json()["results"]) == 50


@pytest.mark.parametrize("url", ["/api/v1/reports/", "/api/v1/commitments/", "/api/v1/states/", "/api/v1/scorecards/"])
@pytest.mark.parametrize("size", [settings.API_MAX_PAGE_SIZE + 1, 0, -5, "ten", ""])
def test_a_page_size_outside_the_range_is_a_400_naming_page_size(anon, db, url, size):
    response = anon.get(url, {"page_size": size})

    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]
    assert isinstance(response.json()["page_size"], list)  # a list of messages, like every field error


def test_page_size_may_rise_to_the_cap(anon, austria, elections):
    bulk_verified_reports(settings.API_MAX_PAGE_SIZE + 5, states=[austria], commitments=[elections])

    response = anon.get("/api/v1/reports/", {"page_size": settings.API_MAX_PAGE_SIZE})

    assert response.status_code == 200
    assert len(response.json()["results"]) == settings.API_MAX_PAGE_SIZE


def test_catalogue_lists_use_page_numbers(anon, human):
    for number in range(12):
        CommitmentFactory(code=f"COP-1990-{number:02}", dimension=human)

    first = anon.get("/api/v1/commitments/", {"page_size": 5}).json()
    last = anon.get("/api/v1/commitments/", {"page_size": 5, "page": 3}).json()
    raised = anon.get("/api/v1/commitments/", {"page_size": 100}).json()

    assert (first["count"], len(first["results"]), first["previous"]) == (12, 5, None)
    assert parse_qs(urlsplit(first["next"]).query)["page"] == ["2"]
    assert (len(last["results"]), last["next"]) == (2, None)
    assert len(raised["results"]) == 12


@pytest.mark.parametrize("page", ["4", "0", "last-but-one"])
def test_a_page_beyond_the_end_is_a_404(anon, human, page):
    CommitmentFactory(code="COP-1990-7.3", dimension=human)

    response = anon.get("/api/v1/commitments/", {"page": page})

    assert response.status_code == 404
    assert "detail" in response.json()


def cursor(**values):
    return base64.b64encode(urlencode(values).encode()).decode()


@pytest.mark.parametrize(
    "value",
    [
        "not-a-cursor",
        cursor(p="abc"),  # a position that is not an id: was passed to the database as is (a 500)
        cursor(p="1.5"),
        cursor(o="x"),
        cursor(r="1", p="2010-05-04"),
    ],
)
def test_a_bad_cursor_is_a_404(anon, twenty_five_reports, value):
    response = anon.get("/api/v1/reports/", {"cursor": value})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid cursor"}


def test_a_forged_position_of_the_wrong_type_for_the_ordering_is_a_404(anon, twenty_five_reports):
    response = anon.get("/api/v1/reports/", {"ordering": "observed_on", "cursor": cursor(p="not-a-date")})

    assert response.status_code == 404


def test_a_hand_made_valid_cursor_works(anon, twenty_five_reports):
    below = twenty_five_reports[10].pk

    response = anon.get("/api/v1/reports/", {"cursor": cursor(p=str(below)), "page_size": 3})

    assert [row["id"] for row in response.json()["results"]] == [below - 1, below - 2, below - 3]
