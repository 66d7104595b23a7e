"""The interactive API docs load every script and style from this server, never from a CDN."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+\.(?:js|css|png|svg|ico))["']""")


def assets(html: str) -> list[str]:
    return ASSET.findall(html)


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_page_names_no_other_host(client, path):
    html = client.get(path).content.decode()
    assert assets(html), "the page should load its UI from static files"
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost|testserver)", html)


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_assets_are_served_from_the_projects_static_files(client, path):
    for url in assets(client.get(path).content.decode()):
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not among the static files"
