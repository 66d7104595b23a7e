"""New-alert emails: once per alert and address, to Early warning staff and to subscribers who opted in."""

import pytest
from django.core import mail

from early_warning import notifications
from early_warning.models import Alert, AlertDelivery, DeliveryStatus
from early_warning.services import alerts_evaluate
from scorecards import subscriptions
from tests.factories import StateFactory, UserFactory
from tests.scorecards.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def burst(series):
    def run():
        series.add(3, "serious", n=4)

    return run


def evaluate(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return alerts_evaluate()


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_early_warning_staff_get_one_email_per_new_alert(watcher, burst, django_capture_on_commit_callbacks):
    burst()
    evaluate(django_capture_on_commit_callbacks)

    assert recipients() == ["wanda@osce.example"]
    message = mail.outbox[0]
    assert "State AT" in message.subject and "Human" in message.subject
    assert f"/admin/early_warning/alert/{Alert.objects.get().pk}/change/" in message.body
    html = message.alternatives[0][0]
    assert "State AT" in html and "weighted 10.0" in html


def test_updates_and_reruns_send_nothing_more(watcher, series, burst, django_capture_on_commit_callbacks):
    burst()
    evaluate(django_capture_on_commit_callbacks)
    series.add(1, "grave", n=2)
    evaluate(django_capture_on_commit_callbacks)
    from early_warning import tasks

    tasks.notify_new_alert.apply(args=[Alert.objects.get().pk])
    tasks.send_alert_email.apply(args=[Alert.objects.get().pk, "wanda@osce.example", "staff"])

    assert recipients() == ["wanda@osce.example"]
    assert AlertDelivery.objects.get().status == DeliveryStatus.SENT


def test_staff_outside_the_group_get_nothing(early_warning_group, burst, django_capture_on_commit_callbacks):
    UserFactory(username="sam", email="sam@osce.example")
    burst()
    evaluate(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_subscribers_who_opted_in_for_the_state_get_one_email(series, burst, django_capture_on_commit_callbacks):
    SubscriptionFactory(email="ana@example.org", alerts=True, states=[series.state])
    SubscriptionFactory(email="all@example.org", alerts=True)  # no States chosen = all
    SubscriptionFactory(email="other@example.org", alerts=True, states=[StateFactory(code="FR")])
    SubscriptionFactory(email="digest-only@example.org", alerts=False, states=[series.state])
    SubscriptionFactory(email="pending@example.org", alerts=True, pending=True)
    SubscriptionFactory(email="gone@example.org", alerts=True, unsubscribed=True)
    burst()

    evaluate(django_capture_on_commit_callbacks)
    evaluate(django_capture_on_commit_callbacks)

    assert recipients() == ["all@example.org", "ana@example.org"]
    message = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert "/admin/" not in message.body and "Unsubscribe" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_subscribing_with_alerts_needs_the_double_opt_in(series, burst, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscription = subscriptions.subscription_subscribe(
            email="new@example.org", state_codes=["AT"], dimension_slugs=[], frequency="quarterly", alerts=True
        )
    assert "early-warning alert" in mail.outbox[0].body  # the confirmation email says what was asked
    mail.outbox.clear()
    burst()
    evaluate(django_capture_on_commit_callbacks)
    assert mail.outbox == []

    subscriptions.subscription_confirm(token=subscriptions.confirm_token(subscription))
    series.add(0, "serious")  # the open alert is updated: still no email for it
    evaluate(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    from early_warning.services import alert_close
    from tests.factories import UserFactory as U

    alert_close(alert=Alert.objects.get(), user=U(username="x"), outcome="Done.")
    series.add(0, "serious")
    evaluate(django_capture_on_commit_callbacks)
    assert recipients() == ["new@example.org"]


def test_the_api_takes_alerts_true_on_a_subscription(client, db):
    StateFactory(code="AT")
    response = client.post(
        "/api/v1/subscriptions/", {"email": "api@example.org", "states": ["AT"], "alerts": True}, "application/json"
    )
    assert response.status_code == 202
    from scorecards.models import Subscription

    assert Subscription.objects.get().alerts is True


def test_an_address_that_is_staff_and_subscriber_gets_one_email(watcher, burst, django_capture_on_commit_callbacks):
    SubscriptionFactory(email="wanda@osce.example", alerts=True)
    burst()
    evaluate(django_capture_on_commit_callbacks)
    assert recipients() == ["wanda@osce.example"]


def test_a_failed_send_is_recorded_and_retried_once_sent(watcher, burst, settings, django_capture_on_commit_callbacks):
    burst()
    settings.EMAIL_BACKEND = "tests.early_warning.test_notifications.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        alerts_evaluate()
    delivery = AlertDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "SMTPServerDisconnected" in delivery.error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outcome = notifications.alert_email_send(
        alert_id=delivery.alert_id, email="wanda@osce.example", recipient_kind="staff"
    )

    delivery.refresh_from_db()
    assert outcome == "sent" and delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert recipients() == ["wanda@osce.example"]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("connection lost")
