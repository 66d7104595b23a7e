"""Write paths for reports. The admin, the API, commands and tasks all call these."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from corfu_tracker.workflow import lock_for_step, save_step

from .models import Report, ReportStatus
from .signals import verified_reports_changed

EDITABLE_FIELDS = [
    "state",
    "commitment",
    "kind",
    "level",
    "severity",
    "observed_on",
    "summary",
    "source",
    "source_url",
    "citation",
    "corrects",
]


def _lock(report: Report, *allowed: str, action: str, if_match: Iterable[str] | None) -> Report:
    return lock_for_step(Report, pk=report.pk, allowed=allowed, action=action, if_match=if_match)


def _require_perm(user, codename: str, message: str) -> None:
    if not user.has_perm(f"commitments.{codename}"):
        raise PermissionDenied(message)


def _notify_if_published(report: Report, was_verified: bool) -> None:
    # Sent inside the transaction; receivers that queue work do it on commit.
    if was_verified or report.status == ReportStatus.VERIFIED:
        verified_reports_changed.send(
            sender=Report, report_id=report.pk, state_code=report.state_id, observed_on=report.observed_on
        )


def report_create_draft(*, user, **fields) -> Report:
    _require_perm(user, "add_report", "Only reporters and reviewers can write reports.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be set." for name in sorted(unknown)})
    report = Report(**fields, status=ReportStatus.DRAFT, created_by=user)
    report._history_user = user
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_update_draft(*, report: Report, user, if_match: Iterable[str] | None = None, **fields) -> Report:
    """Edit a draft. Refused once it has moved on, even if the caller read it while it was a draft."""
    _require_perm(user, "change_report", "Only reporters and reviewers can edit reports.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be set." for name in sorted(unknown)})
    report = _lock(report, ReportStatus.DRAFT, action="edit", if_match=if_match)
    if report.created_by_id != user.pk:
        raise PermissionDenied("Only the author can edit a draft.")
    for name, value in fields.items():
        setattr(report, name, value)
    save_step(report, fields=fields, user=user)
    return report


@transaction.atomic
def report_submit(*, report: Report, user, if_match: Iterable[str] | None = None) -> Report:
    _require_perm(user, "add_report", "Only reporters and reviewers can submit reports.")
    report = _lock(report, ReportStatus.DRAFT, action="submit", if_match=if_match)
    if report.created_by_id not in (None, user.pk):
        raise PermissionDenied("Only the author can submit a draft.")
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    save_step(report, fields=["status", "submitted_by", "submitted_at"], user=user)
    return report


def _check_four_eyes(report: Report, user) -> None:
    if report.submitted_by_id == user.pk:
        raise PermissionDenied("Four eyes: you cannot review a report you submitted yourself.")
    if not user.has_perm("commitments.review_report"):
        raise PermissionDenied("Only reviewers can verify or reject reports.")


@transaction.atomic
def report_verify(*, report: Report, user, if_match: Iterable[str] | None = None) -> Report:
    report = _lock(report, ReportStatus.SUBMITTED, action="verify", if_match=if_match)
    _check_four_eyes(report, user)
    report.status = ReportStatus.VERIFIED
    report.ever_verified = True
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    save_step(report, fields=["status", "ever_verified", "reviewed_by", "reviewed_at"], user=user)
    _notify_if_published(report, was_verified=False)
    return report


@transaction.atomic
def report_reject(*, report: Report, user, reason: str, if_match: Iterable[str] | None = None) -> Report:
    report = _lock(report, ReportStatus.SUBMITTED, action="reject", if_match=if_match)
    _check_four_eyes(report, user)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the report is rejected."})
    report.status = ReportStatus.REJECTED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.rejection_reason = reason.strip()
    save_step(report, fields=["status", "reviewed_by", "reviewed_at", "rejection_reason"], user=user)
    return report


@transaction.atomic
def report_retract(*, report: Report, user, reason: str, if_match: Iterable[str] | None = None) -> Report:
    """Withdraw a report (never deleted). Its author or a reviewer may do it."""
    _require_perm(user, "change_report", "Only reporters and reviewers can retract reports.")
    report = _lock(
        report,
        ReportStatus.DRAFT,
        ReportStatus.SUBMITTED,
        ReportStatus.VERIFIED,
        action="retract",
        if_match=if_match,
    )
    is_author = user.pk in (report.created_by_id, report.submitted_by_id)
    if not (is_author or user.has_perm("commitments.review_report")):
        raise PermissionDenied("Only the report's author or a reviewer can retract it.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the report is retracted."})
    was_verified = report.status == ReportStatus.VERIFIED
    report.status = ReportStatus.RETRACTED
    report.retracted_by = user
    report.retracted_at = timezone.now()
    report.retraction_reason = reason.strip()
    save_step(report, fields=["status", "retracted_by", "retracted_at", "retraction_reason"], user=user)
    _notify_if_published(report, was_verified=was_verified)
    return report
