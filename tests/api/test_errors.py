"""Malformed requests get a 4xx with a JSON body, never a 500 and never an HTML page."""

import pytest


def test_an_unknown_api_url_is_a_json_404(anon, db):
    response = anon.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_lookup_the_route_refuses_is_a_json_404(anon, db):
    response = anon.get("/api/v1/commitments/not%20a%20code/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_pages_outside_the_api_keep_the_html_404(client, db):
    response = client.get("/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/dimensions/hu%00man/",
        "/api/v1/themes/a%00/",
        "/api/v1/commitments/COP%00/",
        "/api/v1/reports/1%00/",
        "/api/v1/scorecards/abc/",
        "/api/v1/reports/99999999999999999999999/",
    ],
)
def test_a_malformed_lookup_is_a_404_not_a_server_error(anon, db, url):
    # On PostgreSQL a NUL character reaching a query raises an error: it must be refused before.
    response = anon.get(url)

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/reports/?observed_after=9999-99-99", "observed_after"),
        ("/api/v1/scorecards/?period=2010-Q5", "period"),
        ("/api/v1/scorecards/?dimension=nope", "dimension"),
        ("/api/v1/reports/?state=XX", "state"),
        ("/api/v1/commitments/?in_force_on=0000-01-01", "in_force_on"),
        ("/api/v1/states/?admitted_before=1973-02-30", "admitted_before"),
        ("/api/v1/group-scorecards/?group=nope", "group"),
    ],
)
def test_a_bad_query_parameter_is_a_json_400_naming_it(anon, db, url, parameter):
    response = anon.get(url)

    assert response.status_code == 400
    assert parameter in response.json()


def test_a_wrong_method_is_a_405(reporter_client):
    assert reporter_client.delete("/api/v1/dimensions/").status_code == 405


def test_a_wrong_method_asking_for_csv_is_still_a_405(reporter_client):
    # CSV is offered on the list route only; the unknown format used to win over the wrong method (a 404).
    response = reporter_client.generic("TRACE", "/api/v1/reports/?format=csv")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


def test_an_unsupported_media_type_is_a_415(reporter_client, austria, elections):
    response = reporter_client.post("/api/v1/reports/", "state=AT", content_type="text/plain")

    assert response.status_code == 415
