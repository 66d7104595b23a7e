"""Issue 10, item 5: a malformed, too deep or too large request body is a JSON 4xx, never a 500 or an HTML page."""

import json

import pytest
from rest_framework.test import APIClient

ENDPOINTS = ["/api/v1/subscriptions/", "/api/v1/auth/token/"]


@pytest.fixture
def client(db):
    # Raise nothing through the test client: a 500 must show as a 500 response, as a server sends it.
    return APIClient(raise_request_exception=False)


def assert_json_error(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.mark.parametrize("url", ENDPOINTS)
def test_deeply_nested_json_is_a_json_400(client, url):
    response = client.post(url, "[" * 100_000, content_type="application/json")

    body = assert_json_error(response)
    assert "deep" in body["detail"]


def test_json_nested_one_level_past_the_limit_is_refused(client, settings):
    settings.API_MAX_JSON_DEPTH = 1
    body = json.dumps({"email": "someone@example.org", "states": [], "dimensions": []})

    response = client.post("/api/v1/subscriptions/", body, content_type="application/json")

    assert "deeper than 1" in assert_json_error(response)["detail"]


def test_json_within_the_depth_limit_is_parsed(client, settings):
    settings.API_MAX_JSON_DEPTH = 2
    body = json.dumps({"email": "someone@example.org", "states": [], "dimensions": []})

    response = client.post("/api/v1/subscriptions/", body, content_type="application/json")

    assert response.status_code == 202


def test_brackets_inside_strings_do_not_count_as_depth(client, settings):
    settings.API_MAX_JSON_DEPTH = 2
    body = json.dumps({"username": "[[[[{{{{", "password": ']]]}}\\"[[['})

    response = client.post("/api/v1/auth/token/", body, content_type="application/json")

    assert_json_error(response)  # wrong credentials: a 400 from the view, not from the parser
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("body", ['{"email": ', "\xff\xfe", "{'a': 1}", "NaN"])
def test_malformed_json_is_a_json_400(client, url, body):
    assert_json_error(client.post(url, body, content_type="application/json"))


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_body_over_the_upload_limit_is_a_json_413(client, settings, url):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post(url, json.dumps({"email": "x" * 2000}), content_type="application/json")

    assert_json_error(response, 413)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_form_with_too_many_fields_is_a_json_400(client, settings, url):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{number}=1" for number in range(50))

    assert_json_error(client.post(url, body, content_type="application/x-www-form-urlencoded"))


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_malformed_multipart_body_is_a_json_400(client, url):
    response = client.post(url, "--x\r\nnonsense", content_type="multipart/form-data; boundary=x")

    assert response.status_code in (400, 415)
    assert response["Content-Type"] == "application/json"
