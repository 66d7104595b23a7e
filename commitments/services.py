"""Write paths for reports and catalogue lineage. The admin, the API, commands and tasks all call these."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from corfu_tracker import review
from corfu_tracker.workflow import history_reason, lock_for_step, save_created, save_step

from .models import Commitment, CommitmentRelation, RelationKind, Report, ReportStatus
from .models.reports import duplicate_error, staff_source_error
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


def _write_unless_duplicate(report: Report, write) -> None:
    """Run `write` (which validates and saves `report`) in a savepoint.

    Validation names an identical standing report already there; one written by another request meanwhile
    is refused by the unique index instead: said the same way, never a 500.
    """
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        existing = Report.objects.first_duplicate_of(report)
        if existing is None:
            raise
        raise duplicate_error(existing) from None


def _refuse_fields_staff_cannot_set(fields: dict, *, current_source: str = "") -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be set." for name in sorted(unknown)})
    if message := staff_source_error(source=fields.get("source", ""), current=current_source):
        raise ValidationError({"source": message})


def report_create_draft(*, user, **fields) -> Report:
    _require_perm(user, "add_report", "Only reporters can write reports.")
    _refuse_fields_staff_cannot_set(fields)
    report = Report(**fields, status=ReportStatus.DRAFT, created_by=user)
    _write_unless_duplicate(report, lambda: save_created(report, user=user))
    return report


@transaction.atomic
def report_update_draft(*, report: Report, user, if_match: Iterable[str] | None = None, **fields) -> Report:
    """Edit a draft. Refused once it has moved on, even if the caller read it while it was a draft."""
    _require_perm(user, "change_report", "Only reporters and reviewers can edit reports.")
    report = _lock(report, ReportStatus.DRAFT, action="edit", if_match=if_match)
    _refuse_fields_staff_cannot_set(fields, current_source=report.source)
    if report.created_by_id != user.pk:
        raise PermissionDenied("Only the author can edit a draft.")
    for name, value in fields.items():
        setattr(report, name, value)
    _write_unless_duplicate(
        report, lambda: save_step(report, fields=fields, user=user, reason=history_reason("edited"))
    )
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


# Catalogue lineage ----------------------------------------------------------------------------------------------


def superseded_until(*, successor_in_force_from: datetime.date) -> datetime.date:
    """A superseded commitment's last day in force: the day before its successor enters into force."""
    return successor_in_force_from - datetime.timedelta(days=1)


@transaction.atomic
def commitment_supersession_apply(*, relation: CommitmentRelation, user=None) -> Commitment:
    """End the superseded commitment's time in force where its successor's begins.

    Idempotent: a target already ending on that day is left alone. Returns the (locked, updated) target.
    """
    target = Commitment.objects.select_for_update().get(pk=relation.target_id)
    if relation.kind != RelationKind.SUPERSEDES:
        return target
    source = Commitment.objects.get(pk=relation.source_id)
    until = superseded_until(successor_in_force_from=source.in_force_from)
    if target.in_force_until == until:
        return target
    if until < target.in_force_from:
        raise ValidationError(
            {"target": f"{target.code} entered into force after {until}: {source.code} cannot supersede it."}
        )
    target.in_force_until = until
    target._history_user = user
    target.save(update_fields=["in_force_until"])
    return target


@transaction.atomic
def commitment_relation_create(*, source: Commitment, target: Commitment, kind: str, user=None) -> CommitmentRelation:
    """Link a later commitment to an earlier one; a supersession ends the earlier one's time in force."""
    relation = CommitmentRelation(source=source, target=target, kind=kind)
    relation._history_user = user
    relation.full_clean()
    relation.save()
    commitment_supersession_apply(relation=relation, user=user)
    return relation
