"""No page asks for something that is not there: no 404 for the favicon or any other small asset.

Chromium opens pages of the admin, the public site, the API docs and a subscriber page, and records
every sub-request that failed or answered 4xx/5xx. Headless Chromium may not fetch icons by itself,
so the icons each page declares (and /favicon.ico, which browsers ask for unprompted) are fetched
explicitly.
"""

import pytest

from commitments.models import Report
from commitments.services import report_create_draft
from tests.e2e.browser import allow_orm_beside_playwright, block_other_hosts, chromium_browser  # noqa: F401
from tests.factories import CommitmentFactory, StateFactory, UserFactory

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery staple"
TIMEOUT_MS = 20_000
ICONS = "() => [...document.querySelectorAll('link[rel~=icon]')].map(link => link.href)"


@pytest.fixture
def report(transactional_db) -> Report:
    UserFactory(username="ada-admin", is_superuser=True)
    return report_create_draft(
        user=UserFactory(username="rita-reporter", groups=["Reporters"]),
        state=StateFactory(code="AT", name="Austria"),
        commitment=CommitmentFactory(code="COP-1990-7.3"),
        kind="implementation",
        level="partial",
        observed_on="2010-05-04",
        summary="Observers had access to all polling stations.",
        source="odihr",
    )


def pages(report: Report) -> list[str]:
    admin = f"/admin/commitments/report/{report.pk}"
    return [
        "/",
        "/methodology/",
        "/subscribe/",
        "/subscriptions/confirm/not-a-link/",
        "/api/v1/docs/",
        "/api/v1/redoc/",
        "/admin/",
        "/admin/commitments/report/",
        f"{admin}/change/",
        f"{admin}/history/",
        "/admin/states/state/",
    ]


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", "ada-admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def record_error_response(response, problems: list) -> None:
    # The page itself may be an error page (a bad subscriber link is a 400); what it loads may not.
    if response.status >= 400 and not response.request.is_navigation_request():
        problems.append((response.status, response.url))


def record_failure(request, problems: list) -> None:
    # Not a missing asset: a policy block never leaves the browser (ReDoc's CDN logo, see
    # test_offline_docs.py), and a fetch still running when the next page loads is cancelled.
    if request.failure not in ("csp", "net::ERR_ABORTED"):
        problems.append((request.failure, request.url))


def test_no_page_asks_for_an_asset_that_is_missing(live_server, report):
    problems, icons = [], {"/favicon.ico"}
    with chromium_browser() as browser:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        blocked = block_other_hosts(context)
        page = context.new_page()
        page.on("response", lambda response: record_error_response(response, problems))
        page.on("requestfailed", lambda request: record_failure(request, problems))
        log_in(page, live_server.url)
        for path in pages(report):
            page.goto(live_server.url + path, wait_until="networkidle")
            icons.update(page.evaluate(ICONS))
        icon_status = {url: context.request.get(url if "://" in url else live_server.url + url).status for url in icons}
        context.close()

    assert problems == []
    assert blocked == []
    assert len(icons) >= 2  # the pages declare an icon besides /favicon.ico
    assert icon_status == dict.fromkeys(icons, 200)
