"""The interactive API docs render with every request to another host blocked (no CDN)."""

import os

import pytest

from tests.e2e.browser import allow_orm_beside_playwright, block_other_hosts, chromium_browser  # noqa: F401

pytestmark = pytest.mark.integration
TIMEOUT_MS = 20_000


def test_swagger_ui_lists_the_operations_without_internet(live_server, transactional_db):
    with chromium_browser() as browser:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        blocked = block_other_hosts(context)
        page = context.new_page()
        failed = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto(f"{live_server.url}/api/v1/docs/")
        page.locator(".opblock").first.wait_for()
        assert page.locator(".opblock").count() > 30
        assert page.get_by_text("/api/v1/reports/", exact=True).first.is_visible()
        if screenshot := os.environ.get("E2E_SCREENSHOT_DIR"):
            page.screenshot(path=f"{screenshot}/api-docs.png")
        context.close()
    assert blocked == []
    assert failed == []


def test_redoc_lists_the_operations_without_internet(live_server, transactional_db):
    with chromium_browser() as browser:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        blocked = block_other_hosts(context)
        page = context.new_page()
        failed = []
        page.on("requestfailed", lambda request: failed.append((request.url, request.failure)))
        page.goto(f"{live_server.url}/api/v1/redoc/")
        page.get_by_text("Corfu Tracker API").first.wait_for()
        operations = page.locator("[data-section-id^='operation/']")
        operations.first.wait_for()
        assert operations.count() > 30
        assert page.locator("[data-section-id='operation/reports_list']").count() == 1
        if screenshot := os.environ.get("E2E_SCREENSHOT_DIR"):
            page.screenshot(path=f"{screenshot}/api-redoc.png")
        context.close()
    assert blocked == []
    # ReDoc's sidebar always asks for its logo on cdn.redoc.ly: the page's policy stops that in the browser.
    assert [(url, why) for url, why in failed if why != "csp"] == []
