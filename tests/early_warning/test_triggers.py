"""When evaluation runs: on verify and retract (on commit, one series), the non-derogable rule, the nightly sweep."""

import datetime

import pytest
from django_celery_beat.models import PeriodicTask

from commitments import services as report_services
from early_warning import tasks
from early_warning.models import Alert
from tests.factories import CommitmentFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(db):
    return UserFactory(username="vera-reviewer", groups=["Reviewers"])


def submitted(series, *, severity="serious", days_ago=2, commitment=None):
    return ReportFactory(
        state=series.state,
        commitment=commitment or series.commitment,
        submitted=True,
        violation=True,
        severity=severity,
        observed_on=series.today - datetime.timedelta(days=days_ago),
    )


def test_verifying_the_report_that_completes_a_burst_opens_the_alert_on_commit(
    series, reviewer, django_capture_on_commit_callbacks
):
    series.add(3, "serious", n=2)
    report = submitted(series)

    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_verify(report=report, user=reviewer)

    alert = Alert.objects.get()
    assert alert.reports.filter(pk=report.pk).exists()


def test_nothing_is_evaluated_before_the_commit(series, reviewer, django_capture_on_commit_callbacks):
    series.add(3, "serious", n=2)
    with django_capture_on_commit_callbacks(execute=False):
        report_services.report_verify(report=submitted(series), user=reviewer)
    assert not Alert.objects.exists()


def test_retracting_a_report_re_evaluates_and_flags_the_alert(series, reviewer, django_capture_on_commit_callbacks):
    reports = series.add(3, "serious", n=3)
    tasks.sweep_all_series.apply()

    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_retract(report=reports[0], user=reviewer, reason="The source withdrew it.")

    assert Alert.objects.get().supported is False


def test_a_late_report_counts_in_the_week_it_was_observed(series, reviewer, django_capture_on_commit_callbacks):
    series.add(10, "serious", n=2)
    late = submitted(series, days_ago=19)  # verified today, observed nearly three weeks ago: still in the window

    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_verify(report=late, user=reviewer)

    assert Alert.objects.get().observed_reports == 3


def test_one_verified_grave_violation_of_a_non_derogable_commitment_raises_at_once(
    series, reviewer, django_capture_on_commit_callbacks
):
    torture = CommitmentFactory(code="TEST-TORTURE", dimension=series.dimension, non_derogable=True)
    report = submitted(series, severity="grave", commitment=torture)

    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_verify(report=report, user=reviewer)

    alert = Alert.objects.get()
    assert (alert.rule, alert.severity, alert.grave_non_derogable) == ("non_derogable", "critical", 1)


def test_a_grave_violation_of_an_ordinary_commitment_alone_does_not_alert(
    series, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_verify(report=submitted(series, severity="grave"), user=reviewer)
    assert not Alert.objects.exists()


def test_a_serious_violation_of_a_non_derogable_commitment_alone_does_not_alert(
    series, reviewer, django_capture_on_commit_callbacks
):
    torture = CommitmentFactory(code="TEST-TORTURE", dimension=series.dimension, non_derogable=True)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_verify(report=submitted(series, commitment=torture), user=reviewer)
    assert not Alert.objects.exists()


def test_the_nightly_sweep_opens_alerts_and_is_idempotent(series):
    series.add(3, "serious", n=4)

    first = tasks.sweep_all_series.apply().get()
    second = tasks.sweep_all_series.apply().get()

    assert len(first["opened"]) == 1 and second == {"opened": [], "updated": [], "unsupported": []}


def test_the_nightly_sweep_closes_nothing(series):
    series.add(3, "serious", n=4)
    tasks.sweep_all_series.apply()
    from commitments.models import Report

    Report.objects.update(observed_on=series.today - datetime.timedelta(days=200))  # the rise is long past now

    tasks.sweep_all_series.apply()

    assert Alert.objects.get().status == "open"


def test_the_nightly_sweep_is_on_the_beat_schedule():
    task = PeriodicTask.objects.get(task="early_warning.tasks.sweep_all_series")
    assert task.enabled and task.crontab.hour == "3"
