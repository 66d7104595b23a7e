"""Reads of recommendations: status, overdue and closed as set-based annotations (one query, any page size)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import CLOSED_RATINGS, Assessment, AssessmentStatus, Recommendation, RecommendationStatus

# A recommendation not closed and not assessed for this long is overdue.
OVERDUE_AFTER = relativedelta(months=24)


def overdue_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Last verified assessment (or issuance) on or before this day: overdue."""
    return (today or timezone.localdate()) - OVERDUE_AFTER


def recommendations_with_status(*, queryset: QuerySet | None = None, today: datetime.date | None = None) -> QuerySet:
    """Recommendations annotated with `status`, `last_assessed_on`, `closed` and `overdue`.

    status: the rating of the latest verified assessment (by assessed_on, then id), or `not_assessed`.
    closed: status fully or no_longer_applicable.
    overdue: not closed, and no verified assessment in the last 24 months (since issuance if never assessed).
    """
    queryset = Recommendation.objects.all() if queryset is None else queryset
    latest = Assessment.objects.filter(recommendation=OuterRef("pk"), status=AssessmentStatus.VERIFIED).order_by(
        "-assessed_on", "-id"
    )
    cutoff = overdue_cutoff(today)
    return queryset.annotate(
        status=Coalesce(
            Subquery(latest.values("rating")[:1]),
            Value(RecommendationStatus.NOT_ASSESSED),
            output_field=CharField(),
        ),
        last_assessed_on=Subquery(latest.values("assessed_on")[:1]),
    ).annotate(
        closed=ExpressionWrapper(Q(status__in=CLOSED_RATINGS), output_field=BooleanField()),
        overdue=Case(
            When(status__in=CLOSED_RATINGS, then=Value(False)),
            When(last_assessed_on__isnull=True, source_date__lte=cutoff, then=Value(True)),
            When(last_assessed_on__lte=cutoff, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def recommendation_overdue_for_institution(*, institution, today: datetime.date | None = None) -> QuerySet:
    """An institution's overdue recommendations, oldest issuance first (the weekly staff reminder)."""
    return (
        recommendations_with_status(queryset=Recommendation.objects.filter(institution=institution), today=today)
        .filter(overdue=True)
        .select_related("state")
        .order_by("source_date", "code")
    )


def verified_assessments_of(*, recommendation: Recommendation) -> QuerySet:
    """What the public sees of a recommendation's follow-up: verified assessments, oldest first."""
    return recommendation.assessments.verified().order_by("assessed_on", "id")
