"""Time from an alert's opening to its first action and to its closing, per State and year."""

import datetime

import pytest
from django.utils import timezone

from early_warning.models import Alert
from early_warning.selectors import alert_response_times
from early_warning.services import alert_close, alerts_evaluate, early_action_record

pytestmark = pytest.mark.django_db


def test_response_times_per_state_and_year(series, watcher):
    series.add(3, "serious", n=4)
    alerts_evaluate()
    alert = Alert.objects.get()
    opened = timezone.now() - datetime.timedelta(days=10)
    Alert.objects.filter(pk=alert.pk).update(opened_at=opened)
    alert.refresh_from_db()
    early_action_record(
        alert=alert, user=watcher, kind="other", taken_on=timezone.localdate(opened) + datetime.timedelta(days=4)
    )
    early_action_record(
        alert=alert, user=watcher, kind="other", taken_on=timezone.localdate(opened) + datetime.timedelta(days=6)
    )
    alert_close(alert=alert, user=watcher, outcome="Done.")

    rows = alert_response_times(state_code="AT")

    assert rows == [
        {
            "state": "AT",
            "year": opened.year,
            "alerts": 1,
            "with_action": 1,
            "closed": 1,
            "mean_days_to_first_action": 4.0,
            "mean_days_to_close": 10.0,
        }
    ]


def test_an_alert_without_actions_counts_but_has_no_time_to_action(series):
    series.add(3, "serious", n=4)
    alerts_evaluate()
    [row] = alert_response_times()
    assert (row["alerts"], row["with_action"], row["mean_days_to_first_action"], row["mean_days_to_close"]) == (
        1,
        0,
        None,
        None,
    )
