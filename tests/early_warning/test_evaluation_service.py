"""Evaluating series against the database: alerts opened, updated, never duplicated, marked unsupported."""

import datetime

import pytest

from commitments import services as report_services
from early_warning.detector import figures_from_events, windows_for
from early_warning.models import Alert, AlertStatus
from early_warning.selectors import series_figures
from early_warning.services import alert_close, alerts_evaluate
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sql_figures_equal_the_python_figures_of_the_same_reports(series):
    series.steady(weeks=60, per_week=1, severity="minor")
    series.add(2, "serious", n=3)
    series.add(10, "grave")
    series.add(20, "minor")
    series.add(370, "grave")  # just inside the baseline
    series.add(500, "grave")  # outside both windows
    events = [(r["observed_on"], r["severity"], False) for r in _violations()]

    sql = series_figures(as_of=series.today)[(series.state.code, series.dimension.pk)]

    assert sql == figures_from_events(events, as_of=series.today)


def _violations():
    from commitments.models import Report

    return Report.objects.filter(status="verified", kind="violation").values("observed_on", "severity")


def test_a_quiet_state_with_a_burst_of_serious_violations_gets_one_open_alert(series):
    series.add(400, "minor")  # a year and more of quiet
    series.add(3, "serious", n=4)

    result = alerts_evaluate()

    alert = Alert.objects.get()
    assert result.opened == [alert.pk]
    assert (alert.state_id, alert.dimension_id, alert.status, alert.rule) == (
        "AT",
        series.dimension.pk,
        "open",
        "spike",
    )
    assert alert.observed_reports == 4 and alert.observed_weight == 10.0
    assert alert.reports.count() == 4


def test_more_reports_while_open_update_the_same_alert(series):
    series.add(3, "serious", n=4)
    alerts_evaluate()
    series.add(1, "grave", n=2)

    result = alerts_evaluate()

    alert = Alert.objects.get()
    assert result.updated == [alert.pk] and result.opened == []
    assert alert.observed_reports == 6 and alert.reports.count() == 6


def test_an_acknowledged_alert_is_updated_not_duplicated(series, watcher):
    from early_warning.services import alert_acknowledge

    series.add(3, "serious", n=4)
    alerts_evaluate()
    alert_acknowledge(alert=Alert.objects.get(), user=watcher)
    series.add(1, "serious", n=2)

    alerts_evaluate()

    assert Alert.objects.get().status == AlertStatus.ACKNOWLEDGED


def test_evaluating_twice_changes_nothing(series):
    series.add(3, "serious", n=4)
    alerts_evaluate()
    before = Alert.objects.get()

    result = alerts_evaluate()

    after = Alert.objects.get()
    assert result.opened == result.updated == result.unsupported == []
    assert after.updated_at == before.updated_at and after.history.count() == 1


def test_a_state_with_a_steady_violation_rate_gets_no_alert(series):
    series.steady(weeks=60, per_week=2, severity="serious")

    alerts_evaluate()

    assert not Alert.objects.exists()


def test_past_spikes_are_never_opened(series):
    series.add(60, "serious", n=10)  # a burst two months ago, nothing since

    alerts_evaluate()

    assert not Alert.objects.exists()


def test_the_same_spike_judged_on_its_own_day_would_have_alerted(series):
    series.add(60, "serious", n=10)

    alerts_evaluate(as_of=series.today - datetime.timedelta(days=59))

    assert Alert.objects.count() == 1


def test_a_new_trigger_after_closing_opens_a_new_alert(series, watcher):
    series.add(3, "serious", n=4)
    alerts_evaluate()
    alert_close(alert=Alert.objects.get(), user=watcher, outcome="Discussed at the Permanent Council.")
    series.add(1, "serious", n=1)

    alerts_evaluate()

    assert Alert.objects.filter(status=AlertStatus.OPEN).count() == 1
    assert Alert.objects.count() == 2


def test_other_series_are_not_touched_by_an_incremental_evaluation(series):
    series.add(3, "serious", n=4)

    alerts_evaluate(state_code="FR")

    assert not Alert.objects.exists()


def test_retraction_that_removes_the_trigger_keeps_the_alert_marked_unsupported(series):
    reports = series.add(3, "serious", n=3)
    alerts_evaluate()
    reviewer = UserFactory(username="vera", groups=["Reviewers"])
    report_services.report_retract(report=reports[0], user=reviewer, reason="Source withdrew the story.")

    result = alerts_evaluate(state_code="AT")

    alert = Alert.objects.get()
    assert result.unsupported == [alert.pk]
    assert alert.status == AlertStatus.OPEN and alert.supported is False
    assert alert.reports.count() == 3  # the retracted report stays listed behind it
    assert alert.history.first().supported is False


def test_retraction_that_leaves_the_trigger_standing_keeps_the_alert_supported(series):
    reports = series.add(3, "serious", n=5)
    alerts_evaluate()
    reviewer = UserFactory(username="vera", groups=["Reviewers"])
    report_services.report_retract(report=reports[0], user=reviewer, reason="Duplicate.")

    alerts_evaluate(state_code="AT")

    assert Alert.objects.get().supported is True


def test_one_open_alert_per_series_is_enforced_by_the_database(series):
    series.add(3, "serious", n=4)
    alerts_evaluate()
    alert = Alert.objects.get()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            **{
                field.name: getattr(alert, field.name)
                for field in Alert._meta.concrete_fields
                if field.name not in ("id", "created_at", "updated_at")
            }
        )


def test_window_reports_are_verified_violations_of_the_series_only(series):
    series.add(3, "serious", n=4)
    ReportFactory(state=series.state, commitment=series.commitment, observed_on=series.today, verified=True)
    ReportFactory(state=series.state, commitment=series.commitment, observed_on=series.today, violation=True)
    windows = windows_for(series.today)

    alerts_evaluate()

    alert = Alert.objects.get()
    assert (alert.window_start, alert.window_end) == (windows.window_start, windows.window_end)
    assert alert.reports.count() == 4
