from django.db import models
from django.db.models import Q

from commitments.models import Dimension
from states.models import State, StateGroup

from ..periods import QUARTER, YEAR, PeriodSpan


class Method(models.IntegerChoices):
    """Scoring methods (docs/methodology.md). v1 stays computable so published v1 figures can be reproduced."""

    V1 = 1, "Method 1"
    V2 = 2, "Method 2: violations only lower scores, with a 90% interval"


DEFAULT_METHOD = Method.V2


class Evidence(models.TextChoices):
    """How much implementation evidence a method-2 score rests on (n assessed of N in force)."""

    INSUFFICIENT = "insufficient", "Insufficient"
    LIMITED = "limited", "Limited"
    SUFFICIENT = "sufficient", "Sufficient"


INSUFFICIENT_TEXT = "insufficient evidence"


def format_score(score, low=None, high=None, evidence: str | None = None) -> str:
    """A score as people read it: `71.8 (64.0–79.6)` for method 2, a bare `71.8` for method 1.

    A method-2 score on insufficient evidence is not shown as a number at all.
    """
    if score is None:
        return "–"
    if evidence == Evidence.INSUFFICIENT:
        return INSUFFICIENT_TEXT
    if low is None or high is None:
        return f"{score:.1f}"
    return f"{score:.1f} ({low:.1f}–{high:.1f})"


class PeriodKind(models.TextChoices):
    QUARTER = QUARTER, "Quarter"
    YEAR = YEAR, "Year"


class PeriodManager(models.Manager):
    def get_by_natural_key(self, label):
        return self.get(label=label)

    def for_span(self, span: PeriodSpan) -> "Period":
        period, _ = self.get_or_create(
            label=span.label, defaults={"kind": span.kind, "start": span.start, "end": span.end}
        )
        return period

    def for_label(self, label: str) -> "Period":
        return self.for_span(PeriodSpan.parse(label))


class Period(models.Model):
    """A reporting period: a calendar quarter or year."""

    label = models.CharField(max_length=7, unique=True, help_text="2010 or 2010-Q2")
    kind = models.CharField(max_length=7, choices=PeriodKind.choices)
    start = models.DateField()
    end = models.DateField()

    objects = PeriodManager()

    class Meta:
        ordering = ["start", "-end"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="period_end_after_start"),
            models.UniqueConstraint(fields=["kind", "start"], name="period_unique_kind_start"),
        ]

    def __str__(self) -> str:
        return self.label

    def natural_key(self):
        return (self.label,)

    @property
    def span(self) -> PeriodSpan:
        return PeriodSpan(self.start, self.end, self.kind, self.label)


class ScoreFields(models.Model):
    """What every scorecard row carries, for a State or a group."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE)
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, null=True, blank=True, help_text="Empty for the overall row."
    )
    score = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, help_text="0-100; empty when nothing was assessed."
    )
    trend = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, help_text="Score minus the previous period's score."
    )
    method_version = models.PositiveSmallIntegerField(choices=Method.choices, default=DEFAULT_METHOD)
    score_low = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, help_text="Method 2: low end of the 90% interval."
    )
    score_high = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, help_text="Method 2: high end of the 90% interval."
    )
    evidence = models.CharField(
        max_length=12, choices=Evidence.choices, null=True, blank=True, help_text="Method 2 only; empty for method 1."
    )
    computed_at = models.DateTimeField()

    class Meta:
        abstract = True

    @property
    def dimension_slug(self) -> str:
        return self.dimension.slug if self.dimension_id else "overall"

    @property
    def score_text(self) -> str:
        return format_score(self.score, self.score_low, self.score_high, self.evidence)


class Scorecard(ScoreFields):
    """One State's score for one dimension (or overall) in one period."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="scorecards")
    coverage = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="Assessed / in-force commitments (0 to 1)."
    )
    assessed_count = models.PositiveIntegerField()
    in_force_count = models.PositiveIntegerField()
    report_count = models.PositiveIntegerField(help_text="Verified reports that entered the score.")
    violation_count = models.PositiveIntegerField(help_text="Verified violation reports observed in the period.")
    rank = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 = best score among States.")

    class Meta:
        ordering = ["period__start", "state_id", "dimension_id", "method_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "state", "dimension", "method_version"],
                condition=Q(dimension__isnull=False),
                name="scorecard_unique_state_dimension_period",
            ),
            models.UniqueConstraint(
                fields=["period", "state", "method_version"],
                condition=Q(dimension__isnull=True),
                name="scorecard_unique_overall",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="scorecard_score_range"
            ),
            models.CheckConstraint(condition=Q(coverage__gte=0, coverage__lte=1), name="scorecard_coverage_range"),
            models.CheckConstraint(
                condition=Q(score_low__isnull=True) | Q(score_low__gte=0, score_low__lte=models.F("score")),
                name="scorecard_score_low_range",
            ),
            models.CheckConstraint(
                condition=Q(score_high__isnull=True) | Q(score_high__lte=100, score_high__gte=models.F("score")),
                name="scorecard_score_high_range",
            ),
        ]
        indexes = [models.Index(fields=["state", "period"], name="scorecard_state_period_idx")]

    def __str__(self) -> str:
        return f"{self.state_id} {self.dimension_slug} {self.period}: {self.score}"


class GroupScorecard(ScoreFields):
    """The mean score of a group's members (as of the period's end); no group = all participating States."""

    group = models.ForeignKey(
        StateGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scorecards",
        help_text="Empty for all participating States.",
    )
    member_count = models.PositiveSmallIntegerField()
    scored_member_count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["period__start", "group_id", "dimension_id", "method_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "group", "dimension", "method_version"],
                condition=Q(group__isnull=False, dimension__isnull=False),
                name="groupscorecard_unique",
            ),
            models.UniqueConstraint(
                fields=["period", "group", "method_version"],
                condition=Q(group__isnull=False, dimension__isnull=True),
                name="groupscorecard_unique_overall",
            ),
            models.UniqueConstraint(
                fields=["period", "dimension", "method_version"],
                condition=Q(group__isnull=True, dimension__isnull=False),
                name="groupscorecard_unique_all",
            ),
            models.UniqueConstraint(
                fields=["period", "method_version"],
                condition=Q(group__isnull=True, dimension__isnull=True),
                name="groupscorecard_unique_all_overall",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group or 'All participating States'} {self.dimension_slug} {self.period}: {self.score}"

    @property
    def group_slug(self) -> str:
        return self.group.slug if self.group_id else "all"
