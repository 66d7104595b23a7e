"""The alert admin: open alerts first, the series chart with its numbers, actions inline, acknowledge and close."""

import datetime

import pytest

from early_warning.models import Alert, AlertStatus, EarlyAction
from early_warning.services import alert_close, alerts_evaluate

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/early_warning/alert/"


@pytest.fixture
def signed_in(client, watcher):
    client.force_login(watcher)
    return client


@pytest.fixture
def two_alerts(series, watcher):
    series.add(3, "serious", n=4)
    alerts_evaluate()
    closed = Alert.objects.get()
    alert_close(alert=closed, user=watcher, outcome="Resolved.")
    series.add(1, "serious", n=1)
    alerts_evaluate()
    return Alert.objects.get(status=AlertStatus.OPEN), closed


def test_the_list_shows_open_alerts_before_closed_ones(signed_in, two_alerts):
    opened, closed = two_alerts
    response = signed_in.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [opened, closed]


def test_the_alert_page_has_the_series_chart_and_its_numbers(signed_in, two_alerts):
    opened, _ = two_alerts
    html = signed_in.get(f"{CHANGELIST}{opened.pk}/change/").content.decode()
    assert 'src="data:image/png;base64,iVBOR' in html
    assert "<th>week ending</th>" in html and f"<td>{opened.window_end.isoformat()}</td><td>12.5</td>" in html
    report = opened.reports.first()
    assert f'<a href="/admin/commitments/report/{report.pk}/change/">#{report.pk}</a>' in html


def test_an_action_is_added_inline_with_the_user_recorded(signed_in, two_alerts, watcher):
    opened, _ = two_alerts
    url = f"{CHANGELIST}{opened.pk}/change/"
    data = {
        "internal_note": "",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-kind": "odihr_assessment",
        "actions-0-taken_on": datetime.date.today().isoformat(),
        "actions-0-note": "Needs assessment mission.",
    }
    response = signed_in.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    action = EarlyAction.objects.get()
    assert (action.alert, action.kind, action.created_by) == (opened, "odihr_assessment", watcher)


def test_an_inline_action_in_the_future_is_a_form_error(signed_in, two_alerts):
    opened, _ = two_alerts
    data = {
        "internal_note": "",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-kind": "other",
        "actions-0-taken_on": (datetime.date.today() + datetime.timedelta(days=2)).isoformat(),
    }
    response = signed_in.post(f"{CHANGELIST}{opened.pk}/change/", data)
    assert response.status_code == 200
    assert "in the future" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert not EarlyAction.objects.exists()


def test_close_action_needs_an_outcome(signed_in, two_alerts):
    opened, _ = two_alerts
    signed_in.post(CHANGELIST, {"action": "close", "_selected_action": [opened.pk], "outcome": ""})
    assert Alert.objects.get(pk=opened.pk).status == AlertStatus.OPEN
    signed_in.post(CHANGELIST, {"action": "close", "_selected_action": [opened.pk], "outcome": "Statement issued."})
    assert Alert.objects.get(pk=opened.pk).status == AlertStatus.CLOSED


def test_staff_outside_the_group_cannot_open_the_alert_admin(client, two_alerts):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="sam"))
    assert client.get(CHANGELIST).status_code == 403
