"""Headless Chromium for the end-to-end tests, driven by Playwright (Debian's package, no `playwright install`).

Without the browser a test is skipped, unless CI is set: then it fails, so a CI machine
cannot silently lose this coverage.
"""

import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def allow_orm_beside_playwright(monkeypatch):
    # Playwright's sync API runs an asyncio event loop in this thread (in a greenlet),
    # so Django would refuse ORM calls made here while the browser is open
    # (SynchronousOnlyOperation). The ORM and Playwright never run concurrently in
    # this test, so that guard is safely lifted, for this module's tests only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@contextmanager
def chromium_browser():
    """A headless Chromium driven by Playwright; the test fails (CI) or skips without it."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install the Debian package `chromium` to run the browser tests."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop is marked running, Django keeps a separate set of
            # connections (asgiref's Local is per context then, not per thread): close
            # the ones this test opened, or PostgreSQL refuses to drop the test database.
            connections.close_all()


LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def block_other_hosts(context) -> list[str]:
    """Abort every request that is not to this machine; returns the list of blocked URLs."""
    blocked = []

    def route(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return blocked
