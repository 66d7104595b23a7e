"""The report workflow in commitments/services.py: draft, submit, verify or reject, retract."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commitments import services
from commitments.models import Report, ReportStatus
from commitments.signals import verified_reports_changed
from corfu_tracker.workflow import StaleVersion, version_tag
from tests.factories import CommitmentFactory, ReportFactory, StateFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def state():
    return StateFactory(code="AT", name="Austria")


@pytest.fixture
def commitment():
    return CommitmentFactory(code="COP-1990-7.3")


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
        "source_url": "https://www.osce.org/odihr/elections",
    }


@pytest.fixture
def draft(reporter, content):
    return services.report_create_draft(user=reporter, **content)


@pytest.fixture
def submitted(draft, reporter):
    return services.report_submit(report=draft, user=reporter)


@pytest.fixture
def verified(submitted, reviewer):
    return services.report_verify(report=submitted, user=reviewer)


@pytest.fixture
def signals_received(monkeypatch):
    """The verified_reports_changed signals sent during the test, as kwargs dicts.

    Only this receiver listens, so the test does not run other apps' work (scorecards).
    """
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    monkeypatch.setattr(verified_reports_changed, "receivers", [])
    monkeypatch.setattr(verified_reports_changed, "sender_receivers_cache", {})
    verified_reports_changed.connect(receiver, weak=False)
    return received


def status_of(report: Report) -> str:
    return Report.objects.get(pk=report.pk).status


# --- create and edit drafts --------------------------------------------------------------


def test_create_draft_saves_a_draft_by_its_author(reporter, content):
    report = services.report_create_draft(user=reporter, **content)
    saved = Report.objects.get(pk=report.pk)
    assert (saved.status, saved.created_by, saved.level) == (ReportStatus.DRAFT, reporter, "partial")
    assert saved.submitted_by is None


def test_create_draft_refuses_workflow_fields(reporter, content):
    with pytest.raises(ValidationError) as excinfo:
        services.report_create_draft(user=reporter, status=ReportStatus.VERIFIED, **content)
    assert "status" in excinfo.value.message_dict
    assert not Report.objects.exists()


def test_create_draft_applies_report_validation(reporter, content):
    with pytest.raises(ValidationError) as excinfo:
        services.report_create_draft(user=reporter, **{**content, "kind": "violation", "severity": "grave"})
    assert "level" in excinfo.value.message_dict
    assert not Report.objects.exists()


def test_author_can_update_own_draft(draft, reporter):
    services.report_update_draft(report=draft, user=reporter, level="full", summary="Fully applied after all.")
    draft.refresh_from_db()
    assert (draft.level, draft.summary) == ("full", "Fully applied after all.")


def test_other_user_cannot_update_a_draft(draft, other_reporter):
    with pytest.raises(PermissionDenied):
        services.report_update_draft(report=draft, user=other_reporter, level="none")
    draft.refresh_from_db()
    assert draft.level == "partial"


def test_update_draft_applies_report_validation(draft, reporter):
    with pytest.raises(ValidationError) as excinfo:
        services.report_update_draft(report=draft, user=reporter, observed_on=D(1990, 1, 1))
    assert "observed_on" in excinfo.value.message_dict
    draft.refresh_from_db()
    assert draft.observed_on == D(2015, 3, 2)


def test_submitted_report_cannot_be_edited(submitted, reporter):
    with pytest.raises(ValidationError) as excinfo:
        services.report_update_draft(report=submitted, user=reporter, level="full")
    assert "status" in excinfo.value.message_dict


def test_verified_report_cannot_be_edited(verified, reporter):
    with pytest.raises(ValidationError) as excinfo:
        services.report_update_draft(report=verified, user=reporter, summary="Quietly changed.")
    assert "status" in excinfo.value.message_dict
    verified.refresh_from_db()
    assert verified.summary == "Election observation found the law mostly applied."


# --- submit --------------------------------------------------------------------------------------


def test_author_submits_a_draft(draft, reporter):
    services.report_submit(report=draft, user=reporter)
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by) == (ReportStatus.SUBMITTED, reporter)
    assert draft.submitted_at is not None


def test_only_the_author_can_submit_a_draft(draft, other_reporter):
    with pytest.raises(PermissionDenied):
        services.report_submit(report=draft, user=other_reporter)
    assert status_of(draft) == ReportStatus.DRAFT


def test_submitted_report_cannot_be_submitted_again(submitted, reporter):
    with pytest.raises(ValidationError) as excinfo:
        services.report_submit(report=submitted, user=reporter)
    assert "status" in excinfo.value.message_dict


# --- verify ------------------------------------------------------------------------------------------


def test_reviewer_verifies_a_report_submitted_by_someone_else(submitted, reviewer):
    services.report_verify(report=submitted, user=reviewer)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewed_by) == (ReportStatus.VERIFIED, reviewer)
    assert submitted.reviewed_at is not None


def test_reviewer_cannot_verify_own_report(reviewer, content):
    report = services.report_create_draft(user=reviewer, **content)
    services.report_submit(report=report, user=reviewer)
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.report_verify(report=report, user=reviewer)
    assert status_of(report) == ReportStatus.SUBMITTED


def test_reporter_without_review_permission_cannot_verify(submitted, other_reporter):
    with pytest.raises(PermissionDenied, match="Only reviewers"):
        services.report_verify(report=submitted, user=other_reporter)
    assert status_of(submitted) == ReportStatus.SUBMITTED


def test_draft_cannot_be_verified(draft, reviewer):
    with pytest.raises(ValidationError) as excinfo:
        services.report_verify(report=draft, user=reviewer)
    assert "status" in excinfo.value.message_dict
    assert status_of(draft) == ReportStatus.DRAFT


def test_verified_report_cannot_be_verified_again(verified, second_reviewer):
    with pytest.raises(ValidationError) as excinfo:
        services.report_verify(report=verified, user=second_reviewer)
    assert "status" in excinfo.value.message_dict


# --- reject ------------------------------------------------------------------------------------------


def test_reviewer_rejects_a_report_with_a_reason(submitted, reviewer):
    services.report_reject(report=submitted, user=reviewer, reason="  The source does not say this.  ")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewed_by) == (ReportStatus.REJECTED, reviewer)
    assert submitted.rejection_reason == "The source does not say this."


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_needs_a_reason(submitted, reviewer, reason):
    with pytest.raises(ValidationError) as excinfo:
        services.report_reject(report=submitted, user=reviewer, reason=reason)
    assert "reason" in excinfo.value.message_dict
    assert status_of(submitted) == ReportStatus.SUBMITTED


def test_reviewer_cannot_reject_own_report(reviewer, content):
    report = services.report_create_draft(user=reviewer, **content)
    services.report_submit(report=report, user=reviewer)
    with pytest.raises(PermissionDenied):
        services.report_reject(report=report, user=reviewer, reason="Second thoughts.")
    assert status_of(report) == ReportStatus.SUBMITTED


def test_reporter_without_review_permission_cannot_reject(submitted, other_reporter):
    with pytest.raises(PermissionDenied):
        services.report_reject(report=submitted, user=other_reporter, reason="I disagree.")
    assert status_of(submitted) == ReportStatus.SUBMITTED


def test_draft_cannot_be_rejected(draft, reviewer):
    with pytest.raises(ValidationError) as excinfo:
        services.report_reject(report=draft, user=reviewer, reason="Not ready.")
    assert "status" in excinfo.value.message_dict


# --- retract ------------------------------------------------------------------------------------------


def test_author_retracts_a_verified_report_with_a_reason(verified, reporter):
    services.report_retract(report=verified, user=reporter, reason="The source corrected itself.")
    verified.refresh_from_db()
    assert (verified.status, verified.retracted_by) == (ReportStatus.RETRACTED, reporter)
    assert verified.retraction_reason == "The source corrected itself."
    assert verified.retracted_at is not None


def test_reviewer_retracts_a_verified_report_of_someone_else(verified, second_reviewer):
    services.report_retract(report=verified, user=second_reviewer, reason="Duplicate of another report.")
    assert status_of(verified) == ReportStatus.RETRACTED


def test_author_retracts_own_draft(draft, reporter):
    services.report_retract(report=draft, user=reporter, reason="Entered by mistake.")
    assert status_of(draft) == ReportStatus.RETRACTED


@pytest.mark.parametrize("reason", ["", "   "])
def test_retract_needs_a_reason(verified, reporter, reason):
    with pytest.raises(ValidationError) as excinfo:
        services.report_retract(report=verified, user=reporter, reason=reason)
    assert "reason" in excinfo.value.message_dict
    assert status_of(verified) == ReportStatus.VERIFIED


def test_other_reporter_cannot_retract_a_report(verified, other_reporter):
    with pytest.raises(PermissionDenied):
        services.report_retract(report=verified, user=other_reporter, reason="I do not like it.")
    assert status_of(verified) == ReportStatus.VERIFIED


def test_rejected_report_cannot_be_retracted(submitted, reviewer, reporter):
    services.report_reject(report=submitted, user=reviewer, reason="Wrong State.")
    with pytest.raises(ValidationError) as excinfo:
        services.report_retract(report=submitted, user=reporter, reason="Withdrawn.")
    assert "status" in excinfo.value.message_dict
    assert status_of(submitted) == ReportStatus.REJECTED


def test_retracted_report_is_kept(verified, reporter):
    services.report_retract(report=verified, user=reporter, reason="Withdrawn.")
    assert Report.objects.filter(pk=verified.pk).exists()


# --- the verified_reports_changed signal -----------------------------------------------------------------


def test_verifying_sends_verified_reports_changed(
    submitted, reviewer, signals_received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_verify(report=submitted, user=reviewer)
    assert signals_received == [{"signal": verified_reports_changed, **payload(submitted)}]


def test_retracting_a_verified_report_sends_verified_reports_changed(
    verified, reporter, signals_received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retract(report=verified, user=reporter, reason="The source corrected itself.")
    assert signals_received == [{"signal": verified_reports_changed, **payload(verified)}]


def test_rejecting_sends_no_verified_reports_changed(
    submitted, reviewer, signals_received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_reject(report=submitted, user=reviewer, reason="Wrong State.")
    assert signals_received == []


def test_retracting_an_unverified_report_sends_no_verified_reports_changed(
    submitted, reporter, signals_received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retract(report=submitted, user=reporter, reason="Entered by mistake.")
    assert signals_received == []


def test_refused_verification_sends_no_verified_reports_changed(
    submitted, reporter, signals_received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.report_verify(report=submitted, user=reporter)
    assert signals_received == []


def payload(report: Report) -> dict:
    return {"report_id": report.pk, "state_code": report.state_id, "observed_on": report.observed_on}


# --- steps on a copy read before another step: lock, re-check, write only the changed fields ------


def test_editing_a_copy_read_before_the_submit_is_refused_and_keeps_the_submit(draft, reporter):
    read_earlier = Report.objects.get(pk=draft.pk)
    services.report_submit(report=draft, user=reporter)

    with pytest.raises(ValidationError) as error:
        services.report_update_draft(report=read_earlier, user=reporter, summary="Late edit.")

    assert "status" in error.value.message_dict
    report = Report.objects.get(pk=draft.pk)
    assert (report.status, report.submitted_by, report.summary) == (
        ReportStatus.SUBMITTED,
        reporter,
        "Election observation found the law mostly applied.",
    )


def test_an_edit_from_a_copy_read_earlier_keeps_the_fields_it_does_not_change(draft, reporter):
    read_earlier = Report.objects.get(pk=draft.pk)
    services.report_update_draft(report=draft, user=reporter, summary="Edited first.")

    services.report_update_draft(report=read_earlier, user=reporter, citation="Final report, p. 12")

    report = Report.objects.get(pk=draft.pk)
    assert (report.summary, report.citation) == ("Edited first.", "Final report, p. 12")


def test_verifying_marks_the_report_as_ever_verified_and_retracting_keeps_the_mark(verified, reporter):
    assert Report.objects.get(pk=verified.pk).ever_verified

    services.report_retract(report=verified, user=reporter, reason="Wrong State.")

    assert Report.objects.get(pk=verified.pk).ever_verified


def test_a_step_on_a_stale_version_raises_stale_version(draft, reporter):
    stale = version_tag(Report.objects.get(pk=draft.pk))
    services.report_update_draft(report=draft, user=reporter, summary="Edited.")

    with pytest.raises(StaleVersion):
        services.report_submit(report=draft, user=reporter, if_match=[stale])
    assert status_of(draft) == ReportStatus.DRAFT


# --- roles: a user in no group writes nothing ------------------------------------------------------


def test_a_user_in_no_group_cannot_create_a_draft(content):
    with pytest.raises(PermissionDenied):
        services.report_create_draft(user=UserFactory(), **content)
    assert not Report.objects.exists()


def test_a_user_in_no_group_cannot_submit_their_own_draft(content):
    roleless = UserFactory()
    draft = ReportFactory(created_by=roleless)

    with pytest.raises(PermissionDenied):
        services.report_submit(report=draft, user=roleless)
    assert status_of(draft) == ReportStatus.DRAFT
