"""Races between an edit and the workflow steps, on PostgreSQL with one connection per request.

The edit's body is held back after the view has read the report (as a slow client holds it back), the
other steps run meanwhile, then the body arrives: the edit must not move the report back to a draft.
"""

import datetime
import threading

import pytest
from django.db import connection

from commitments import services
from commitments.models import Report, ReportStatus
from tests.api.conftest import client_with_token

D = datetime.date

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="SQLite has one writer lock for the whole database; run on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

EDIT = b'{"summary": "Rewritten after the review."}'


class HeldBody:
    """A request body that arrives only when the test releases it; says when the view starts reading it."""

    def __init__(self, data: bytes):
        self.data = data
        self.reading = threading.Event()
        self.release = threading.Event()

    def read(self, size=-1):
        self.reading.set()
        assert self.release.wait(timeout=30), "the test never released the body"
        size = len(self.data) if size is None or size < 0 else size
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk

    def readline(self, size=-1):
        return self.read(size)


def start_held_patch(user, report, **headers) -> tuple[HeldBody, threading.Thread, dict]:
    """PATCH the report in another thread (its own connection); returns once the view waits for the body."""
    body, outcome = HeldBody(EDIT), {}

    def run():
        try:
            client = client_with_token(user)
            outcome["response"] = client.generic(
                "PATCH",
                f"/api/v1/reports/{report.pk}/",
                EDIT,
                content_type="application/json",
                headers=headers,
                **{"wsgi.input": body},
            )
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert body.reading.wait(timeout=30), "the PATCH never reached the body"
    return body, thread, outcome


def finish(body: HeldBody, thread: threading.Thread, outcome: dict):
    body.release.set()
    thread.join(timeout=30)
    return outcome["response"]


@pytest.fixture
def draft(reporter, austria, elections):
    return services.report_create_draft(
        user=reporter,
        state=austria,
        commitment=elections,
        kind="implementation",
        level="partial",
        observed_on=D(2010, 5, 4),
        summary="The election law was mostly applied.",
        source="odihr",
    )


def test_an_edit_held_while_the_report_is_submitted_and_verified_loses(draft, reporter, reviewer):
    body, thread, outcome = start_held_patch(reporter, draft)
    assert client_with_token(reporter).post(f"/api/v1/reports/{draft.pk}/submit/").status_code == 200
    assert client_with_token(reviewer).post(f"/api/v1/reports/{draft.pk}/verify/").status_code == 200

    response = finish(body, thread, outcome)

    assert response.status_code in (400, 409, 412)
    report = Report.objects.get(pk=draft.pk)
    assert (report.status, report.submitted_by, report.reviewed_by) == (ReportStatus.VERIFIED, reporter, reviewer)
    assert report.summary == "The election law was mostly applied."


def test_an_edit_racing_a_submit_does_not_undo_the_submit(draft, reporter):
    body, thread, outcome = start_held_patch(reporter, draft)
    submit = client_with_token(reporter).post(f"/api/v1/reports/{draft.pk}/submit/")

    response = finish(body, thread, outcome)

    assert submit.status_code == 200
    assert response.status_code == 400
    assert "status" in response.json()
    report = Report.objects.get(pk=draft.pk)
    assert (report.status, report.submitted_by) == (ReportStatus.SUBMITTED, reporter)
    assert report.summary == "The election law was mostly applied."


def test_an_edit_held_with_the_etag_it_read_is_refused_with_412_once_the_report_changed(draft, reporter):
    etag = client_with_token(reporter).get(f"/api/v1/reports/{draft.pk}/")["ETag"]
    body, thread, outcome = start_held_patch(reporter, draft, if_match=etag)
    assert client_with_token(reporter).post(f"/api/v1/reports/{draft.pk}/submit/").status_code == 200

    response = finish(body, thread, outcome)

    assert response.status_code == 412
    assert Report.objects.get(pk=draft.pk).status == ReportStatus.SUBMITTED
