"""The report's change page in a real headless Chromium: the review buttons, and the form that fits the kind.

Needs the Debian `chromium` package (/usr/bin/chromium); skipped without it unless CI is set.
Every request to a host other than this machine is blocked. Set E2E_SCREENSHOT_DIR=/tmp/shots to keep
screenshots of the pages.
"""

import datetime
import os
from pathlib import Path

import pytest

from commitments.models import Report, ReportStatus
from tests.e2e.browser import allow_orm_beside_playwright, block_other_hosts, chromium_browser  # noqa: F401
from tests.e2e.test_admin_review import TIMEOUT_MS, choose_in_autocomplete, log_in
from tests.factories import CommitmentFactory, ReportFactory, StateFactory, UserFactory

pytestmark = pytest.mark.integration


def screenshot(page, name: str) -> None:
    if directory := os.environ.get("E2E_SCREENSHOT_DIR"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


@pytest.fixture
def catalogue(transactional_db):
    state = StateFactory(code="AT", iso3="AUT", name="Austria", admitted_on=datetime.date(1973, 6, 25))
    commitment = CommitmentFactory(code="COP-1990-7.3", title="Universal and equal suffrage")
    return state, commitment


@pytest.fixture
def people(transactional_db):
    reporter = UserFactory(username="e2e-reporter", groups=["Reporters"])
    reviewer = UserFactory(username="e2e-reviewer", groups=["Reviewers"])
    return reporter, reviewer


def open_page(browser, base_url: str, username: str, *, javascript: bool = True):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, java_script_enabled=javascript)
    context.set_default_timeout(TIMEOUT_MS)
    blocked = block_other_hosts(context)
    page = context.new_page()
    log_in(page, base_url, username)
    return context, page, blocked


def test_a_reviewer_verifies_a_submitted_report_from_its_page(live_server, catalogue, people):
    state, commitment = catalogue
    reporter, reviewer = people
    report = ReportFactory(state=state, commitment=commitment, created_by=reporter, submitted=True)

    with chromium_browser() as browser:
        context, page, blocked = open_page(browser, live_server.url, reviewer.username)
        page.goto(f"{live_server.url}/admin/")
        page.get_by_role("link", name="1 report awaits your review").wait_for()
        screenshot(page, "index-pending-work")
        page.goto(f"{live_server.url}/admin/commitments/report/{report.pk}/change/")
        buttons = page.locator("#review-steps input[type=submit]")
        assert buttons.evaluate_all("els => els.map(e => e.value)") == ["Verify", "Reject", "Retract"]
        screenshot(page, "review-buttons")

        with page.expect_navigation():
            page.click("#review-verify input[type=submit]")
        assert f"Verified report #{report.pk}." in page.locator("ul.messagelist").inner_text()
        assert page.locator("#review-verify").count() == 0  # done: no second verification offered
        assert blocked == []
        context.close()

    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (ReportStatus.VERIFIED, reviewer)


def test_the_submitter_sees_no_verify_on_their_own_report(live_server, catalogue, people):
    state, commitment = catalogue
    both = UserFactory(username="e2e-both", groups=["Reporters", "Reviewers"])
    own = ReportFactory(state=state, commitment=commitment, created_by=both, submitted=True)

    with chromium_browser() as browser:
        context, page, _ = open_page(browser, live_server.url, both.username)
        page.goto(f"{live_server.url}/admin/commitments/report/{own.pk}/change/")
        page.locator("#review-retract").wait_for()
        assert page.locator("#review-verify").count() == 0
        assert page.locator("#review-reject").count() == 0
        context.close()


def test_a_reviewer_rejects_with_a_reason_and_a_missing_reason_is_refused(live_server, catalogue, people):
    state, commitment = catalogue
    reporter, reviewer = people
    report = ReportFactory(state=state, commitment=commitment, created_by=reporter, submitted=True)

    with chromium_browser() as browser:
        context, page, _ = open_page(browser, live_server.url, reviewer.username)
        page.goto(f"{live_server.url}/admin/commitments/report/{report.pk}/change/")
        with page.expect_navigation():
            page.click("#review-reject input[type=submit]")  # no reason given
        assert "Not rejected: reason: Say why the report is rejected." in page.locator("ul.messagelist").inner_text()
        assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

        page.fill("#id_reject_reason", "The cited report covers another State.")
        with page.expect_navigation():
            page.click("#review-reject input[type=submit]")
        assert f"Rejected report #{report.pk}." in page.locator("ul.messagelist").inner_text()
        context.close()

    report.refresh_from_db()
    assert (report.status, report.rejection_reason) == (
        ReportStatus.REJECTED,
        "The cited report covers another State.",
    )


def test_the_author_retracts_their_verified_report_with_a_reason(live_server, catalogue, people):
    state, commitment = catalogue
    reporter, _ = people
    report = ReportFactory(state=state, commitment=commitment, created_by=reporter, verified=True)

    with chromium_browser() as browser:
        context, page, _ = open_page(browser, live_server.url, reporter.username)
        page.goto(f"{live_server.url}/admin/commitments/report/{report.pk}/change/")
        page.fill("#id_retract_reason", "The source withdrew its statement.")
        with page.expect_navigation():
            page.click("#review-retract input[type=submit]")
        assert f"Retracted report #{report.pk}." in page.locator("ul.messagelist").inner_text()
        assert page.locator("#review-steps").count() == 0  # nothing left to do on a retracted report
        context.close()

    report.refresh_from_db()
    assert (report.status, report.retraction_reason) == (ReportStatus.RETRACTED, "The source withdrew its statement.")


def row_visible(page, field: str) -> bool:
    return page.locator(f".form-row.field-{field}").is_visible()


def test_the_form_shows_level_or_severity_to_fit_the_kind(live_server, catalogue, people):
    reporter, _ = people

    with chromium_browser() as browser:
        context, page, blocked = open_page(browser, live_server.url, reporter.username)
        page.goto(f"{live_server.url}/admin/commitments/report/add/")
        assert row_visible(page, "level") and row_visible(page, "severity")  # no kind chosen yet

        page.select_option("#id_kind", "implementation")
        assert row_visible(page, "level") and not row_visible(page, "severity")
        screenshot(page, "form-implementation")

        page.select_option("#id_kind", "violation")
        assert row_visible(page, "severity") and not row_visible(page, "level")
        screenshot(page, "form-violation")
        assert blocked == []
        context.close()


def test_a_level_chosen_before_switching_to_violation_is_not_sent(live_server, catalogue, people):
    reporter, _ = people

    with chromium_browser() as browser:
        context, page, _ = open_page(browser, live_server.url, reporter.username)
        page.goto(f"{live_server.url}/admin/commitments/report/add/")
        choose_in_autocomplete(page, "id_state", "Austr", "Austria (AT)")
        choose_in_autocomplete(page, "id_commitment", "7.3", "COP-1990-7.3: Universal and equal suffrage")
        page.select_option("#id_kind", "implementation")
        page.select_option("#id_level", "full")
        page.select_option("#id_kind", "violation")
        page.select_option("#id_severity", "grave")
        page.fill("#id_observed_on", "2010-05-04")
        page.fill("#id_summary", "Peaceful protesters detained for days without charge.")
        page.select_option("#id_source", "ngo")
        with page.expect_navigation():
            page.click("input[name=_save]")
        assert page.locator(".errorlist").count() == 0, page.locator(".errornote, .errorlist").all_inner_texts()
        context.close()

    report = Report.objects.get()
    assert (report.kind, report.level, report.severity) == ("violation", "", "grave")


def test_without_javascript_both_show_and_validation_decides(live_server, catalogue, people):
    reporter, _ = people

    with chromium_browser() as browser:
        context, page, _ = open_page(browser, live_server.url, reporter.username, javascript=False)
        page.goto(f"{live_server.url}/admin/commitments/report/add/")
        assert row_visible(page, "level") and row_visible(page, "severity")
        # (State and commitment are autocompletes: without JavaScript they cannot be filled in.)
        page.select_option("#id_kind", "violation")
        assert row_visible(page, "level") and row_visible(page, "severity")
        page.select_option("#id_level", "full")
        page.select_option("#id_severity", "grave")
        page.fill("#id_observed_on", "2010-05-04")
        page.fill("#id_summary", "A violation with a level, which the model refuses.")
        page.select_option("#id_source", "ngo")
        screenshot(page, "form-no-javascript")
        with page.expect_navigation():
            page.click("input[name=_save]")
        errors = page.locator(".form-row.field-level .errorlist").inner_text()
        assert "A violation report has no level" in errors
        context.close()

    assert not Report.objects.exists()
