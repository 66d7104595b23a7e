"""The subscriber emails read on a phone: at 375 px wide nothing scrolls sideways.

The digest is the HTML `preview_digest` writes (charts inlined); the confirmation email is
rendered as it is sent. Each is shown in Chromium with every request to another host
blocked. Screenshots go to /tmp/i12-digest-375.png and /tmp/i12-confirm-375.png (or to
$E2E_SCREENSHOT_DIR) so a person can look at them.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from scorecards import emails
from scorecards.subscriptions import confirm_url, confirm_valid_for, unsubscribe_url
from tests.e2e.browser import allow_orm_beside_playwright, block_other_hosts, chromium_browser  # noqa: F401
from tests.factories import ReportFactory, StateFactory
from tests.scorecards.factories import SubscriptionFactory, known_scores, scorecard

pytestmark = pytest.mark.integration
PHONE = {"width": 375, "height": 800}
EMAIL = "permanent.delegation.observer.desk@mission-to-the-osce.example.org"


@pytest.fixture
def digest_html(db, tmp_path) -> str:
    """A digest of three States, one with a long name and method 2 intervals, with demo data."""
    states, by_slug = known_scores()
    uk = StateFactory(code="GB", iso3="GBR", name="United Kingdom of Great Britain and Northern Ireland")
    for dimension, score in ((by_slug["human"], 71.8), (None, 69.9)):
        scorecard(uk, "2026-Q3", dimension, score=score, score_low=64.0, score_high=79.6, trend=-12.4, rank=3)
    scorecard(uk, "2026-Q3", by_slug["politico-military"], score=90.0, evidence="insufficient")
    ReportFactory(verified=True, source="synthetic_demo")
    SubscriptionFactory(email=EMAIL, states=[states["AT"], states["FR"], uk])
    call_command("preview_digest", EMAIL, "--period", "2026-Q3", "--out", str(tmp_path), stdout=io.StringIO())
    (html,) = tmp_path.glob("*.html")
    return html.read_text(encoding="utf-8")


@pytest.fixture
def confirm_html(db) -> str:
    states, _ = known_scores()
    subscription = SubscriptionFactory(email=EMAIL, pending=True, states=list(states.values()))
    message = emails.confirm_message(
        subscription=subscription,
        confirm_url=confirm_url(subscription),
        unsubscribe_url=unsubscribe_url(subscription),
        valid_for=confirm_valid_for(),
    )
    return message.alternatives[0][0]


def screenshot_path(name: str) -> Path:
    directory = os.environ.get("E2E_SCREENSHOT_DIR")
    return Path(directory) / f"{name}-375.png" if directory else Path(f"/tmp/i12-{name}-375.png")


def widths_at_375(html: str, name: str) -> dict:
    """The document's and the body's scroll widths with `html` shown 375 px wide; screenshots it."""
    with chromium_browser() as browser:
        context = browser.new_context(viewport=PHONE)
        blocked = block_other_hosts(context)
        page = context.new_page()
        page.set_content(html, wait_until="load")
        widths = page.evaluate(
            "() => ({document: document.documentElement.scrollWidth, body: document.body.scrollWidth})"
        )
        page.screenshot(path=str(screenshot_path(name)), full_page=True)
        context.close()
    assert blocked == []
    return widths


def test_digest_has_no_sideways_scroll_at_375_px(digest_html):
    widths = widths_at_375(digest_html, "digest")

    assert widths["document"] <= PHONE["width"], widths
    assert widths["body"] <= PHONE["width"], widths


def test_confirmation_email_has_no_sideways_scroll_at_375_px(confirm_html):
    widths = widths_at_375(confirm_html, "confirm")

    assert widths["document"] <= PHONE["width"], widths
    assert widths["body"] <= PHONE["width"], widths
