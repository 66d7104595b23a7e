"""The public site in Chromium: heatmap, a State, a commitment, subscribing; axe-core; no other host.

Screenshots go to $E2E_SCREENSHOT_DIR (default: a directory under /tmp) so a person can look at them.
"""

import datetime
import json
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from commitments.models import Commitment
from corfu_tracker.celery import app as celery_app
from scorecards.services import scorecards_compute_year
from states.models import State
from tests.e2e.browser import allow_orm_beside_playwright, block_other_hosts, chromium_browser  # noqa: F401
from tests.factories import ReportFactory

pytestmark = pytest.mark.integration
TIMEOUT_MS = 20_000
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = (375, 1440)


@pytest.fixture
def published(transactional_db):
    """The real reference data, a few hundred verified reports in 2025, and the 2025 scorecards."""
    call_command("load_reference", verbosity=0)
    states = list(State.objects.order_by("code")[:20])
    commitments = list(Commitment.objects.order_by("sort_key")[::4])
    levels = ["full", "partial", "none", "full"]
    for s, state in enumerate(states):
        for c, commitment in enumerate(commitments):
            if (s + c) % 3:
                continue
            observed = max(datetime.date(2025, 8, 1), commitment.in_force_from)
            ReportFactory(
                state=state, commitment=commitment, level=levels[(s * c) % 4], observed_on=observed, verified=True
            )
    scorecards_compute_year(year=2025)
    return states


@pytest.fixture
def eager_celery():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def shots(tmp_path):
    directory = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def axe_run(page) -> dict:
    """axe-core's violations (every impact) and the number of rules passed, on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => { const r = await axe.run(document); return {violations: r.violations, passes: r.passes.length,"
        " version: axe.version}; }"
    )
    violations = [
        {"id": item["id"], "impact": item["impact"], "nodes": [node["target"] for node in item["nodes"]][:5]}
        for item in results["violations"]
    ]
    return {"version": results["version"], "passes": results["passes"], "violations": violations}


def serious(results: dict) -> list[dict]:
    return [item for item in results["violations"] if item["impact"] in ("serious", "critical")]


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_reader_browses_subscribes_and_nothing_leaves_the_machine(live_server, published, eager_celery, shots):
    axe_results = {}
    with chromium_browser() as browser:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        blocked = block_other_hosts(context)
        page = context.new_page()
        failed, errors = [], []
        # The browser cancels an icon fetch still under way when the next page starts loading: not a failure.
        page.on(
            "requestfailed",
            lambda request: None if "favicon" in request.url else failed.append(f"{request.url} {request.failure}"),
        )
        page.on("pageerror", lambda error: errors.append(str(error)))

        # The heatmap: pick a period and a group, then sort by a column.
        page.goto(f"{live_server.url}/")
        assert page.locator("table.heatmap tbody tr").count() >= 20
        page.keyboard.press("Tab")  # keyboard users first meet the skip link
        assert page.evaluate("document.activeElement.className") == "skip-link"
        page.select_option("#id_period", "2025-Q3")
        page.select_option("#id_group", "eu")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url(re.compile(r"period=2025-Q3&group=eu"))
        assert "Scores for 2025-Q3 (method 2): European Union" in page.locator("caption").first.inner_text()
        page.locator("th.col-overall a").click()
        page.wait_for_url(re.compile(r"sort=-overall"))
        assert page.locator("th.col-overall").get_attribute("aria-sort") == "descending"
        assert page.locator("select#id_group option[selected]").get_attribute("value") == "eu"
        page.screenshot(path=str(shots / "heatmap-1440.png"), full_page=True)
        axe_results["/"] = axe_run(page)

        # Follow a State that has reports, then a commitment from its latest reports.
        page.goto(f"{live_server.url}/?period=2025-Q3")
        page.get_by_role("link", name=published[0].name, exact=True).click()
        page.wait_for_url(f"**/states/{published[0].code}/")
        assert page.locator("svg.chart").count() >= 1
        page.screenshot(path=str(shots / "state-1440.png"), full_page=True)
        axe_results["state"] = axe_run(page)
        page.locator("ul.reports a[href^='/commitments/']").first.click()
        page.wait_for_url("**/commitments/**")
        assert page.locator("table.status-grid tbody tr").count() >= 50
        page.screenshot(path=str(shots / "commitment-1440.png"), full_page=True)
        axe_results["commitment"] = axe_run(page)
        commitment_url = page.url

        page.goto(f"{live_server.url}/methodology/")
        axe_results["/methodology/"] = axe_run(page)

        # Subscribe through the form and confirm through the link in the email.
        page.goto(f"{live_server.url}/subscribe/")
        axe_results["/subscribe/"] = axe_run(page)
        page.get_by_label("Email address").fill("reader@example.org")
        page.check(f"input[name=states][value={published[0].code}]")
        page.get_by_role("button", name=re.compile("Subscribe")).click()
        page.get_by_text("Check your email").first.wait_for()
        # The text shows before the page's stylesheet has loaded; leaving now would cancel that fetch.
        page.wait_for_load_state("load")
        assert len(mail.outbox) == 1
        link = re.search(r"https?://\S+/subscriptions/confirm/[^\s/]+/", mail.outbox[0].body).group(0)
        page.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
        page.get_by_text("Subscription confirmed").first.wait_for()
        page.wait_for_load_state("load")

        # Narrow and wide: no page scrolls sideways; wide tables scroll in their own box.
        sideways = {}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            for name, url in [
                ("heatmap", "/?period=2025-Q3"),
                ("state", f"/states/{published[0].code}/"),
                ("commitment", commitment_url),
                ("subscribe", "/subscribe/"),
            ]:
                page.goto(url if url.startswith("http") else live_server.url + url)
                sideways[(name, width)] = page_scrolls_sideways(page)
                if width == 375:
                    page.screenshot(path=str(shots / f"{name}-375.png"), full_page=True)
        context.close()

    (shots / "axe.json").write_text(json.dumps(axe_results, indent=2))
    assert all(results["passes"] > 10 for results in axe_results.values())  # axe really ran
    assert {page: serious(results) for page, results in axe_results.items() if serious(results)} == {}
    assert not any(sideways.values()), sideways
    assert blocked == []
    assert failed == []
    assert errors == []
