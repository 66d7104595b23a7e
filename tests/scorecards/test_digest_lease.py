"""The digest lease: a claim whose worker died mid-send is resent with the same Message-ID, then raised to staff.

The resends go through Django's SMTP backend to a real SMTP server (aiosmtpd) on loopback.
"""

import datetime
import email
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.utils import timezone

from corfu_tracker.celery import app as celery_app
from scorecards import subscriptions, tasks
from scorecards.models import DeliveryStatus, DigestDelivery
from tests.factories import UserFactory
from tests.scorecards.factories import DigestDeliveryFactory, SubscriptionFactory, known_scores
from tests.scorecards.test_smtp_integration import Collector, free_port

pytestmark = pytest.mark.django_db

LEASE = 600
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def eager_lease(settings):
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.DIGEST_SENDING_LEASE = LEASE
    settings.DIGEST_SEND_MAX_ATTEMPTS = 3
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def smtp_server(settings):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 10
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


def received_message_ids(server) -> list[str]:
    return [
        email.message_from_bytes(envelope.original_content, policy=policy.default)["Message-ID"]
        for envelope in server.envelopes
    ]


def claimed(subscription, *, ago: int, attempts: int = 1, status=DeliveryStatus.SENDING) -> DigestDelivery:
    """A claim left behind by a worker that died `ago` seconds after claiming it."""
    return DigestDeliveryFactory(
        subscription=subscription,
        status=status,
        sent_at=None,
        attempts=attempts,
        claimed_at=timezone.now() - datetime.timedelta(seconds=ago),
        message_id="<digest.42.1700000000@corfu.example>",
    )


@pytest.fixture
def subscription(db):
    known_scores()
    return SubscriptionFactory(email="ana@example.org")


def test_the_claim_stores_the_message_id_that_the_sent_digest_carries(subscription, smtp_server):
    tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    delivery = DigestDelivery.objects.get()
    assert delivery.message_id.startswith("<") and delivery.message_id.endswith(">")
    assert received_message_ids(smtp_server) == [delivery.message_id]


def test_an_expired_claim_is_resent_once_with_the_same_message_id(subscription, smtp_server):
    delivery = claimed(subscription, ago=LEASE + 60)
    tasks.sweep_digest_deliveries.apply()
    tasks.sweep_digest_deliveries.apply()  # a second sweep sends nothing more
    assert received_message_ids(smtp_server) == ["<digest.42.1700000000@corfu.example>"]
    assert [envelope.rcpt_tos for envelope in smtp_server.envelopes] == [["ana@example.org"]]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.message_id) == (
        DeliveryStatus.SENT,
        2,
        "<digest.42.1700000000@corfu.example>",
    )


def test_a_claim_within_the_lease_is_not_resent(subscription, smtp_server):
    delivery = claimed(subscription, ago=LEASE - 60)
    result = subscriptions.deliveries_sweep()
    assert (result.resent, smtp_server.envelopes) == ([], [])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENDING, 1)


def test_a_failed_delivery_nobody_took_up_is_resent_with_its_message_id(subscription, smtp_server):
    claimed(subscription, ago=LEASE + 60, status=DeliveryStatus.FAILED)
    assert subscriptions.deliveries_sweep().resent == [DigestDelivery.objects.get().pk]
    assert received_message_ids(smtp_server) == ["<digest.42.1700000000@corfu.example>"]


def test_a_resend_that_fails_is_recorded_and_tried_again_after_the_lease(subscription, settings):
    delivery = claimed(subscription, ago=LEASE + 60)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    assert subscriptions.deliveries_sweep().failed == [delivery.pk]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 2)
    assert "ConnectionRefusedError" in delivery.error


def test_out_of_attempts_it_is_raised_to_staff_once_and_not_resent(subscription):
    UserFactory(username="sam-admin", email="sam@osce.example", is_superuser=True)
    UserFactory(username="rita-reporter", email="rita@osce.example", groups=["Reporters"])
    delivery = claimed(subscription, ago=LEASE + 60, attempts=3)
    first = subscriptions.deliveries_sweep()
    second = subscriptions.deliveries_sweep()
    assert (first.resent, first.escalated, second.escalated) == ([], [delivery.pk], [])
    assert len(mail.outbox) == 1
    alert = mail.outbox[0]
    assert alert.to == ["sam@osce.example"]
    assert "ana@example.org" in alert.body and "<digest.42.1700000000@corfu.example>" in alert.body
    delivery.refresh_from_db()
    assert delivery.escalated_at is not None and delivery.status == DeliveryStatus.SENDING


def test_raised_deliveries_are_listed_in_the_admin_filter(client, admin_user, subscription):
    delivery = claimed(subscription, ago=LEASE + 60, attempts=3)
    subscriptions.deliveries_sweep()
    client.force_login(admin_user, backend=MODEL_BACKEND)
    response = client.get("/admin/scorecards/digestdelivery/?delivery=escalated")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [delivery]
    assert b"raised to operators" in response.content


def test_an_operator_release_clears_the_escalation_and_gives_a_fresh_lease(subscription):
    claimed(subscription, ago=LEASE + 60, attempts=3)
    subscriptions.deliveries_sweep()
    subscriptions.deliveries_release(queryset=DigestDelivery.objects.all())
    assert DigestDelivery.objects.get().escalated_at is None
    assert subscriptions.deliveries_sweep().escalated == []  # left to the send the release queued


def test_an_unsubscribed_address_is_not_resent(subscription, smtp_server):
    claimed(subscription, ago=LEASE + 60)
    subscriptions.subscription_unsubscribe(token=subscription.unsubscribe_token)
    assert subscriptions.deliveries_sweep().resent == []
    assert smtp_server.envelopes == []


def test_beat_runs_the_sweep_every_five_minutes():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.select_related("crontab").get(task="scorecards.tasks.sweep_digest_deliveries")
    crontab = task.crontab
    assert (task.enabled, crontab.minute, crontab.hour, str(crontab.timezone)) == (True, "*/5", "*", "UTC")
