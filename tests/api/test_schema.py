"""The OpenAPI schema: generated without warnings, served, and honest about errors and anonymous access."""

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from tests.factories import UserFactory

from .conftest import client_with_token


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))

    document = yaml.safe_load(target.read_text())
    assert document["openapi"].startswith("3.")
    assert "/api/v1/reports/{id}/verify/" in document["paths"]


def test_schema_is_served(anon, db):
    response = anon.get("/api/v1/schema/")

    assert response.status_code == 200
    assert "/api/v1/scorecards/{id}/explain/" in yaml.safe_load(response.content)["paths"]


def test_schema_is_served_as_json(anon, db):
    response = anon.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Corfu Tracker API"


def test_swagger_ui_is_served(anon, db):
    response = anon.get("/api/v1/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content


def test_schema_does_not_depend_on_who_asks(anon, db):
    # The report list once documented the staff serializer to signed-in callers and the public one to others.
    staff = client_with_token(UserFactory(is_superuser=True))

    assert staff.get("/api/v1/schema/").content == anon.get("/api/v1/schema/").content


def test_every_documented_path_is_under_the_api(schema):
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/reports/", "post", {"201", "400", "401", "403", "414", "429"}),
        ("/api/v1/reports/", "get", {"200", "400", "401", "404", "414", "429"}),
        ("/api/v1/reports/{id}/verify/", "post", {"200", "400", "401", "403", "404", "412", "414", "429"}),
        ("/api/v1/states/{code}/", "get", {"200", "401", "404", "414", "429"}),
        ("/api/v1/scorecards/recompute/", "post", {"202", "400", "401", "403", "414", "429"}),
        ("/api/v1/auth/token/", "post", {"200", "400", "401", "403", "414", "429"}),
    ],
)
def test_error_responses_are_documented(schema, path, method, codes):
    assert set(schema["paths"][path][method]["responses"]) == codes


def test_errors_are_documented_as_json(schema):
    responses = schema["paths"]["/api/v1/reports/"]["get"]["responses"]

    assert set(responses["200"]["content"]) == {"application/json", "text/csv"}
    assert set(responses["400"]["content"]) == {"application/json"}
    assert responses["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}


@pytest.mark.parametrize(
    ("path", "method", "anonymous"),
    [
        ("/api/v1/commitments/", "get", True),  # DjangoModelPermissionsOrAnonReadOnly
        ("/api/v1/themes/{slug}/", "get", True),
        ("/api/v1/reports/", "get", True),
        ("/api/v1/scorecards/", "get", True),
        ("/api/v1/commitments/", "post", False),
        ("/api/v1/reports/", "post", False),
        ("/api/v1/scorecards/recompute/", "post", False),
    ],
)
def test_anonymous_access_is_declared_where_allowed(schema, path, method, anonymous):
    assert ({} in schema["paths"][path][method]["security"]) is anonymous


def test_blank_level_severity_and_link_are_documented(schema):
    report = schema["components"]["schemas"]["Report"]["properties"]

    for name in ("level", "severity", "source_url"):
        assert "oneOf" in report[name], name


def test_report_create_documents_the_contract_example(schema):
    content = schema["paths"]["/api/v1/reports/"]["post"]["requestBody"]["content"]["application/json"]

    example = next(iter(content["examples"].values()))["value"]
    assert (example["state"], example["commitment"]) == ("AT", "COP-1990-7.3")


def test_the_web_servers_url_length_limit_is_documented_as_html(schema):
    # gunicorn answers a request line over its limit itself, in HTML, before Django sees it.
    response = schema["paths"]["/api/v1/reports/"]["get"]["responses"]["414"]

    assert set(response["content"]) == {"text/html"}


def test_stale_write_refusal_is_documented_on_each_workflow_step(schema):
    for step in ["submit", "verify", "reject", "retract"]:
        operation = schema["paths"][f"/api/v1/reports/{{id}}/{step}/"]["post"]
        assert "412" in operation["responses"]
        assert "If-Match" in [parameter["name"] for parameter in operation["parameters"]]
    assert "ETag" in schema["paths"]["/api/v1/reports/{id}/"]["get"]["responses"]["200"]["headers"]
