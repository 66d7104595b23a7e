"""The alerts API: who may read and act, the lifecycle through it, and its 400s naming the field."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from early_warning.models import Alert, AlertStatus, EarlyAction
from early_warning.services import alert_close, alerts_evaluate
from tests.api.conftest import client_with_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


@pytest.fixture
def alert(series):
    series.add(3, "serious", n=4)
    alerts_evaluate()
    alert = Alert.objects.get()
    alert.internal_note = "Delegation X asked for discretion."
    alert.save(update_fields=["internal_note"])
    return alert


@pytest.fixture
def staff(watcher):
    return client_with_token(watcher)


def test_early_warning_staff_list_alerts(staff, alert):
    response = staff.get("/api/v1/alerts/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [alert.pk]


@pytest.mark.parametrize("who", ["anonymous", "reporter", "staff outside the group"])
def test_others_get_403_while_alerts_are_not_public(who, alert, reporter):
    client = {
        "anonymous": APIClient(),
        "reporter": client_with_token(reporter),
        "staff outside the group": client_with_token(UserFactory(username="sam-staff")),
    }[who]
    assert client.get("/api/v1/alerts/").status_code == 403
    assert client.get(f"/api/v1/alerts/{alert.pk}/").status_code == 403


def test_public_setting_shows_open_alerts_without_internal_notes(settings, alert):
    settings.EARLY_WARNING_PUBLIC = True
    response = APIClient().get(f"/api/v1/alerts/{alert.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["observed_reports"] == 4 and len(body["reports"]) == 4
    assert "internal_note" not in body


def test_public_setting_shows_closed_alerts_without_the_outcome_or_action_notes(settings, alert, watcher, staff):
    staff.post(f"/api/v1/alerts/{alert.pk}/actions/", {"kind": "other", "taken_on": str(TODAY()), "note": "Secret."})
    alert_close(alert=alert, user=watcher, outcome="Quiet diplomacy worked.")
    settings.EARLY_WARNING_PUBLIC = True
    anon = APIClient()
    listed = anon.get("/api/v1/alerts/").json()["results"]
    body = anon.get(f"/api/v1/alerts/{alert.pk}/").json()
    assert [row["status"] for row in listed] == ["closed"] and "outcome" not in listed[0]
    assert "outcome" not in body and body["actions"] == [{"kind": "other", "taken_on": str(TODAY())}]


def test_public_setting_hides_acknowledged_alerts(settings, alert, staff):
    staff.post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    settings.EARLY_WARNING_PUBLIC = True
    assert APIClient().get("/api/v1/alerts/").json()["results"] == []


def test_public_setting_never_lets_anonymous_callers_act(settings, alert):
    settings.EARLY_WARNING_PUBLIC = True
    response = APIClient().post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 403
    assert Alert.objects.get().status == AlertStatus.OPEN


def test_detail_has_figures_reports_and_actions(staff, alert, watcher):
    staff.post(f"/api/v1/alerts/{alert.pk}/actions/", {"kind": "hcnm_engagement", "taken_on": str(TODAY())})
    body = staff.get(f"/api/v1/alerts/{alert.pk}/").json()
    assert body["observed_weight"] == 10.0 and body["baseline_reports"] == 0
    assert {report["severity"] for report in body["reports"]} == {"serious"}
    assert body["actions"][0]["kind"] == "hcnm_engagement" and body["actions"][0]["created_by"] == "wanda-watcher"
    assert body["days_to_first_action"] == 0
    assert body["internal_note"] == "Delegation X asked for discretion."


@pytest.mark.parametrize(
    ("query", "expected"),
    [("state=AT", 1), ("state=FR", 0), ("dimension=human", 1), ("status=open", 1), ("status=closed", 0)],
)
def test_filters(staff, alert, query, expected):
    from tests.factories import StateFactory

    StateFactory(code="FR")
    response = staff.get(f"/api/v1/alerts/?{query}")
    assert response.status_code == 200 and len(response.json()["results"]) == expected


@pytest.mark.parametrize("query", ["state=XX", "dimension=nope", "status=snoozed"])
def test_unknown_filter_values_are_a_400_naming_the_parameter(staff, alert, query):
    response = staff.get(f"/api/v1/alerts/?{query}")
    assert response.status_code == 400 and query.split("=")[0] in response.json()


def test_lifecycle_open_acknowledged_closed(staff, alert):
    assert staff.post(f"/api/v1/alerts/{alert.pk}/acknowledge/").json()["status"] == "acknowledged"
    response = staff.post(f"/api/v1/alerts/{alert.pk}/close/", {"outcome": "Statement issued; rate back to normal."})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    alert.refresh_from_db()
    assert alert.outcome == "Statement issued; rate back to normal." and alert.closed_by.username == "wanda-watcher"
    assert [h.status for h in alert.history.order_by("history_date")] == ["open", "open", "acknowledged", "closed"]


def test_close_without_outcome_is_a_400_naming_outcome(staff, alert):
    response = staff.post(f"/api/v1/alerts/{alert.pk}/close/", {"outcome": "  "})
    assert response.status_code == 400 and "outcome" in response.json()
    assert Alert.objects.get().status == AlertStatus.OPEN


def test_acknowledging_twice_is_a_400_naming_status(staff, alert):
    staff.post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    response = staff.post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 400 and "status" in response.json()


def test_recording_an_action(staff, alert):
    response = staff.post(
        f"/api/v1/alerts/{alert.pk}/actions/",
        {"kind": "chairmanship_statement", "taken_on": str(TODAY()), "note": "Statement on the arrests."},
    )
    assert response.status_code == 201
    action = EarlyAction.objects.get()
    assert (action.kind, action.created_by.username, action.history.count()) == (
        "chairmanship_statement",
        "wanda-watcher",
        1,
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "airstrike", "taken_on": "TODAY"}, "kind"),
        ({"kind": "other", "taken_on": "TOMORROW"}, "taken_on"),
        ({"kind": "other", "taken_on": "BEFORE"}, "taken_on"),
        ({"kind": "other"}, "taken_on"),
    ],
)
def test_bad_actions_are_a_400_naming_the_field_and_save_nothing(staff, alert, payload, field):
    days = {"TODAY": 0, "TOMORROW": 1, "BEFORE": -3}
    payload = {
        key: str(TODAY() + datetime.timedelta(days=days[value])) if value in days else value
        for key, value in payload.items()
    }
    response = staff.post(f"/api/v1/alerts/{alert.pk}/actions/", payload)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not EarlyAction.objects.exists()


def test_acting_on_a_closed_alert_is_a_400_naming_status(staff, alert, watcher):
    alert_close(alert=alert, user=watcher, outcome="Resolved.")
    for path, payload in [
        ("actions", {"kind": "other", "taken_on": str(TODAY())}),
        ("acknowledge", {}),
        ("close", {"outcome": "Again."}),
    ]:
        response = staff.post(f"/api/v1/alerts/{alert.pk}/{path}/", payload)
        assert response.status_code == 400 and "status" in response.json(), path
    assert not EarlyAction.objects.exists()
    assert Alert.objects.get().outcome == "Resolved."


def test_an_action_dated_on_the_opening_day_is_accepted(staff, alert):
    opened_on = timezone.localdate(alert.opened_at)
    response = staff.post(f"/api/v1/alerts/{alert.pk}/actions/", {"kind": "other", "taken_on": str(opened_on)})
    assert response.status_code == 201
