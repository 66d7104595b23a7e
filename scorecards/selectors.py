"""Reads of scorecards: explanations, latest periods, series."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from commitments.models import Commitment, Report, ReportStatus

from . import scoring
from .models import Method, Scorecard
from .services import scoring_params, scoring_statement


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
class Explanation:
    scorecard: Scorecard
    assessed: list[AssessedCommitment]
    unassessed: list[Commitment]
    method_version: int = Method.V1


def scorecard_explain(*, scorecard: Scorecard) -> Explanation:
    """Each assessed commitment of the scorecard with its value v and the reports behind it."""
    period = scorecard.period
    params = scoring_params([period], state_code=scorecard.state_id, computed_at=scorecard.computed_at)
    params["dimension_id"] = scorecard.dimension_id
    with connection.cursor() as cursor:
        cursor.execute(scoring_statement(scoring.EXPLAIN_ASSESSED, [period]), params)
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
    unassessed = [c for c in in_force.order_by("code") if c.pk not in assessed_ids]
    return Explanation(scorecard=scorecard, assessed=assessed, unassessed=unassessed)
