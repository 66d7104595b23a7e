"""Writes: evaluate series and open or update alerts; acknowledge, close, record early actions."""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commitments.models import Report, ReportStatus

from . import selectors
from .detector import DEFAULT, Decision, Figures, Parameters, Windows, decide, windows_for
from .models import SEVERITY_RANK, Alert, AlertStatus, EarlyAction, early_action_errors

logger = logging.getLogger(__name__)

EMPTY = Figures(0.0, 0, 0.0, 0.0, 0, 0.0, 0)


@dataclass
class EvaluationResult:
    opened: list[int]
    updated: list[int]
    unsupported: list[int]


def _figure_fields(figures: Figures, decision: Decision, windows: Windows) -> dict:
    return {
        "rule": decision.rule,
        "window_start": windows.window_start,
        "window_end": windows.window_end,
        "baseline_start": windows.baseline_start,
        "baseline_end": windows.baseline_end,
        "baseline_weight": figures.baseline_weight,
        "baseline_reports": figures.baseline_reports,
        "baseline_weekly_rate": decision.baseline_weekly_rate,
        "expected_weight": decision.expected_weight,
        "observed_weight": figures.observed_weight,
        "observed_reports": figures.observed_reports,
        "ratio": decision.ratio,
        "p_value": decision.p_value,
        "grave_non_derogable": figures.grave_non_derogable,
    }


def _on_new_alert(alert_id: int) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.notify_new_alert.delay(alert_id), robust=True)


def _apply_trigger(
    *, state_code: str, dimension_id: int, figures: Figures, decision: Decision, windows: Windows
) -> tuple[Alert, bool] | None:
    """Open an alert for the series or update its open one. Returns (alert, created), None if nothing changed."""
    report_ids = selectors.window_report_ids(state_code=state_code, dimension_id=dimension_id, windows=windows)
    fields = _figure_fields(figures, decision, windows)
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update()
            .not_closed()
            .filter(state_id=state_code, dimension_id=dimension_id)
            .first()
        )
        if alert is None:
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        state_id=state_code, dimension_id=dimension_id, severity=decision.severity, **fields
                    )
            except IntegrityError:
                # Another worker opened it a moment ago (the partial unique constraint): update that one instead.
                alert = (
                    Alert.objects.select_for_update().not_closed().get(state_id=state_code, dimension_id=dimension_id)
                )
            else:
                alert.reports.add(*report_ids)
                _on_new_alert(alert.pk)
                return alert, True
        changed = [name for name, value in fields.items() if getattr(alert, name) != value]
        if SEVERITY_RANK[decision.severity] > SEVERITY_RANK[alert.severity]:
            alert.severity = decision.severity
            changed.append("severity")
        if not alert.supported:
            alert.supported = True
            changed.append("supported")
        new_reports = set(report_ids) - set(alert.reports.values_list("pk", flat=True))
        if not changed and not new_reports:
            return None  # idempotent: the same trigger again changes nothing
        for name in changed:
            if name in fields:
                setattr(alert, name, fields[name])
        alert.last_triggered_at = timezone.now()
        alert.save(update_fields=[*dict.fromkeys(changed), "last_triggered_at", "updated_at"])
        alert.reports.add(*new_reports)
        return alert, False


def _check_support(*, alert: Alert, params: Parameters) -> bool:
    """Whether the alert's own trigger window still satisfies the rule with the reports verified today."""
    figures = selectors.series_figures(
        as_of=alert.window_end, state_code=alert.state_id, dimension_id=alert.dimension_id, params=params
    ).get((alert.state_id, alert.dimension_id), EMPTY)
    return decide(figures, params).triggered


def _mark_unsupported_if_retracted(
    *, state_code: str | None, dimension_id: int | None, params: Parameters
) -> list[int]:
    """Open alerts some of whose reports left the verified set: flag those whose trigger no longer holds."""
    alerts = Alert.objects.not_closed().filter(supported=True, reports__status__in=[ReportStatus.RETRACTED]).distinct()
    if state_code is not None:
        alerts = alerts.filter(state_id=state_code)
    if dimension_id is not None:
        alerts = alerts.filter(dimension_id=dimension_id)
    unsupported = []
    for alert in alerts:
        if _check_support(alert=alert, params=params):
            continue
        with transaction.atomic():
            updated = Alert.objects.select_for_update().filter(pk=alert.pk, supported=True).first()
            if updated is not None:
                updated.supported = False
                updated.save(update_fields=["supported", "updated_at"])
                unsupported.append(alert.pk)
    return unsupported


def alerts_evaluate(
    *,
    as_of: datetime.date | None = None,
    state_code: str | None = None,
    dimension_id: int | None = None,
    params: Parameters = DEFAULT,
) -> EvaluationResult:
    """Evaluate the series ending today (all of them, one State, or one State x dimension); never closes an alert.

    Running it twice changes nothing the second time.
    """
    as_of = as_of or timezone.localdate()
    windows = windows_for(as_of, params)
    result = EvaluationResult([], [], [])
    all_figures = selectors.series_figures(as_of=as_of, state_code=state_code, dimension_id=dimension_id, params=params)
    for (series_state, series_dimension), figures in sorted(all_figures.items()):
        decision = decide(figures, params)
        if not decision.triggered:
            continue
        applied = _apply_trigger(
            state_code=series_state, dimension_id=series_dimension, figures=figures, decision=decision, windows=windows
        )
        if applied is not None:
            alert, created = applied
            (result.opened if created else result.updated).append(alert.pk)
    result.unsupported = _mark_unsupported_if_retracted(state_code=state_code, dimension_id=dimension_id, params=params)
    return result


def alerts_evaluate_for_report(*, report_id: int) -> EvaluationResult:
    """Incremental: the one State x dimension series a verified or retracted report belongs to."""
    report = Report.objects.select_related("commitment").filter(pk=report_id).first()
    if report is None:
        return EvaluationResult([], [], [])
    return alerts_evaluate(state_code=report.state_id, dimension_id=report.commitment.dimension_id)


# Lifecycle ---------------------------------------------------------------------------------------


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert.pk)


@transaction.atomic
def alert_acknowledge(*, alert: Alert, user) -> Alert:
    alert = _locked(alert)
    if alert.status != AlertStatus.OPEN:
        raise ValidationError({"status": f"Only an open alert can be acknowledged; this one is {alert.status}."})
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = user
    alert._history_user = user
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    return alert


@transaction.atomic
def alert_close(*, alert: Alert, user, outcome: str) -> Alert:
    alert = _locked(alert)
    if alert.status == AlertStatus.CLOSED:
        raise ValidationError({"status": "The alert is already closed."})
    if not (outcome or "").strip():
        raise ValidationError({"outcome": "Say what happened before closing the alert."})
    alert.status = AlertStatus.CLOSED
    alert.outcome = outcome.strip()
    alert.closed_at = timezone.now()
    alert.closed_by = user
    alert._history_user = user
    alert.save(update_fields=["status", "outcome", "closed_at", "closed_by", "updated_at"])
    return alert


@transaction.atomic
def early_action_record(*, alert: Alert, user, kind: str, taken_on: datetime.date, note: str = "") -> EarlyAction:
    alert = _locked(alert)
    errors = early_action_errors(alert=alert, kind=kind, taken_on=taken_on)
    if errors:
        raise ValidationError(errors)
    action = EarlyAction(alert=alert, kind=kind, taken_on=taken_on, note=(note or "").strip(), created_by=user)
    action._history_user = user
    action.full_clean()
    action.save()
    return action
