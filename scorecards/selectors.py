"""Reads of scorecards: explanations, latest periods, series."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Max

from commitments.models import Commitment, Report, ReportStatus

from . import scoring
from .models import GroupScorecard, Method, Scorecard
from .services import scoring_params


@dataclass
class AssessedCommitment:
    commitment: Commitment
    weight: Decimal
    value: int
    level_value: int | None
    penalty: int
    implementation_report: Report | None
    violation_reports: list[Report] = field(default_factory=list)


@dataclass
class MeasuredCommitment:
    """Method 2: a commitment of A, with its y = max(0, L - penalty)."""

    commitment: Commitment
    weight: Decimal
    level_value: int
    penalty: int
    y: int
    implementation_report: Report
    violation_reports: list[Report] = field(default_factory=list)


@dataclass
class Deduction:
    """Method 2: violations on a commitment without an implementation level: d = min(100, penalty)."""

    commitment: Commitment
    weight: Decimal
    penalty: int
    deduction: int
    violation_reports: list[Report] = field(default_factory=list)


@dataclass
class IntervalInputs:
    """Method 2: what the 90% interval of a dimension score is computed from (docs/methodology.md)."""

    n: int
    in_force: int
    weight_sum: Decimal
    weighted_sum: Decimal
    deductions: Decimal
    mean: float | None
    standard_error: float | None
    half_width: float | None


@dataclass
class Explanation:
    scorecard: Scorecard
    assessed: list[AssessedCommitment]
    unassessed: list[Commitment]
    method_version: int = Method.V1
    measured: list[MeasuredCommitment] = field(default_factory=list)
    deductions: list[Deduction] = field(default_factory=list)
    interval: IntervalInputs | None = None


def interval_inputs(
    *, measured: list[MeasuredCommitment], deductions: list[Deduction], in_force: int
) -> IntervalInputs:
    """n, N, W_A, the sums, the mean ȳ, SE and the half-width h, as method 2 defines them."""
    n = len(measured)
    weight_sum = sum((item.weight for item in measured), Decimal(0))
    weighted_sum = sum((item.weight * item.y for item in measured), Decimal(0))
    deducted = sum((item.weight * item.deduction for item in deductions), Decimal(0))
    mean = standard_error = half_width = None
    if n:
        mean = float(weighted_sum / weight_sum)
    if n >= 3:
        spread = sum(float(item.weight) ** 2 * (item.y - mean) ** 2 for item in measured)
        standard_error = math.sqrt(n / (n - 1) * spread / float(weight_sum) ** 2)
        half_width = 1.645 * standard_error * math.sqrt(1 - n / in_force)
    return IntervalInputs(n, in_force, weight_sum, weighted_sum, deducted, mean, standard_error, half_width)


def scorecard_explain(*, scorecard: Scorecard) -> Explanation:
    """Each assessed commitment of the scorecard with its value v and the reports behind it."""
    period = scorecard.period
    params = scoring_params([period], state_code=scorecard.state_id, computed_at=scorecard.computed_at)
    params["dimension_id"] = scorecard.dimension_id
    with connection.cursor() as cursor:
        cursor.execute(scoring.explain_assessed_statement(vendor=connection.vendor), params)
        rows = cursor.fetchall()

    commitment_ids = [row[0] for row in rows]
    commitments = Commitment.objects.select_related("document", "dimension").in_bulk(commitment_ids)
    implementation = Report.objects.in_bulk([row[1] for row in rows if row[1]])
    violations: dict[int, list[Report]] = {}
    for report in Report.objects.filter(
        state_id=scorecard.state_id,
        commitment_id__in=commitment_ids,
        status=ReportStatus.VERIFIED,
        kind="violation",
        observed_on__gte=period.start,
        observed_on__lte=period.end,
    ).order_by("observed_on", "id"):
        violations.setdefault(report.commitment_id, []).append(report)

    assessed = sorted(
        (
            AssessedCommitment(
                commitment=commitments[commitment_id],
                weight=Decimal(str(weight)),
                value=int(value),
                level_value=None if level_value is None else int(level_value),
                penalty=int(penalty),
                implementation_report=implementation.get(report_id),
                violation_reports=violations.get(commitment_id, []),
            )
            for commitment_id, report_id, level_value, penalty, value, _count, weight in rows
        ),
        key=lambda item: item.commitment.code,
    )
    in_force = Commitment.objects.in_force_on(period.end).select_related("dimension")
    if scorecard.dimension_id:
        in_force = in_force.filter(dimension_id=scorecard.dimension_id)
    assessed_ids = set(commitment_ids)
    in_force = list(in_force.order_by("code"))
    unassessed = [c for c in in_force if c.pk not in assessed_ids]
    if scorecard.method_version == Method.V1:
        return Explanation(scorecard=scorecard, assessed=assessed, unassessed=unassessed)
    measured = [
        MeasuredCommitment(
            commitment=item.commitment,
            weight=item.weight,
            level_value=item.level_value,
            penalty=item.penalty,
            y=item.value,
            implementation_report=item.implementation_report,
            violation_reports=item.violation_reports,
        )
        for item in assessed
        if item.level_value is not None
    ]
    deductions = [
        Deduction(
            commitment=item.commitment,
            weight=item.weight,
            penalty=item.penalty,
            deduction=min(100, item.penalty),
            violation_reports=item.violation_reports,
        )
        for item in assessed
        if item.level_value is None
    ]
    interval = None
    if scorecard.dimension_id:
        interval = interval_inputs(measured=measured, deductions=deductions, in_force=len(in_force))
    return Explanation(
        scorecard=scorecard,
        assessed=[],
        unassessed=unassessed,
        method_version=scorecard.method_version,
        measured=measured,
        deductions=deductions,
        interval=interval,
    )


def scorecards_data_version() -> str:
    """Changes whenever a recompute commits: the newest `computed_at` of the group rows.

    Every recompute deletes and rewrites its State rows and its periods' group rows with one
    fresh `computed_at`, in one transaction, so caches keyed on this value are never stale after
    it commits, in any process (it is read from the database, not from a per-process cache).
    The group table is read because it is a tenth the size of the State table.
    """
    newest = GroupScorecard.objects.aggregate(newest=Max("computed_at"))["newest"]
    return newest.isoformat() if newest else "none"
