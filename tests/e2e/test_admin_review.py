"""End to end in a real headless Chromium: a reporter enters and submits a report, a reviewer verifies it.

Needs the Debian `chromium` package (/usr/bin/chromium); Playwright drives it, no
`playwright install`. Without the browser the test is skipped, unless CI is set:
then it fails, so a CI machine cannot silently lose this coverage.

Set E2E_SCREENSHOT=/tmp/e2e.png to keep a screenshot of the final page.
"""

import datetime
import os
import re

import pytest

from commitments.models import Report, ReportStatus
from tests.e2e.browser import allow_orm_beside_playwright, chromium_browser  # noqa: F401 (fixture)
from tests.factories import CommitmentFactory, StateFactory, UserFactory

PASSWORD = "correct horse battery staple"
TIMEOUT_MS = 15_000

pytestmark = pytest.mark.integration


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def log_out(page, base_url: str) -> None:
    page.click("#logout-form button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/logout/")
    page.get_by_text("Thanks for spending some quality time").wait_for()


def choose_in_autocomplete(page, field_id: str, search: str, option_text: str) -> None:
    """Open a Django admin select2 autocomplete, search, and pick the option."""
    page.click(f"#{field_id} + .select2-container .select2-selection")
    search_box = page.locator(".select2-container--open .select2-search__field")
    search_box.press_sequentially(search)
    page.locator(".select2-results__option", has_text=option_text).click()
    assert option_text in page.locator(f"#{field_id} + .select2-container .select2-selection__rendered").inner_text()


def run_action(page, report_pk: int, action: str) -> None:
    page.check(f"input[name=_selected_action][value='{report_pk}']")
    page.select_option("select[name=action]", action)
    with page.expect_navigation():
        page.click("button[name=index]")


def result_row(page, report_pk: int):
    return page.locator("#result_list tbody tr", has=page.locator(f"input[name=_selected_action][value='{report_pk}']"))


# transactional_db: the live server answers from another thread, so the data must be committed.
# (UserFactory recreates the staff groups if an earlier transactional test flushed them.)
def test_reporter_enters_and_submits_a_report_and_a_reviewer_verifies_it(live_server, transactional_db):
    state = StateFactory(code="AT", iso3="AUT", name="Austria", admitted_on=datetime.date(1973, 6, 25))
    commitment = CommitmentFactory(code="COP-1990-7.3", title="Universal and equal suffrage")
    reporter = UserFactory(username="e2e-reporter", groups=["Reporters"])
    reviewer = UserFactory(username="e2e-reviewer", groups=["Reviewers"])
    base_url = live_server.url

    with chromium_browser() as browser:
        context = browser.new_context(viewport={"width": 1800, "height": 1000})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()

        # The reporter enters a draft through the add form.
        log_in(page, base_url, reporter.username)
        page.goto(f"{base_url}/admin/commitments/report/add/")
        choose_in_autocomplete(page, "id_state", "Austr", "Austria (AT)")
        choose_in_autocomplete(page, "id_commitment", "7.3", "COP-1990-7.3: Universal and equal suffrage")
        page.select_option("#id_kind", "implementation")
        page.select_option("#id_level", "full")
        page.fill("#id_observed_on", "2010-05-04")
        page.fill("#id_summary", "Elections held with universal and equal suffrage, as observed by ODIHR.")
        page.select_option("#id_source", "odihr")
        page.fill("#id_source_url", "https://www.osce.org/odihr/elections")
        page.click("input[name=_save]")
        page.wait_for_url(re.compile(r"/admin/commitments/report/(\?.*)?$"))
        assert page.locator(".errorlist").count() == 0, page.locator(".errornote, .errorlist").all_inner_texts()

        report = Report.objects.get()
        assert (report.state_id, report.commitment_id, report.status) == (state.code, commitment.pk, ReportStatus.DRAFT)
        assert report.created_by == reporter

        # ... and submits it for review from the change list.
        run_action(page, report.pk, "submit_reports")
        assert "Submitted 1 report(s)." in page.locator("ul.messagelist").inner_text()
        assert "Submitted" in result_row(page, report.pk).inner_text()
        log_out(page, base_url)

        # The reviewer finds it in their queue and verifies it.
        log_in(page, base_url, reviewer.username)
        page.goto(f"{base_url}/admin/commitments/report/?queue=mine")
        assert result_row(page, report.pk).count() == 1
        run_action(page, report.pk, "verify_reports")
        assert "Verified 1 report(s)." in page.locator("ul.messagelist").inner_text()

        # Verified, it has left the queue; the full list shows it as verified.
        page.goto(f"{base_url}/admin/commitments/report/?status__exact=verified")
        row = result_row(page, report.pk)
        assert row.count() == 1
        row_text = row.inner_text()
        assert "Verified" in row_text
        assert "COP-1990-7.3" in row_text
        if screenshot := os.environ.get("E2E_SCREENSHOT"):
            page.screenshot(path=screenshot, full_page=True)
        context.close()

        report.refresh_from_db()
        assert report.status == ReportStatus.VERIFIED
        assert report.submitted_by == reporter
        assert report.reviewed_by == reviewer
        assert report.reviewed_at is not None
