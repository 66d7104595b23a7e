"""The four-eyes review steps, for any model reviewed like a report (reports, assessments).

The model has `status` (ReportStatus values), `created_by`, `submitted_by`/`_at`, `reviewed_by`/`_at`,
`rejection_reason`, `retracted_by`/`_at`, `retraction_reason` and `updated_at`. Each step locks the row,
re-checks its status (and the caller's version), checks who may act, and writes only the fields it changes.
Call a step inside `transaction.atomic()`; the app's service adds its own side effects around it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from commitments.models import ReportStatus as ReviewStatus

from .workflow import lock_for_step, save_step


@dataclass(frozen=True)
class Reviewed:
    """What the steps need to know about a reviewed model."""

    model: type[models.Model]
    noun: str  # "report", "assessment": used in the messages
    review_perm: str  # "commitments.review_report"
    submit_perm: str  # "commitments.add_report": reporters and reviewers
    write_perm: str  # "commitments.change_report": reporters and reviewers (retract)
    verify_also: tuple[tuple[str, object], ...] = ()  # more fields a verification sets, e.g. ever_verified


def _lock(kind: Reviewed, obj, *allowed: str, action: str, if_match: Iterable[str] | None):
    locked = lock_for_step(kind.model, pk=obj.pk, allowed=allowed, action=action, if_match=if_match)
    locked._change_reason = action  # the step's name in the history row (simple-history)
    return locked


def _require_reason(reason: str, *, noun: str, verb: str) -> str:
    if not (reason or "").strip():
        raise ValidationError({"reason": f"Say why the {noun} is {verb}."})
    return reason.strip()


# The statuses each step starts from; the step locks the row and re-checks it.
STEP_STATUSES = {
    "submit": (ReviewStatus.DRAFT,),
    "verify": (ReviewStatus.SUBMITTED,),
    "reject": (ReviewStatus.SUBMITTED,),
    "retract": (ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED),
}


def _role_refusal(kind: Reviewed, step: str, user) -> str | None:
    """Why the user's role does not allow the step, or None."""
    if step == "submit" and not user.has_perm(kind.submit_perm):
        return f"Only reporters can submit {kind.noun}s."
    if step in ("verify", "reject") and not user.has_perm(kind.review_perm):
        return f"Only reviewers can verify or reject {kind.noun}s."
    if step == "retract" and not user.has_perm(kind.write_perm):
        return f"Only reporters and reviewers can retract {kind.noun}s."
    return None


def _person_refusal(kind: Reviewed, step: str, obj, user) -> str | None:
    """Why this user may not take the step on this row whatever their role (author, four eyes), or None."""
    if step == "submit" and obj.created_by_id not in (None, user.pk):
        return "Only the author can submit a draft."
    if step in ("verify", "reject") and obj.submitted_by_id == user.pk:
        return f"Four eyes: you cannot review a {kind.noun} you submitted yourself."
    if step == "retract" and not (
        user.pk in (obj.created_by_id, obj.submitted_by_id) or user.has_perm(kind.review_perm)
    ):
        return f"Only the {kind.noun}'s author or a reviewer can retract it."
    return None


def _deny(refusal: str | None) -> None:
    if refusal:
        raise PermissionDenied(refusal)


def steps_open_to(kind: Reviewed, obj, user) -> list[str]:
    """The steps the user may take on the row as it is now (what the admin offers as buttons).

    The same checks the steps make; the steps still lock and re-check, so a stale page cannot act.
    """
    return [
        step
        for step, statuses in STEP_STATUSES.items()
        if obj.status in statuses and not _person_refusal(kind, step, obj, user) and not _role_refusal(kind, step, user)
    ]


def check_four_eyes(kind: Reviewed, obj, user) -> None:
    """Nobody reviews what they submitted; only reviewers review."""
    _deny(_person_refusal(kind, "verify", obj, user) or _role_refusal(kind, "verify", user))


def review_submit(kind: Reviewed, *, obj, user, if_match: Iterable[str] | None = None):
    _deny(_role_refusal(kind, "submit", user))
    obj = _lock(kind, obj, *STEP_STATUSES["submit"], action="submit", if_match=if_match)
    _deny(_person_refusal(kind, "submit", obj, user))
    obj.status = ReviewStatus.SUBMITTED
    obj.submitted_by = user
    obj.submitted_at = timezone.now()
    save_step(obj, fields=["status", "submitted_by", "submitted_at"], user=user)
    return obj


def review_verify(kind: Reviewed, *, obj, user, if_match: Iterable[str] | None = None):
    obj = _lock(kind, obj, *STEP_STATUSES["verify"], action="verify", if_match=if_match)
    check_four_eyes(kind, obj, user)
    obj.status = ReviewStatus.VERIFIED
    obj.reviewed_by = user
    obj.reviewed_at = timezone.now()
    for name, value in kind.verify_also:
        setattr(obj, name, value)
    save_step(obj, fields=["status", "reviewed_by", "reviewed_at", *(name for name, _ in kind.verify_also)], user=user)
    return obj


def review_reject(kind: Reviewed, *, obj, user, reason: str, if_match: Iterable[str] | None = None):
    obj = _lock(kind, obj, *STEP_STATUSES["reject"], action="reject", if_match=if_match)
    check_four_eyes(kind, obj, user)
    obj.rejection_reason = _require_reason(reason, noun=kind.noun, verb="rejected")
    obj.status = ReviewStatus.REJECTED
    obj.reviewed_by = user
    obj.reviewed_at = timezone.now()
    save_step(obj, fields=["status", "reviewed_by", "reviewed_at", "rejection_reason"], user=user)
    return obj


def review_retract(kind: Reviewed, *, obj, user, reason: str, if_match: Iterable[str] | None = None):
    """Withdraw (never delete). Its author or a reviewer may do it. Returns the row and whether it was verified."""
    _deny(_role_refusal(kind, "retract", user))
    obj = _lock(kind, obj, *STEP_STATUSES["retract"], action="retract", if_match=if_match)
    _deny(_person_refusal(kind, "retract", obj, user))
    obj.retraction_reason = _require_reason(reason, noun=kind.noun, verb="retracted")
    was_verified = obj.status == ReviewStatus.VERIFIED
    obj.status = ReviewStatus.RETRACTED
    obj.retracted_by = user
    obj.retracted_at = timezone.now()
    save_step(obj, fields=["status", "retracted_by", "retracted_at", "retraction_reason"], user=user)
    return obj, was_verified
