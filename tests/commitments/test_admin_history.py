"""Report history in the admin shows what the change view shows to that user, and never reverts a report."""

import pytest

from commitments import services
from commitments.models import Report, ReportStatus
from tests.factories import CommitmentFactory, StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    return {
        "state": StateFactory(code="AT"),
        "commitment": CommitmentFactory(code="COP-1990-7.3"),
        "kind": "implementation",
        "level": "partial",
        "observed_on": "2010-05-04",
        "summary": "SECRET DRAFT TEXT of another reporter.",
        "source": "odihr",
    }


@pytest.fixture
def others_draft(other_reporter, content):
    return services.report_create_draft(user=other_reporter, **content)


def history_url(report):
    return f"/admin/commitments/report/{report.pk}/history/"


def entry_url(report):
    return f"{history_url(report)}{report.history.latest().history_id}/"


def test_a_reporter_cannot_open_the_history_of_another_reporters_draft(client, reporter, others_draft):
    client.force_login(reporter)

    response = client.get(history_url(others_draft))

    assert response.status_code in (403, 404)
    assert b"SECRET DRAFT TEXT" not in response.content


def test_a_reporter_cannot_open_a_history_entry_of_another_reporters_draft(client, reporter, others_draft):
    client.force_login(reporter)

    response = client.get(entry_url(others_draft))

    assert response.status_code in (403, 404)
    assert b"SECRET DRAFT TEXT" not in response.content


def test_a_reviewer_cannot_open_the_history_of_someone_elses_draft(client, reviewer, others_draft):
    client.force_login(reviewer)

    assert client.get(entry_url(others_draft)).status_code in (403, 404)


def test_the_author_opens_the_history_of_their_draft(client, other_reporter, others_draft):
    client.force_login(other_reporter)

    assert client.get(history_url(others_draft)).status_code == 200
    assert client.get(entry_url(others_draft)).status_code == 200


def test_posting_a_history_form_of_a_submitted_report_is_refused_not_a_500(client, other_reporter, others_draft):
    version = others_draft.history.latest().history_id
    services.report_submit(report=others_draft, user=other_reporter)
    client.force_login(other_reporter)

    response = client.post(f"{history_url(others_draft)}{version}/", {"summary": "Reverted."})

    assert response.status_code == 403
    report = Report.objects.get(pk=others_draft.pk)
    assert (report.status, report.summary) == (ReportStatus.SUBMITTED, "SECRET DRAFT TEXT of another reporter.")


def test_a_draft_cannot_be_reverted_from_its_history(client, other_reporter, others_draft, content):
    version = others_draft.history.latest().history_id
    services.report_update_draft(report=others_draft, user=other_reporter, summary="Second version.")
    client.force_login(other_reporter)
    form = {**content, "state": "AT", "commitment": others_draft.commitment_id}

    page = client.get(f"{history_url(others_draft)}{version}/")
    response = client.post(f"{history_url(others_draft)}{version}/", form)

    assert page.context["revert_disabled"] is True
    assert response.status_code == 403
    assert Report.objects.get(pk=others_draft.pk).summary == "Second version."


@pytest.fixture
def rejected(other_reporter, reviewer, others_draft):
    services.report_submit(report=others_draft, user=other_reporter)
    return services.report_reject(report=others_draft, user=reviewer, reason="Source link is broken.")


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def test_history_page_shows_an_empty_user_as_a_dash_not_a_deleted_user(client, reviewer, rejected):
    client.force_login(reviewer)

    html = page_text(client.get(history_url(rejected)))

    assert "Deleted user" not in html
    assert "pk=None" not in html
    assert "<strong>Submitted by:</strong> — &nbsp;&rarr;&nbsp;&nbsp;otto-reporter" in html


def test_history_page_lists_the_reason_of_every_step(client, reviewer, rejected):
    client.force_login(reviewer)

    html = page_text(client.get(history_url(rejected)))

    for reason in ("created", "submitted", "rejected: Source link is broken."):
        assert f"<td> {reason} </td>" in html
