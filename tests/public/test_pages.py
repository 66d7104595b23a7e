"""The site's own pages: the root says what this is, the methodology renders, no favicon 404."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_root_is_the_site_home_not_the_api_root(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"Api Root" not in response.content


@pytest.mark.parametrize("link", ["/api/v1/docs/", "/methodology/", "/admin/"])
def test_root_links_to_api_docs_methodology_and_admin(client, link):
    assert f'href="{link}"'.encode() in client.get("/").content


def test_methodology_page_renders_the_methodology_document(client):
    html = client.get("/methodology/").content.decode()
    assert re.search(r"<h1[^>]*>Scoring method", html)
    assert "**" not in html  # Markdown was rendered, not shown raw
    assert "<li>" in html


def test_favicon_ico_redirects_to_an_icon_that_exists(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("public/favicon.svg")
    assert finders.find("public/favicon.svg")


@pytest.mark.parametrize("path", ["/", "/methodology/"])
def test_pages_declare_the_icon(client, path):
    assert b'rel="icon"' in client.get(path).content


def test_admin_pages_declare_the_icon(client, admin_user):
    client.force_login(admin_user)
    assert b'rel="icon"' in client.get("/admin/").content
