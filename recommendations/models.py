"""OSCE institutions, the recommendations they make to participating States, and the follow-up of each."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from commitments.models import Commitment, Dimension, ReportStatus, Theme
from commitments.models.reports import choice_values, http_url_validator
from corfu_tracker.models import TimeStampedModel
from corfu_tracker.review_constraints import review_constraints
from states.models import State, StateGroup

# An assessment goes through the same review as a report: draft, submitted, verified, rejected, retracted.
AssessmentStatus = ReportStatus


class InstitutionKind(models.TextChoices):
    INSTITUTION = "institution", "Institution"
    FIELD_OPERATION = "field_operation", "Field operation"
    CHAIRMANSHIP = "chairmanship", "Chairmanship"
    SECRETARIAT = "secretariat", "Secretariat"


class InstitutionManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Institution(models.Model):
    """An OSCE body that makes recommendations to States. Each field operation is an institution of its own."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=InstitutionKind.choices)
    url = models.URLField("link", blank=True)
    reminder_email = models.EmailField(
        blank=True,
        help_text="Staff address for the weekly reminder of this institution's overdue recommendations "
        "(empty: FOLLOW_UP_REMINDER_TO).",
    )

    objects = InstitutionManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=choice_values(InstitutionKind)), name="institution_kind_valid")
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)


class Rating(models.TextChoices):
    FULLY = "fully", "Fully implemented"
    MOSTLY = "mostly", "Mostly implemented"
    PARTIALLY = "partially", "Partially implemented"
    NOT_IMPLEMENTED = "not_implemented", "Not implemented"
    NO_LONGER_APPLICABLE = "no_longer_applicable", "No longer applicable"


class RecommendationStatus(models.TextChoices):
    """A recommendation's status: the rating of its latest verified assessment, or not assessed."""

    FULLY = "fully", "Fully implemented"
    MOSTLY = "mostly", "Mostly implemented"
    PARTIALLY = "partially", "Partially implemented"
    NOT_IMPLEMENTED = "not_implemented", "Not implemented"
    NO_LONGER_APPLICABLE = "no_longer_applicable", "No longer applicable"
    NOT_ASSESSED = "not_assessed", "Not assessed"


# Ratings that close a recommendation, and the index value of each rating (no longer applicable: excluded).
CLOSED_RATINGS = (Rating.FULLY, Rating.NO_LONGER_APPLICABLE)
RATING_VALUES = {Rating.FULLY: 100, Rating.MOSTLY: 75, Rating.PARTIALLY: 50, Rating.NOT_IMPLEMENTED: 0}


class Addressee(models.TextChoices):
    PARLIAMENT = "parliament", "Parliament"
    GOVERNMENT = "government", "Government"
    ELECTION_ADMINISTRATION = "election_administration", "Election administration"
    JUDICIARY = "judiciary", "Judiciary"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    MEDIA_REGULATOR = "media_regulator", "Media regulator"
    AUTHORITIES = "authorities", "The authorities in general"


class AssessingSource(models.TextChoices):
    OBSERVATION_MISSION = "observation_mission", "Next observation mission"
    FOLLOW_UP_VISIT = "follow_up_visit", "Follow-up visit"
    INSTITUTION_STATEMENT = "institution_statement", "Statement or report of the institution"
    STATE_REPORT = "state_report", "The State's own report"
    NGO = "ngo", "Non-governmental organisation"
    INTERNATIONAL_BODY = "international_body", "Another international body"
    SYNTHETIC_DEMO = "synthetic_demo", "Synthetic demo data (not a real assessment)"


code_validator = RegexValidator(
    r"^[A-Z0-9][A-Za-z0-9.-]*$", "Use letters, digits, dots and hyphens, starting with a capital or a digit."
)


class RecommendationQuerySet(models.QuerySet):
    def issued_by(self, day: datetime.date) -> "RecommendationQuerySet":
        return self.filter(source_date__lte=day)


class RecommendationManager(models.Manager.from_queryset(RecommendationQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Recommendation(TimeStampedModel):
    """What an OSCE institution asked one State to do, traced to a numbered recommendation of a published source."""

    code = models.CharField(
        max_length=60,
        unique=True,
        validators=[code_validator],
        help_text="Stable code: institution, activity, State, year, number, e.g. ODIHR-EOM-AM-2021-7.",
    )
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="recommendations")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="recommendations")
    source_title = models.CharField(max_length=300, help_text="The report or statement the recommendation is in.")
    source_date = models.DateField(help_text="Date the source was published.")
    source_url = models.URLField("source link", max_length=500, validators=[http_url_validator])
    number = models.CharField(max_length=20, help_text="The recommendation's number in the source, e.g. 7 or A.3.")
    text = models.TextField(help_text="In our own words, or a short quotation marked as such.")
    priority = models.BooleanField(default=False, help_text="The source marks it as a priority recommendation.")
    addressee = models.CharField(max_length=30, choices=Addressee.choices, help_text="Who must act.")
    commitments = models.ManyToManyField(
        Commitment, related_name="recommendations", help_text="At least one, in force on the source date."
    )
    themes = models.ManyToManyField(Theme, related_name="recommendations", blank=True)
    is_synthetic = models.BooleanField(default=False, help_text="Demo data, not a real recommendation.")
    # Kept by services.recommendation_status_refresh whenever an assessment is verified or retracted (the rule is
    # selectors.status_columns): the list reads, filters and sorts on them without a subquery per row.
    status = models.CharField(
        max_length=25,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.NOT_ASSESSED,
        editable=False,
        help_text="Rating of the latest verified assessment, or not_assessed.",
    )
    last_assessed_on = models.DateField(
        null=True, blank=True, editable=False, help_text="Date of the latest verified assessment."
    )

    objects = RecommendationManager()
    history = HistoricalRecords(m2m_fields=[commitments, themes], excluded_fields=["status", "last_assessed_on"])

    class Meta:
        ordering = ["-source_date", "code"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="recommendation_code_not_empty"),
            models.CheckConstraint(condition=~Q(number=""), name="recommendation_number_not_empty"),
            models.CheckConstraint(
                condition=Q(addressee__in=choice_values(Addressee)), name="recommendation_addressee_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=choice_values(RecommendationStatus)), name="recommendation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source_url__startswith="http://") | Q(source_url__startswith="https://"),
                name="recommendation_source_url_http",
            ),
            models.UniqueConstraint(
                fields=["institution", "state", "source_date", "source_title", "number"],
                name="recommendation_unique_number_in_source",
                violation_error_message="This source already has a recommendation with this number for this State.",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "source_date"], name="recommendation_state_date_idx"),
            # The list's order (API, admin): a page is an index scan, not a sort of every recommendation.
            models.Index(fields=["-source_date", "code"], name="recommendation_list_order_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def natural_key(self):
        return (self.code,)

    def clean(self):
        errors = {}
        if self.source_date:
            if self.source_date > timezone.localdate():
                errors["source_date"] = f"Source date {self.source_date} is in the future."
            elif self.state_id and self.source_date < self.state.admitted_on:
                errors["source_date"] = f"{self.state.name} was not yet a participating State on {self.source_date}."
        if errors:
            raise ValidationError(errors)


def recommendation_commitment_errors(
    *, commitments: Iterable[Commitment], source_date: datetime.date | None
) -> dict[str, str]:
    """The many-to-many rule the model cannot check in clean(): at least one commitment, each in force then."""
    commitments = list(commitments)
    if not commitments:
        return {"commitments": "Name at least one commitment the recommendation serves."}
    if source_date is None:
        return {}
    out_of_force = [c.code for c in commitments if not c.is_in_force_on(source_date)]
    if out_of_force:
        return {"commitments": f"Not in force on {source_date}: {', '.join(sorted(out_of_force))}."}
    return {}


class AssessmentQuerySet(models.QuerySet):
    def verified(self) -> "AssessmentQuerySet":
        return self.filter(status=AssessmentStatus.VERIFIED)

    def visible_to(self, user) -> "AssessmentQuerySet":
        """Verified assessments for everybody; own drafts and review work for staff users (as for reports)."""
        if not user or not user.is_authenticated:
            return self.verified()
        if user.is_superuser or user.has_perm("recommendations.review_assessment"):
            return self.filter(~Q(status=AssessmentStatus.DRAFT) | Q(created_by=user))
        return self.filter(Q(status=AssessmentStatus.VERIFIED) | Q(created_by=user))

    def awaiting_review_by(self, user) -> "AssessmentQuerySet":
        return self.filter(status=AssessmentStatus.SUBMITTED).exclude(submitted_by=user)


class Assessment(TimeStampedModel):
    """One rating of how far a State has implemented a recommendation, as of a date, from one source."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="assessments")
    rating = models.CharField(max_length=25, choices=Rating.choices)
    assessed_on = models.DateField(help_text="Date of the assessing source's finding.")
    source = models.CharField("assessing source", max_length=30, choices=AssessingSource.choices)
    source_url = models.URLField("source link", max_length=500, blank=True, validators=[http_url_validator])
    summary = models.TextField()

    status = models.CharField(max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    retracted_at = models.DateTimeField(null=True, blank=True)
    retraction_reason = models.TextField(blank=True)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        permissions = [("review_assessment", "Can verify or reject assessments submitted by others")]
        indexes = [
            # Status, overdue and the follow-up index read each recommendation's verified assessments in
            # (date, id) order; with the rating included, the follow-up statement reads the index alone.
            models.Index(
                fields=["recommendation", "assessed_on", "id"],
                include=["rating"],
                condition=Q(status="verified"),
                name="assessment_verified_order_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating__in=choice_values(Rating)), name="assessment_rating_valid"),
            models.CheckConstraint(
                condition=Q(source__in=choice_values(AssessingSource)), name="assessment_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=choice_values(AssessmentStatus)), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source_url="") | Q(source_url__startswith="http://") | Q(source_url__startswith="https://"),
                name="assessment_source_url_http",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_by__isnull=False) | Q(status="retracted"),
                name="assessment_submitted_has_submitter",
            ),
            *review_constraints(prefix="assessment", noun="An assessment"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.recommendation_id and self.recommendation.code} {self.rating} {self.assessed_on}"

    @property
    def is_synthetic(self) -> bool:
        return self.source == AssessingSource.SYNTHETIC_DEMO

    def clean(self):
        errors = assessment_content_errors(
            assessed_on=self.assessed_on,
            recommendation=self.recommendation if self.recommendation_id else None,
        )
        if errors:
            raise ValidationError(errors)


def assessment_content_errors(
    *, assessed_on: datetime.date | None, recommendation: Recommendation | None, today: datetime.date | None = None
) -> dict[str, str]:
    """The content rules of an assessment, by field. Shared by the model, the import and the API."""
    errors: dict[str, str] = {}
    if assessed_on:
        today = today or timezone.localdate()
        if assessed_on > today:
            errors["assessed_on"] = f"Assessed on {assessed_on} is in the future."
        elif recommendation is not None and assessed_on < recommendation.source_date:
            errors["assessed_on"] = (
                f"Assessed on {assessed_on} is before the recommendation was issued ({recommendation.source_date})."
            )
    return errors


class FollowUpIndex(models.Model):
    """The follow-up of recommendations for a State (or a group) in a dimension (or overall) and period.

    Stored beside the scorecard row, never mixed into its score; written by the scorecards recompute,
    in the same transaction. See docs/methodology.md, "Follow-up index".
    """

    # The period by label and dates, not a key to scorecards.Period: this app does not depend on scorecards.
    period = models.CharField(max_length=7, help_text="2010 or 2010-Q2, as the scorecards' periods.")
    period_start = models.DateField()
    period_end = models.DateField()
    state = models.ForeignKey(State, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    group = models.ForeignKey(
        StateGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="For group rows; both State and group empty: all participating States.",
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, null=True, blank=True, help_text="Empty for the overall row."
    )
    index = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, help_text="0-100; empty when nothing was rated."
    )
    recommendation_count = models.PositiveIntegerField(help_text="Recommendations issued by the period's end.")
    rated_count = models.PositiveIntegerField(help_text="Recommendations whose latest rating entered the index.")
    fully_count = models.PositiveIntegerField()
    mostly_count = models.PositiveIntegerField()
    partially_count = models.PositiveIntegerField()
    not_implemented_count = models.PositiveIntegerField()
    no_longer_applicable_count = models.PositiveIntegerField()
    not_assessed_count = models.PositiveIntegerField()
    overdue_count = models.PositiveIntegerField()
    median_days_to_fully = models.PositiveIntegerField(
        null=True, blank=True, help_text="Median days from issuance to the first verified 'fully'."
    )
    method_version = models.PositiveSmallIntegerField(help_text="The scoring method of the recompute that wrote it.")
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["period_start", "-period_end", "state_id", "group_id", "dimension_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "method_version", "state", "dimension"],
                condition=Q(state__isnull=False, dimension__isnull=False),
                name="followup_unique_state_dimension",
            ),
            models.UniqueConstraint(
                fields=["period", "method_version", "state"],
                condition=Q(state__isnull=False, dimension__isnull=True),
                name="followup_unique_state_overall",
            ),
            models.UniqueConstraint(
                fields=["period", "method_version", "group", "dimension"],
                condition=Q(group__isnull=False, dimension__isnull=False),
                name="followup_unique_group_dimension",
            ),
            models.UniqueConstraint(
                fields=["period", "method_version", "group"],
                condition=Q(group__isnull=False, dimension__isnull=True),
                name="followup_unique_group_overall",
            ),
            models.UniqueConstraint(
                fields=["period", "method_version", "dimension"],
                condition=Q(state__isnull=True, group__isnull=True, dimension__isnull=False),
                name="followup_unique_all_dimension",
            ),
            models.UniqueConstraint(
                fields=["period", "method_version"],
                condition=Q(state__isnull=True, group__isnull=True, dimension__isnull=True),
                name="followup_unique_all_overall",
            ),
            models.CheckConstraint(
                condition=Q(state__isnull=True) | Q(group__isnull=True), name="followup_state_or_group"
            ),
            models.CheckConstraint(
                condition=Q(index__isnull=True) | Q(index__gte=0, index__lte=100), name="followup_index_range"
            ),
        ]
        indexes = [models.Index(fields=["state", "period"], name="followup_state_period_idx")]

    def __str__(self) -> str:
        who = self.state_id or (self.group.slug if self.group_id else "all")
        return f"{who} {self.dimension.slug if self.dimension_id else 'overall'} {self.period}: {self.index}"


class ReminderStatus(models.TextChoices):
    SENDING = "sending", "Sending (claimed)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (the next run retries it)"


class ReminderDelivery(models.Model):
    """The claim on, and the record of, one institution's weekly reminder of its overdue recommendations.

    Inserted (status `sending`) and committed before the message goes to the SMTP server; the unique
    constraint on (institution, week) makes a second run or a second worker send nothing that week.
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="reminders")
    week = models.DateField(help_text="Monday of the ISO week the reminder is for.")
    to = models.EmailField()
    overdue_count = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-week", "institution__name"]
        verbose_name_plural = "reminder deliveries"
        constraints = [
            models.UniqueConstraint(fields=["institution", "week"], name="reminderdelivery_unique_week"),
            models.CheckConstraint(
                condition=Q(status__in=choice_values(ReminderStatus)), name="reminderdelivery_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="reminderdelivery_sent_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} week of {self.week}: {self.status}"
