"""Write paths for recommendations and their assessments. Admin, API, imports and commands call these."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from corfu_tracker import review
from corfu_tracker.workflow import history_reason, lock_for_step, save_created, save_step

from .models import Assessment, AssessmentStatus, Recommendation, recommendation_commitment_errors
from .selectors import status_columns
from .signals import followup_inputs_changed

# What a catalogue editor writes about a recommendation (besides its commitments and themes), in form order.
CATALOGUE_FIELDS = [
    "code",
    "state",
    "institution",
    "source_title",
    "source_date",
    "source_url",
    "number",
    "text",
    "priority",
    "addressee",
]
RECOMMENDATION_FIELDS = [*CATALOGUE_FIELDS, "is_synthetic"]
ASSESSMENT_FIELDS = ["rating", "assessed_on", "source", "source_url", "summary"]

ASSESSMENTS = review.Reviewed(
    model=Assessment,
    noun="assessment",
    review_perm="recommendations.review_assessment",
    submit_perm="recommendations.add_assessment",
    write_perm="recommendations.change_assessment",
)


def _notify_if_published(assessment: Assessment, *, was_verified: bool) -> None:
    # Sent inside the transaction; receivers that queue work do it on commit.
    if was_verified or assessment.status == AssessmentStatus.VERIFIED:
        followup_inputs_changed.send(
            sender=Assessment, state_code=assessment.recommendation.state_id, since=assessment.assessed_on
        )


def recommendation_status_refresh(*, recommendation_ids: Iterable[int] | None = None) -> int:
    """Store the status and last verified assessment date of these recommendations (all if None); one UPDATE.

    Called by the verify and retract steps below (under the recommendation's row lock), and by whatever writes
    verified assessments in bulk (the demo seed, the benchmark's seed). Returns the rows updated.
    """
    recommendations = Recommendation.objects.all()
    if recommendation_ids is not None:
        recommendations = recommendations.filter(pk__in=list(recommendation_ids))
    return recommendations.update(**status_columns())


def _lock_recommendation_of(assessment: Assessment) -> None:
    # Two reviewers verifying assessments of one recommendation at once: the second waits here, then its
    # refresh (a new statement, a new snapshot) sees the first's assessment.
    Recommendation.objects.select_for_update().filter(pk=assessment.recommendation_id).values_list("pk").first()


def _refuse_unknown(fields: dict, allowed: list[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: "This field cannot be set." for name in sorted(unknown)})


@transaction.atomic
def recommendation_create(*, user, commitments: Iterable, themes: Iterable = (), **fields) -> Recommendation:
    """A new recommendation in the catalogue (catalogue editors). Commitments: at least one, in force then."""
    if user is not None and not user.has_perm("recommendations.add_recommendation"):
        raise PermissionDenied("Only catalogue editors can add recommendations.")
    _refuse_unknown(fields, RECOMMENDATION_FIELDS)
    commitments = list(commitments)
    recommendation = Recommendation(**fields)
    errors = {}
    try:
        recommendation.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    errors.update(recommendation_commitment_errors(commitments=commitments, source_date=recommendation.source_date))
    if errors:
        raise ValidationError(errors)
    recommendation._history_user = user
    recommendation.save()
    recommendation.commitments.set(commitments)
    recommendation.themes.set(list(themes))
    return recommendation


def assessment_create_draft(*, recommendation: Recommendation, user, **fields) -> Assessment:
    """A draft assessment owned by the caller (reporters and reviewers)."""
    if not user.has_perm("recommendations.add_assessment"):
        raise PermissionDenied("Only reporters and reviewers can write assessments.")
    _refuse_unknown(fields, ASSESSMENT_FIELDS)
    assessment = Assessment(**fields, recommendation=recommendation, status=AssessmentStatus.DRAFT, created_by=user)
    save_created(assessment, user=user)
    return assessment


@transaction.atomic
def assessment_update_draft(
    *, assessment: Assessment, user, if_match: Iterable[str] | None = None, **fields
) -> Assessment:
    _refuse_unknown(fields, ASSESSMENT_FIELDS)
    assessment = lock_for_step(
        Assessment, pk=assessment.pk, allowed=[AssessmentStatus.DRAFT], action="edit", if_match=if_match
    )
    if assessment.created_by_id != user.pk:
        raise PermissionDenied("Only the author can edit a draft.")
    for name, value in fields.items():
        setattr(assessment, name, value)
    save_step(assessment, fields=fields, user=user, reason=history_reason("edited"))
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user, if_match: Iterable[str] | None = None) -> Assessment:
    return review.review_submit(ASSESSMENTS, obj=assessment, user=user, if_match=if_match)


@transaction.atomic
def assessment_verify(*, assessment: Assessment, user, if_match: Iterable[str] | None = None) -> Assessment:
    _lock_recommendation_of(assessment)
    assessment = review.review_verify(ASSESSMENTS, obj=assessment, user=user, if_match=if_match)
    recommendation_status_refresh(recommendation_ids=[assessment.recommendation_id])
    _notify_if_published(assessment, was_verified=False)
    return assessment


@transaction.atomic
def assessment_reject(
    *, assessment: Assessment, user, reason: str, if_match: Iterable[str] | None = None
) -> Assessment:
    return review.review_reject(ASSESSMENTS, obj=assessment, user=user, reason=reason, if_match=if_match)


@transaction.atomic
def assessment_retract(
    *, assessment: Assessment, user, reason: str, if_match: Iterable[str] | None = None
) -> Assessment:
    _lock_recommendation_of(assessment)
    assessment, was_verified = review.review_retract(
        ASSESSMENTS, obj=assessment, user=user, reason=reason, if_match=if_match
    )
    if was_verified:
        recommendation_status_refresh(recommendation_ids=[assessment.recommendation_id])
    _notify_if_published(assessment, was_verified=was_verified)
    return assessment
