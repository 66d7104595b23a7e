"""The database's half of the four-eyes review (corfu_tracker/review.py), shared by every reviewed model."""

from django.db import models
from django.db.models import Q


def review_constraints(*, prefix: str, noun: str) -> list[models.CheckConstraint]:
    """Nobody reviews what they submitted; a rejection and a retraction each say why.

    `prefix` names the constraints (`report`, `assessment`); `noun` is the model in the message.
    """
    return [
        models.CheckConstraint(
            condition=~Q(status__in=["verified", "rejected"])
            | (Q(reviewed_by__isnull=False) & ~Q(reviewed_by=models.F("submitted_by"))),
            name=f"{prefix}_four_eyes",
            violation_error_message=f"{noun} is reviewed by someone other than its submitter.",
        ),
        models.CheckConstraint(
            condition=~Q(status="rejected") | ~Q(rejection_reason=""), name=f"{prefix}_rejection_has_reason"
        ),
        models.CheckConstraint(
            condition=~Q(status="retracted") | ~Q(retraction_reason=""), name=f"{prefix}_retraction_has_reason"
        ),
    ]
