"""Issue 10, item 12: links with markup and upper-case slugs are refused, naming the field."""

import pytest

from commitments.models import Report, Theme

from .test_reports import REPORT


@pytest.mark.parametrize(
    "url",
    [
        'https://example.org/"><script>alert(1)</script>',
        "https://example.org/a<b",
        "https://example.org/a b",
        "https://example.org/it's",
        "https://example.org/\u202egpj.exe",
    ],
)
def test_a_source_url_with_quotes_brackets_or_spaces_is_refused(reporter_client, austria, elections, url):
    response = reporter_client.post("/api/v1/reports/", REPORT | {"source_url": url}, format="json")

    assert response.status_code == 400
    assert "source_url" in response.json()
    assert not Report.objects.exists()


def test_a_percent_encoded_source_url_is_accepted(reporter_client, austria, elections):
    url = "https://example.org/search?q=%22free%20media%22&lang=en#p-7"
    response = reporter_client.post("/api/v1/reports/", REPORT | {"source_url": url}, format="json")

    assert response.status_code == 201, response.content
    assert Report.objects.get().source_url == url


def test_the_schema_says_source_url_is_a_uri(anon, db):
    schema = anon.get("/api/v1/schema/", {"format": "json"}).json()

    source_url = schema["components"]["schemas"]["ReportWriteRequest"]["properties"]["source_url"]
    assert {"type": "string", "format": "uri", "maxLength": 500} in source_url["oneOf"]


def test_a_theme_with_an_upper_case_slug_is_refused(as_user, catalogue_editor):
    response = as_user(catalogue_editor).post(
        "/api/v1/themes/", {"slug": "Free-Media", "name": "Free media"}, format="json"
    )

    assert response.status_code == 400
    assert "slug" in response.json()
    assert not Theme.objects.exists()


def test_a_lower_case_theme_can_be_fetched_after_creation(as_user, catalogue_editor, anon):
    theme = {"slug": "free-media", "name": "Free media"}
    created = as_user(catalogue_editor).post("/api/v1/themes/", theme, format="json")

    assert created.status_code == 201
    assert anon.get("/api/v1/themes/free-media/").status_code == 200
