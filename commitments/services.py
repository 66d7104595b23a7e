"""Write paths for reports. The admin, the API, commands and tasks all call these."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from corfu_tracker import review
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

# The four-eyes steps (submit, verify, reject, retract) are shared with assessments: corfu_tracker/review.py.
REPORTS = review.Reviewed(
    model=Report,
    noun="report",
    review_perm="commitments.review_report",
    submit_perm="commitments.add_report",
    write_perm="commitments.change_report",
    verify_also=(("ever_verified", True),),
)


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
    return review.review_submit(REPORTS, obj=report, user=user, if_match=if_match)


@transaction.atomic
def report_verify(*, report: Report, user, if_match: Iterable[str] | None = None) -> Report:
    report = review.review_verify(REPORTS, obj=report, user=user, if_match=if_match)
    _notify_if_published(report, was_verified=False)
    return report


@transaction.atomic
def report_reject(*, report: Report, user, reason: str, if_match: Iterable[str] | None = None) -> Report:
    return review.review_reject(REPORTS, obj=report, user=user, reason=reason, if_match=if_match)


@transaction.atomic
def report_retract(*, report: Report, user, reason: str, if_match: Iterable[str] | None = None) -> Report:
    """Withdraw a report (never deleted). Its author or a reviewer may do it."""
    report, was_verified = review.review_retract(REPORTS, obj=report, user=user, reason=reason, if_match=if_match)
    _notify_if_published(report, was_verified=was_verified)
    return report
