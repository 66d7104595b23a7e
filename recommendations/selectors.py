"""Reads of recommendations: status, overdue and closed as set-based annotations (one query, any page size)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lag
from django.utils import timezone

from commitments.models import Commitment, Theme

from .models import CLOSED_RATINGS, Assessment, AssessmentStatus, FollowUpIndex, Recommendation, RecommendationStatus

# A recommendation not closed and not assessed for this long is overdue.
OVERDUE_AFTER = relativedelta(months=24)


def overdue_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Last verified assessment (or issuance) on or before this day: overdue."""
    return (today or timezone.localdate()) - OVERDUE_AFTER


def status_columns(assessment_model=Assessment) -> dict:
    """The stored `status` and `last_assessed_on` of a recommendation, as update expressions (the one rule).

    status: the rating of the latest verified assessment (by assessed_on, then id), or `not_assessed`.
    The migration that fills the columns passes its historical Assessment model.
    """
    latest = assessment_model._default_manager.filter(
        recommendation=OuterRef("pk"), status=AssessmentStatus.VERIFIED
    ).order_by("-assessed_on", "-id")
    return {
        "status": Coalesce(
            Subquery(latest.values("rating")[:1]), Value(RecommendationStatus.NOT_ASSESSED), output_field=CharField()
        ),
        "last_assessed_on": Subquery(latest.values("assessed_on")[:1]),
    }


def recommendations_with_status(*, queryset: QuerySet | None = None, today: datetime.date | None = None) -> QuerySet:
    """Recommendations annotated with `closed` and `overdue` (from the stored `status` and `last_assessed_on`).

    closed: status fully or no_longer_applicable.
    overdue: not closed, and no verified assessment in the last 24 months (since issuance if never assessed).
    """
    queryset = Recommendation.objects.all() if queryset is None else queryset
    cutoff = overdue_cutoff(today)
    return queryset.annotate(
        closed=ExpressionWrapper(Q(status__in=CLOSED_RATINGS), output_field=BooleanField()),
        overdue=Case(
            When(status__in=CLOSED_RATINGS, then=Value(False)),
            When(last_assessed_on__isnull=True, source_date__lte=cutoff, then=Value(True)),
            When(last_assessed_on__lte=cutoff, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def recommendation_codes(*, ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The commitment codes and theme slugs of these recommendations, by id, in the catalogue's order.

    One plain statement for both (a list page calls this once per request, so ORM query building was
    most of its cost); the order is each model's `Meta.ordering`: commitments by (sort_key, code),
    themes by name.
    """
    commitments: dict[int, list[str]] = {pk: [] for pk in ids}
    themes: dict[int, list[str]] = {pk: [] for pk in ids}
    if not ids:
        return commitments, themes
    with connection.cursor() as cursor:
        cursor.execute(_codes_statement(len(ids)), [*ids, *ids])
        for pk, kind, code, *_sort_keys in cursor.fetchall():
            (commitments if kind == "c" else themes)[pk].append(code)
    return commitments, themes


def _codes_statement(count: int) -> str:
    serving = Recommendation.commitments.through._meta.db_table
    tagged = Recommendation.themes.through._meta.db_table
    placeholders = ", ".join(["%s"] * count)
    return f"""
        SELECT s.recommendation_id, 'c', c.code, c.sort_key AS first_key, c.code AS second_key
          FROM {serving} s JOIN {Commitment._meta.db_table} c ON c.id = s.commitment_id
         WHERE s.recommendation_id IN ({placeholders})
        UNION ALL
        SELECT t.recommendation_id, 't', th.slug, th.name, th.slug
          FROM {tagged} t JOIN {Theme._meta.db_table} th ON th.id = t.theme_id
         WHERE t.recommendation_id IN ({placeholders})
        ORDER BY 2, 4, 5
    """


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


def followup_overall_rows(*, state_codes: list[str], period_label: str, method_version: int) -> dict:
    """Each State's overall follow-up index row for a period, by State code (one query)."""
    rows = FollowUpIndex.objects.filter(
        state_id__in=state_codes, period=period_label, dimension__isnull=True, method_version=method_version
    )
    return {row.state_id: row for row in rows}


def status_changes_in(*, state_codes: list[str], start: datetime.date, end: datetime.date) -> dict:
    """Per State, the recommendations whose status changed within [start, end], oldest change first.

    A change is a verified assessment dated in the window whose rating differs from the one before it
    (the first verified assessment changes `not_assessed`). One query: the previous rating comes from a
    window function over each recommendation's verified assessments up to `end`.
    """
    assessments = (
        Assessment.objects.filter(
            status=AssessmentStatus.VERIFIED, recommendation__state_id__in=state_codes, assessed_on__lte=end
        )
        .annotate(
            previous=Window(
                Lag("rating"), partition_by=[F("recommendation_id")], order_by=[F("assessed_on").asc(), F("id").asc()]
            )
        )
        .values(
            "recommendation__state_id",
            "recommendation__code",
            "recommendation__text",
            "rating",
            "previous",
            "assessed_on",
        )
        .order_by("assessed_on", "id")
    )
    changes: dict[str, list[dict]] = {}
    for row in assessments:
        if row["assessed_on"] >= start and row["rating"] != row["previous"]:
            changes.setdefault(row["recommendation__state_id"], []).append(
                {
                    "code": row["recommendation__code"],
                    "text": row["recommendation__text"],
                    "before": row["previous"] or RecommendationStatus.NOT_ASSESSED,
                    "after": row["rating"],
                    "on": row["assessed_on"],
                }
            )
    return changes


def followup_inputs_changed(*, since: datetime.datetime, until: datetime.date) -> bool:
    """Whether anything the follow-up index of a period ending `until` reads was changed after `since`.

    That is a recommendation issued by `until`, or an assessment dated by then that is verified or was
    verified before being retracted (retraction keeps `reviewed_at`; a rejected one is never retracted).
    The nightly stale sweep asks this of every computed period.
    """
    assessments = Assessment.objects.filter(
        Q(status=AssessmentStatus.VERIFIED) | Q(status=AssessmentStatus.RETRACTED, reviewed_at__isnull=False),
        updated_at__gt=since,
        assessed_on__lte=until,
    )
    recommendations = Recommendation.objects.filter(updated_at__gt=since, source_date__lte=until)
    return assessments.exists() or recommendations.exists()


def assessments_awaiting_review_count(*, user) -> int:
    """Submitted assessments this user may verify: submitted by someone else, and only for reviewers."""
    if not user.has_perm("recommendations.review_assessment"):
        return 0
    return Assessment.objects.awaiting_review_by(user).count()
