"""Review from a report's change page: buttons for the steps this user may take, POSTed to admin views
that call the same services as the list actions. Plus the list actions offered by role, and the pending
work on the admin index."""

import re

import pytest
from django.contrib.admin.sites import site
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory

from commitments.models import Report, ReportStatus
from tests.factories import AssessmentFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(report) -> str:
    return f"/admin/commitments/report/{report.pk}/change/"


def step_url(report, step: str) -> str:
    return f"/admin/commitments/report/{report.pk}/review/{step}/"


def offered_steps(client, report) -> list[str]:
    response = client.get(change_url(report))
    assert response.status_code == 200
    return [button["step"] for button in response.context["review_buttons"]]


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def status_of(report) -> str:
    return Report.objects.get(pk=report.pk).status


@pytest.fixture
def submitted(reporter):
    return ReportFactory(created_by=reporter, submitted=True)


# --- which buttons show --------------------------------------------------------------------------


def test_a_reviewer_is_offered_verify_reject_and_retract_on_a_submitted_report(client, pure_reviewer, submitted):
    client.force_login(pure_reviewer)
    assert offered_steps(client, submitted) == ["verify", "reject", "retract"]
    assert b'id="review-verify"' in client.get(change_url(submitted)).content


def test_the_submitter_sees_no_verify_or_reject_on_their_own_report(client, reviewer):
    own = ReportFactory(created_by=reviewer, submitted=True)
    client.force_login(reviewer)
    assert offered_steps(client, own) == ["retract"]
    assert b'id="review-verify"' not in client.get(change_url(own)).content


def test_the_author_is_offered_submit_and_retract_on_their_draft(client, reporter):
    draft = ReportFactory(created_by=reporter)
    client.force_login(reporter)
    assert offered_steps(client, draft) == ["submit", "retract"]


def test_a_reporter_is_offered_nothing_on_their_verified_report_but_retract(client, reporter):
    verified = ReportFactory(created_by=reporter, verified=True)
    client.force_login(reporter)
    assert offered_steps(client, verified) == ["retract"]


def test_no_step_is_offered_on_a_retracted_report(client, pure_reviewer, reporter):
    retracted = ReportFactory(
        created_by=reporter, submitted=True, status=ReportStatus.RETRACTED, retraction_reason="Duplicate."
    )
    client.force_login(pure_reviewer)
    assert offered_steps(client, retracted) == []


# --- the steps' POSTs ----------------------------------------------------------------------------


def test_verify_button_verifies_and_returns_to_the_report_with_a_message(client, pure_reviewer, submitted):
    client.force_login(pure_reviewer)
    response = client.post(step_url(submitted, "verify"))
    assert response.status_code == 302 and response.url == change_url(submitted)
    report = Report.objects.get(pk=submitted.pk)
    assert (report.status, report.reviewed_by) == (ReportStatus.VERIFIED, pure_reviewer)
    assert message_texts(response) == [f"Verified report #{submitted.pk}."]


def test_reject_button_saves_the_reason(client, pure_reviewer, submitted):
    client.force_login(pure_reviewer)
    client.post(step_url(submitted, "reject"), {"reason": "The source does not say this."})
    report = Report.objects.get(pk=submitted.pk)
    assert (report.status, report.rejection_reason) == (ReportStatus.REJECTED, "The source does not say this.")


@pytest.mark.parametrize("step", ["reject", "retract"])
def test_a_missing_reason_is_refused_naming_the_field_and_nothing_is_saved(client, pure_reviewer, submitted, step):
    client.force_login(pure_reviewer)
    before = Report.objects.get(pk=submitted.pk).updated_at
    response = client.post(step_url(submitted, step), {"reason": "   "})
    assert response.status_code == 302
    [message] = message_texts(response)
    assert message.startswith(f"Not {step}ed: reason: Say why the report is {step}ed")
    report = Report.objects.get(pk=submitted.pk)
    assert (report.status, report.updated_at) == (ReportStatus.SUBMITTED, before)


def test_the_submitter_posting_verify_is_refused_by_four_eyes(client, reviewer):
    own = ReportFactory(created_by=reviewer, submitted=True)
    client.force_login(reviewer)
    response = client.post(step_url(own, "verify"))
    assert message_texts(response) == ["Not verified: Four eyes: you cannot review a report you submitted yourself."]
    assert status_of(own) == ReportStatus.SUBMITTED


def test_a_reporter_posting_verify_on_their_own_submitted_report_is_refused(client, reporter, submitted):
    client.force_login(reporter)
    response = client.post(step_url(submitted, "verify"))
    assert message_texts(response)[0].startswith("Not verified:")
    assert status_of(submitted) == ReportStatus.SUBMITTED


def test_a_reporter_cannot_reach_another_reporters_report(client, other_reporter, submitted):
    client.force_login(other_reporter)
    assert client.post(step_url(submitted, "retract"), {"reason": "Not mine."}).status_code == 404
    assert status_of(submitted) == ReportStatus.SUBMITTED


def test_a_step_on_a_report_in_the_wrong_state_is_refused_naming_the_status(client, pure_reviewer, reporter):
    verified = ReportFactory(created_by=reporter, verified=True)
    client.force_login(pure_reviewer)
    response = client.post(step_url(verified, "verify"))
    assert message_texts(response) == [
        "Not verified: status: Cannot verify a report that is verified; it must be submitted."
    ]


def test_get_of_a_step_url_does_not_act(client, pure_reviewer, submitted):
    client.force_login(pure_reviewer)
    assert client.get(step_url(submitted, "verify")).status_code == 405
    assert status_of(submitted) == ReportStatus.SUBMITTED


def test_a_step_post_without_the_csrf_token_is_refused(pure_reviewer, submitted):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pure_reviewer)
    assert client.post(step_url(submitted, "verify")).status_code == 403
    assert status_of(submitted) == ReportStatus.SUBMITTED


def test_an_unknown_step_is_not_found(client, pure_reviewer, submitted):
    client.force_login(pure_reviewer)
    assert client.post(step_url(submitted, "publish")).status_code == 404


# --- list actions by role ------------------------------------------------------------------------


def actions_for(user) -> set[str]:
    request = RequestFactory().get("/admin/commitments/report/")
    request.user = user
    return set(site._registry[Report].get_actions(request))


def test_a_reviewer_is_not_offered_submit_selected_drafts(pure_reviewer):
    assert actions_for(pure_reviewer) == {"verify_reports", "reject_reports", "retract_reports"}


def test_a_reporter_is_offered_submit_and_retract_but_not_review(reporter):
    assert actions_for(reporter) == {"submit_reports", "retract_reports"}


def test_someone_in_both_groups_is_offered_every_step(reviewer):
    assert actions_for(reviewer) == {"submit_reports", "verify_reports", "reject_reports", "retract_reports"}


# --- pending work on the admin index -------------------------------------------------------------


def pending_work(client) -> list[tuple[str, str]]:
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    if 'id="pending-work"' not in html:
        return []
    section = html.split('id="pending-work"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)


def test_the_index_tells_a_reviewer_how_many_reports_await_their_review(client, reviewer, reporter):
    ReportFactory.create_batch(3, created_by=reporter, submitted=True)
    ReportFactory(created_by=reviewer, submitted=True)  # their own: not theirs to review
    ReportFactory(created_by=reporter, verified=True)
    client.force_login(reviewer)
    assert ("/admin/commitments/report/?queue=mine", "3 reports await your review") in pending_work(client)


def test_the_index_tells_a_reporter_about_their_drafts_and_nothing_about_review(client, reporter, other_reporter):
    ReportFactory(created_by=reporter)
    ReportFactory(created_by=other_reporter, submitted=True)
    client.force_login(reporter)
    assert pending_work(client) == [
        ("/admin/commitments/report/?queue=my-drafts", "1 draft report of yours is not submitted yet")
    ]


def test_the_index_counts_assessments_awaiting_review(client, pure_reviewer):
    author = UserFactory(username="ana-assessor", groups=["Reporters"])
    AssessmentFactory.create_batch(2, created_by=author, submitted=True)
    client.force_login(pure_reviewer)
    assert pending_work(client) == [
        ("/admin/recommendations/assessment/?queue=mine", "2 assessments await your review")
    ]


def test_the_index_shows_no_pending_work_section_when_there_is_none(client, pure_reviewer):
    client.force_login(pure_reviewer)
    assert b'id="pending-work"' not in client.get("/admin/").content
