"""The admin where data-entry staff and reviewers work: catalogue pages, reports, review actions, import."""

import datetime
import io
import itertools

import pytest
import time_machine
from django.contrib.messages import get_messages

from commitments import services
from commitments.models import Report, ReportStatus
from tests.admin_forms import COMMITMENT_INLINES
from tests.factories import (
    CommitmentFactory,
    DimensionFactory,
    ReportFactory,
    SourceDocumentFactory,
    StateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
CHANGELIST = "/admin/commitments/report/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def state():
    return StateFactory(code="AT", name="Austria")


@pytest.fixture
def commitment():
    document = SourceDocumentFactory(code="COP-1990", adopted_on=D(1990, 6, 29))
    return CommitmentFactory(code="COP-1990-7.3", document=document, title="Free elections")


@pytest.fixture
def content(state, commitment):
    return {
        "state": state,
        "commitment": commitment,
        "kind": "implementation",
        "level": "partial",
        "observed_on": D(2015, 3, 2),
        "summary": "Election observation found the law mostly applied.",
        "source": "odihr",
    }


LINKS = itertools.count()


def new_draft(user, content: dict) -> Report:
    """A draft of `content` with a source link of its own: the drafts a test makes alike are not duplicates."""
    link = f"https://www.osce.org/odihr/admin-test-{next(LINKS)}"
    return services.report_create_draft(user=user, **content, source_url=link)


@pytest.fixture
def submitted(reporter, content):
    report = new_draft(reporter, content)
    return services.report_submit(report=report, user=reporter)


@pytest.fixture
def reviewers_own(reviewer, content):
    """A report the reviewer created and submitted themself."""
    report = new_draft(reviewer, content)
    return services.report_submit(report=report, user=reviewer)


def listed_ids(response) -> set[int]:
    return {report.pk for report in response.context["cl"].result_list}


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def run_action(client, action: str, *reports, **extra):
    data = {"action": action, "_selected_action": [r.pk for r in reports], "index": 0, **extra}
    return client.post(CHANGELIST, data)


def status_of(report) -> str:
    return Report.objects.get(pk=report.pk).status


# --- catalogue admin smoke ----------------------------------------------------------------------


@pytest.mark.parametrize("model", ["dimension", "theme", "sourcedocument", "commitment", "report"])
def test_changelist_opens_for_admin(client, admin_user, commitment, model):
    ThemeFactory()
    ReportFactory(commitment=commitment, state=StateFactory(code="AT"))
    client.force_login(admin_user)
    response = client.get(f"/admin/commitments/{model}/")
    assert response.status_code == 200


def test_commitment_changelist_lists_commitments(client, admin_user, commitment):
    client.force_login(admin_user)
    response = client.get("/admin/commitments/commitment/")
    assert listed_ids(response) == {commitment.pk}


def test_commitment_autocomplete_for_reports_finds_commitments_by_code(client, reporter, commitment):
    CommitmentFactory(code="VD-2011-I", title="Annual exchange of military information")
    client.force_login(reporter)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "commitments", "model_name": "report", "field_name": "commitment", "term": "COP"},
    )
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(commitment.pk), "text": str(commitment)}]


def test_catalogue_editor_can_add_a_commitment_with_default_in_force_date(client, catalogue_editor, commitment):
    client.force_login(catalogue_editor)
    response = client.post(
        "/admin/commitments/commitment/add/",
        {
            "code": "COP-1990-7.4",
            "document": commitment.document_id,
            "paragraph": "7.4",
            "title": "Secret ballot",
            "summary": "Votes are cast by secret ballot and counted honestly.",
            "dimension": DimensionFactory(slug="human").pk,
            "weight": "1",
            "in_force_from": "",
            "in_force_until": "",
            **COMMITMENT_INLINES,
        },
    )
    assert response.status_code == 302
    added = commitment.document.commitments.get(code="COP-1990-7.4")
    assert added.in_force_from == D(1990, 6, 29)


def test_commitment_in_force_before_adoption_is_a_form_error(client, catalogue_editor, commitment):
    client.force_login(catalogue_editor)
    response = client.post(
        "/admin/commitments/commitment/add/",
        {
            "code": "COP-1990-7.4",
            "document": commitment.document_id,
            "paragraph": "7.4",
            "title": "Secret ballot",
            "summary": "Votes are cast by secret ballot.",
            "dimension": DimensionFactory(slug="human").pk,
            "weight": "1",
            "in_force_from": "1990-01-01",
            "in_force_until": "",
            **COMMITMENT_INLINES,
        },
    )
    assert response.status_code == 200
    assert "in_force_from" in response.context["adminform"].form.errors


# --- who sees which reports ------------------------------------------------------------------------


def test_reporter_sees_only_own_reports(client, reporter, other_reporter, content):
    own = new_draft(reporter, content)
    new_draft(other_reporter, content)
    client.force_login(reporter)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert listed_ids(response) == {own.pk}


def test_reviewer_sees_submitted_reports_but_not_others_drafts(client, reviewer, other_reporter, submitted, content):
    new_draft(other_reporter, content)
    client.force_login(reviewer)
    assert listed_ids(client.get(CHANGELIST)) == {submitted.pk}


def test_awaiting_my_review_lists_submitted_reports_of_others(
    client, reviewer, reporter, submitted, reviewers_own, content
):
    new_draft(reporter, content)
    verified = services.report_submit(report=new_draft(reporter, content), user=reporter)
    services.report_verify(report=verified, user=reviewer)
    client.force_login(reviewer)
    response = client.get(CHANGELIST, {"queue": "mine"})
    assert response.status_code == 200
    assert listed_ids(response) == {submitted.pk}


def test_my_drafts_lists_own_drafts(client, reporter, submitted, content):
    draft = new_draft(reporter, content)
    client.force_login(reporter)
    assert listed_ids(client.get(CHANGELIST, {"queue": "my-drafts"})) == {draft.pk}


# --- adding and editing reports ----------------------------------------------------------------------


def report_form_data(state, commitment, **overrides) -> dict:
    data = {
        "state": state.pk,
        "commitment": commitment.pk,
        "kind": "implementation",
        "level": "full",
        "severity": "",
        "observed_on": "2015-03-02",
        "summary": "Elections held at the required interval.",
        "source": "odihr",
        "source_url": "https://www.osce.org/odihr/elections",
        "citation": "",
        "corrects": "",
    }
    return {**data, **overrides}


def test_reporter_adds_a_report_as_a_draft_by_themself(client, reporter, state, commitment):
    client.force_login(reporter)
    response = client.post("/admin/commitments/report/add/", report_form_data(state, commitment))
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.status, report.created_by, report.level) == (ReportStatus.DRAFT, reporter, "full")
    assert report.history.get().history_user == reporter


def test_level_on_a_violation_report_is_a_form_error(client, reporter, state, commitment):
    client.force_login(reporter)
    response = client.post(
        "/admin/commitments/report/add/",
        report_form_data(state, commitment, kind="violation", level="full", severity="grave"),
    )
    assert response.status_code == 200
    assert "level" in response.context["adminform"].form.errors
    assert not Report.objects.exists()


def test_future_observed_on_is_a_form_error(client, reporter, state, commitment):
    client.force_login(reporter)
    with time_machine.travel(datetime.datetime(2024, 5, 15, 12, tzinfo=datetime.UTC), tick=False):
        response = client.post(
            "/admin/commitments/report/add/", report_form_data(state, commitment, observed_on="2024-05-16")
        )
    assert response.status_code == 200
    assert "observed_on" in response.context["adminform"].form.errors


def test_author_edits_own_draft(client, reporter, state, commitment, content):
    draft = new_draft(reporter, content)
    client.force_login(reporter)
    response = client.post(
        f"/admin/commitments/report/{draft.pk}/change/", report_form_data(state, commitment, level="none")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.level, draft.status) == ("none", ReportStatus.DRAFT)


def test_another_authors_draft_cannot_be_opened_for_change(client, reporter, other_reporter, content, state):
    draft = new_draft(other_reporter, content)
    client.force_login(reporter)
    response = client.post(
        f"/admin/commitments/report/{draft.pk}/change/", report_form_data(state, draft.commitment, level="none")
    )
    assert (response.status_code, response.url) == (302, "/admin/")
    draft.refresh_from_db()
    assert draft.level == "partial"


def test_reviewer_cannot_change_a_submitted_report_through_the_form(client, reviewer, submitted, state):
    client.force_login(reviewer)
    response = client.post(
        f"/admin/commitments/report/{submitted.pk}/change/",
        report_form_data(state, submitted.commitment, level="none"),
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.level == "partial"


def test_submitted_report_is_read_only_for_its_author(client, reporter, submitted):
    client.force_login(reporter)
    response = client.get(f"/admin/commitments/report/{submitted.pk}/change/")
    assert response.status_code == 200
    assert "summary" not in response.context["adminform"].form.fields


def test_posting_a_change_to_a_verified_report_is_forbidden(client, reporter, reviewer, submitted, state):
    services.report_verify(report=submitted, user=reviewer)
    client.force_login(reporter)
    response = client.post(
        f"/admin/commitments/report/{submitted.pk}/change/",
        report_form_data(state, submitted.commitment, level="none", summary="Quietly changed."),
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert (submitted.status, submitted.level) == (ReportStatus.VERIFIED, "partial")


def test_reports_cannot_be_deleted_in_the_admin(client, admin_user, submitted):
    client.force_login(admin_user)
    assert client.get(f"/admin/commitments/report/{submitted.pk}/delete/").status_code == 403
    actions = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    assert Report.objects.filter(pk=submitted.pk).exists()


def test_report_history_page_opens(client, reporter, reviewer, submitted):
    services.report_verify(report=submitted, user=reviewer)
    client.force_login(reviewer)
    response = client.get(f"/admin/commitments/report/{submitted.pk}/history/")
    assert response.status_code == 200
    assert [record.status for record in response.context["page_obj"]] == ["verified", "submitted", "draft"]


# --- review actions ------------------------------------------------------------------------------------


def test_reporter_is_not_offered_the_review_actions(client, reporter, submitted):
    client.force_login(reporter)
    actions = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "verify_reports" not in actions
    assert "reject_reports" not in actions
    assert "submit_reports" in actions


def test_submit_action_submits_own_drafts(client, reporter, content):
    draft = new_draft(reporter, content)
    client.force_login(reporter)
    response = run_action(client, "submit_reports", draft)
    assert response.status_code == 302
    assert status_of(draft) == ReportStatus.SUBMITTED
    assert message_texts(response) == ["Submitted 1 report(s)."]


def test_verify_action_by_the_submitting_reviewer_is_refused(client, reviewer, reviewers_own):
    client.force_login(reviewer)
    response = run_action(client, "verify_reports", reviewers_own)
    assert response.status_code == 302
    assert status_of(reviewers_own) == ReportStatus.SUBMITTED
    [message] = message_texts(response)
    assert message.startswith(f"Not verified: #{reviewers_own.pk}")
    assert "Four eyes" in message


def test_verify_action_by_another_reviewer_verifies(client, second_reviewer, reviewers_own):
    client.force_login(second_reviewer)
    response = run_action(client, "verify_reports", reviewers_own)
    assert response.status_code == 302
    reviewers_own.refresh_from_db()
    assert (reviewers_own.status, reviewers_own.reviewed_by) == (ReportStatus.VERIFIED, second_reviewer)
    assert message_texts(response) == ["Verified 1 report(s)."]


def test_verify_action_verifies_the_others_and_refuses_the_own(client, reviewer, submitted, reviewers_own):
    client.force_login(reviewer)
    response = run_action(client, "verify_reports", submitted, reviewers_own)
    assert (status_of(submitted), status_of(reviewers_own)) == (ReportStatus.VERIFIED, ReportStatus.SUBMITTED)
    assert len(message_texts(response)) == 2


def test_reject_action_uses_the_reason_field(client, reviewer, submitted):
    client.force_login(reviewer)
    run_action(client, "reject_reports", submitted, reason="The cited report does not cover Austria.")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rejection_reason) == (
        ReportStatus.REJECTED,
        "The cited report does not cover Austria.",
    )


def test_reject_action_without_a_reason_is_refused(client, reviewer, submitted):
    client.force_login(reviewer)
    response = run_action(client, "reject_reports", submitted, reason="")
    assert status_of(submitted) == ReportStatus.SUBMITTED
    [message] = message_texts(response)
    assert "Not rejected" in message
    assert "reason" in message


def test_retract_action_uses_the_reason_field(client, reporter, reviewer, submitted):
    services.report_verify(report=submitted, user=reviewer)
    client.force_login(reporter)
    run_action(client, "retract_reports", submitted, reason="Source withdrew its statement.")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.retraction_reason) == (
        ReportStatus.RETRACTED,
        "Source withdrew its statement.",
    )


# --- import view -------------------------------------------------------------------------------------------

IMPORT_URL = "/admin/commitments/report/import/"
CSV_HEADER = "state,commitment,kind,level_or_severity,observed_on,source,summary\n"


def upload(text: str, name: str = "reports.csv") -> io.BytesIO:
    file = io.BytesIO(text.encode("utf-8"))
    file.name = name
    return file


def good_csv(rows: int = 3) -> str:
    """`rows` valid lines, no two the same report (each observed on its own day)."""
    lines = (
        f"AT,COP-1990-7.3,implementation,full,2015-03-{day:02d},odihr,Synthetic test row.\n"
        for day in range(1, rows + 1)
    )
    return CSV_HEADER + "".join(lines)


def test_import_page_opens_for_a_reporter(client, reporter):
    client.force_login(reporter)
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert b"level_or_severity" in response.content


def test_import_page_is_refused_without_add_permission(client, catalogue_editor):
    client.force_login(catalogue_editor)
    assert client.get(IMPORT_URL).status_code == 403


def test_import_dry_run_shows_the_rows_and_creates_nothing(client, reporter, state, commitment):
    client.force_login(reporter)
    response = client.post(IMPORT_URL, {"file": upload(good_csv()), "dry_run": "on"})
    assert response.status_code == 200
    assert "Dry run: all 3 row(s) are valid" in response.content.decode()
    assert not Report.objects.exists()


def test_import_creates_submitted_reports(client, reporter, state, commitment):
    client.force_login(reporter)
    response = client.post(IMPORT_URL, {"file": upload(good_csv())})
    assert response.status_code == 200
    assert Report.objects.filter(status=ReportStatus.SUBMITTED, submitted_by=reporter).count() == 3
    assert message_texts(response) == ["Imported 3 report(s) as submitted."]


def test_import_of_a_bad_file_shows_the_error_table_and_creates_nothing(client, reporter, state, commitment):
    text = good_csv(2) + "XX,COP-1990-7.3,violation,full,2015-03-02,odihr,Bad row.\n"
    client.force_login(reporter)
    response = client.post(IMPORT_URL, {"file": upload(text)})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in page
    assert "<td>4</td><td>state</td>" in page
    assert "<td>4</td><td>level_or_severity</td>" in page
    assert "Nothing was imported" in page
    assert not Report.objects.exists()


def test_import_of_an_unsupported_file_type_shows_the_file_error(client, reporter):
    client.force_login(reporter)
    response = client.post(IMPORT_URL, {"file": upload(good_csv(), name="reports.pdf")})
    assert response.status_code == 200
    assert "Unsupported file type" in response.content.decode()
    assert not Report.objects.exists()


def test_commitment_text_view_returns_the_commitment(client, reporter, commitment):
    client.force_login(reporter)
    response = client.get(f"/admin/commitments/report/commitment-text/{commitment.pk}/")
    assert response.status_code == 200
    assert response.json()["code"] == "COP-1990-7.3"
    assert response.json()["reference"] == f"COP-1990, {commitment.paragraph}"
