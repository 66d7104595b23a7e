"""API filters take a State as its code in either case or by name; an unknown one gets a 400 naming it."""

import pytest


@pytest.mark.parametrize("term", ["AT", "at", "Austria", "AUT"])
def test_report_filter_accepts_codes_in_either_case_and_names(anon, scored, term):
    response = anon.get("/api/v1/reports/", {"state": term})
    assert response.status_code == 200
    assert {row["state"] for row in response.json()["results"]} == {"AT"}


def test_report_filter_names_an_unknown_state_code(anon, scored):
    response = anon.get("/api/v1/reports/", {"state": "XQ"})
    assert response.status_code == 400
    assert list(response.json()) == ["state"]
    assert "XQ" in response.json()["state"][0]
    assert "Select a valid choice" not in response.json()["state"][0]


def test_scorecard_filter_accepts_lower_case_codes(anon, scored):
    response = anon.get("/api/v1/scorecards/", {"state": "be"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows and {row["state"] for row in rows} == {"BE"}


def test_scorecard_filter_names_an_unknown_state(anon, scored):
    response = anon.get("/api/v1/scorecards/", {"state": "Atlantis"})
    assert response.status_code == 400
    assert "Atlantis" in response.json()["state"][0]
