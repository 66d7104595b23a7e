"""Sending digests: once per subscription and edition, retried on SMTP failure (scorecards/tasks.py).

Expired claims and their resend by the sweep: tests/scorecards/test_digest_lease.py.
"""

import datetime
import smtplib
import threading

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.utils import timezone

from corfu_tracker.celery import app as celery_app
from scorecards import subscriptions, tasks
from scorecards.models import DeliveryStatus, DigestDelivery
from scorecards.subscriptions import DeliveryOutcome
from tests.scorecards.factories import DigestDeliveryFactory, SubscriptionFactory, known_scores

pytestmark = pytest.mark.django_db

# force_login with the backend that loads users (the first one configured only throttles).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

OCT_1 = datetime.datetime(2026, 10, 1, 6, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process (the embedded default), whatever broker the environment names."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def known(db):
    return known_scores()


@pytest.fixture
def subscription(known):
    return SubscriptionFactory(email="ana@example.org")


class FlakySMTPBackend(LocmemBackend):
    """Drops the connection on its first use, then delivers like locmem."""

    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class DownSMTPBackend(LocmemBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def eager_retries():
    """Let eager apply() run Celery's retries in-process, as a worker would after each countdown.

    With task_eager_propagates on (the project's embedded default) Celery re-raises
    the Retry from the first attempt instead of re-running the task.
    """
    before = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = before


@pytest.fixture
def flaky_smtp(settings):
    FlakySMTPBackend.calls = 0
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTPBackend"
    return FlakySMTPBackend


# Once per subscription and edition --------------------------------------------------------------


@time_machine.travel(OCT_1, tick=False)
def test_send_job_sends_one_digest_per_active_subscription(known):
    SubscriptionFactory.create_batch(3)
    assert tasks.send_digests.apply(args=["quarterly"]).get() == 3
    assert len(mail.outbox) == 3


@time_machine.travel(OCT_1, tick=False)
def test_running_the_send_job_twice_sends_each_digest_once(subscription):
    SubscriptionFactory()
    tasks.send_digests.apply(args=["quarterly"])
    tasks.send_digests.apply(args=["quarterly"])
    assert len(mail.outbox) == 2
    assert len({message.to[0] for message in mail.outbox}) == 2


def test_sending_the_same_edition_again_sends_nothing(subscription):
    assert subscriptions.digest_send(subscription_id=subscription.pk, period_label="2026-Q3") == DeliveryOutcome.SENT
    again = subscriptions.digest_send(subscription_id=subscription.pk, period_label="2026-Q3")
    assert again == DeliveryOutcome.ALREADY_CLAIMED
    assert len(mail.outbox) == 1


def test_delivery_is_marked_sent_with_time(subscription):
    tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    delivery = DigestDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.period.label) == (DeliveryStatus.SENT, 1, "2026-Q3")
    assert delivery.sent_at is not None


def test_a_live_claim_by_another_worker_means_nothing_is_sent(subscription):
    DigestDeliveryFactory(subscription=subscription, status=DeliveryStatus.SENDING, sent_at=None)
    tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    assert mail.outbox == []


def test_a_stuck_claim_is_left_to_the_sweep_by_the_job_and_the_task(subscription):
    """Only the lease sweep resends an expired claim (with its Message-ID); the fan-out and send_digest skip it."""
    DigestDeliveryFactory(
        subscription=subscription,
        status=DeliveryStatus.SENDING,
        sent_at=None,
        claimed_at=timezone.now() - datetime.timedelta(hours=2),
    )
    tasks.send_digests.apply(args=["quarterly", "2026-Q3"])
    tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    assert mail.outbox == []
    assert DigestDelivery.objects.get().is_stuck


def test_operator_release_lets_a_stuck_delivery_go_again(subscription, django_capture_on_commit_callbacks):
    DigestDeliveryFactory(
        subscription=subscription,
        status=DeliveryStatus.SENDING,
        sent_at=None,
        claimed_at=timezone.now() - datetime.timedelta(hours=2),
    )
    released = subscriptions.deliveries_release(queryset=DigestDelivery.objects.all())
    assert released == [(subscription.pk, "2026-Q3")]
    tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().status == DeliveryStatus.SENT


def test_operator_release_leaves_live_claims_and_sent_rows_alone(subscription):
    DigestDeliveryFactory(subscription=subscription, period_label="2026-Q2")
    DigestDeliveryFactory(subscription=subscription, status=DeliveryStatus.SENDING, sent_at=None)
    assert subscriptions.deliveries_release(queryset=DigestDelivery.objects.all()) == []


def test_a_new_edition_is_sent_after_the_previous_one(subscription):
    DigestDeliveryFactory(subscription=subscription, period_label="2026-Q2")
    tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    assert len(mail.outbox) == 1


@time_machine.travel(datetime.datetime(2026, 11, 1, 6, 0, tzinfo=datetime.UTC), tick=False)
def test_monthly_subscribers_get_the_last_complete_quarter_each_month(known):
    monthly = SubscriptionFactory(frequency="monthly")
    tasks.send_digests.apply(args=["monthly"])
    with time_machine.travel(datetime.datetime(2026, 12, 1, 6, 0, tzinfo=datetime.UTC), tick=False):
        tasks.send_digests.apply(args=["monthly"])
    assert len(mail.outbox) == 2
    assert all("2026-Q3" in message.subject for message in mail.outbox)
    assert sorted(monthly.deliveries.values_list("period_label", flat=True)) == ["2026-10", "2026-11"]


@time_machine.travel(OCT_1, tick=False)
def test_send_job_leaves_out_other_frequencies_unconfirmed_and_unsubscribed(known):
    SubscriptionFactory(frequency="monthly")
    SubscriptionFactory(pending=True)
    SubscriptionFactory(unsubscribed=True)
    assert tasks.send_digests.apply(args=["quarterly"]).get() == 0
    assert mail.outbox == []


@time_machine.travel(OCT_1, tick=False)
def test_nothing_is_sent_for_a_quarter_without_scorecards(db):
    SubscriptionFactory()
    assert tasks.send_digests.apply(args=["quarterly"]).get() == 0
    assert not DigestDelivery.objects.exists()


def test_an_edition_of_the_other_frequency_is_not_sent(subscription):
    outcome = subscriptions.digest_send(subscription_id=subscription.pk, period_label="2026-10")
    assert outcome == DeliveryOutcome.WRONG_FREQUENCY
    assert mail.outbox == []


def race(target, *, workers: int = 2) -> tuple[list, list]:
    """Run target() in threads released together; each thread has (and closes) its own DB connection."""
    start = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


needs_postgresql = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises writers with one database-wide lock, so two claims cannot race; run on PostgreSQL",
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_digest():
    known_scores()
    subscription = SubscriptionFactory()
    outcomes, errors = race(lambda: tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"]).get())
    assert errors == []
    assert sorted(outcomes) == sorted([DeliveryOutcome.SENT, DeliveryOutcome.ALREADY_CLAIMED])
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().status == DeliveryStatus.SENT


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_get_one_claim():
    """The claim alone, without the rendering before it: the unique constraint lets exactly one insert win."""
    known_scores()
    subscription = SubscriptionFactory()
    edition = subscriptions.Edition.parse("2026-Q3")
    period = subscriptions.digest_for_subscription(subscription=subscription, edition=edition).period
    for _ in range(5):
        DigestDelivery.objects.all().delete()
        claims, errors = race(lambda: subscriptions._claim(subscription=subscription, edition=edition, period=period))
        assert errors == []
        assert sum(claim is not None for claim in claims) == 1


# Retry on SMTP failure ---------------------------------------------------------------------------


def test_smtp_failure_records_the_error_and_does_not_mark_sent(subscription, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownSMTPBackend"
    with pytest.raises(ConnectionRefusedError):
        subscriptions.digest_send(subscription_id=subscription.pk, period_label="2026-Q3")
    delivery = DigestDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.sent_at is None
    assert "attempt 1: ConnectionRefusedError" in delivery.error


def test_first_attempt_fails_and_records_then_the_retry_sends(subscription, flaky_smtp):
    """Calling the service twice shows the state between the attempts that Celery's retry runs."""
    with pytest.raises(smtplib.SMTPServerDisconnected):
        subscriptions.digest_send(subscription_id=subscription.pk, period_label="2026-Q3")
    delivery = DigestDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in delivery.error
    assert mail.outbox == []

    assert subscriptions.digest_send(subscription_id=subscription.pk, period_label="2026-Q3") == DeliveryOutcome.SENT
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_the_task_retries_an_smtp_failure_and_sends_once(subscription, flaky_smtp, eager_retries):
    """autoretry_for catches the SMTP error and retries; eagerly, apply() re-applies the retry at once."""
    result = tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    assert result.get() == DeliveryOutcome.SENT
    assert flaky_smtp.calls == 2
    assert len(mail.outbox) == 1
    delivery = DigestDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert "attempt 1: SMTPServerDisconnected" in delivery.error


def test_the_task_gives_up_after_max_retries_leaving_the_delivery_failed(subscription, settings, eager_retries):
    settings.EMAIL_BACKEND = f"{__name__}.DownSMTPBackend"
    result = tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    assert result.failed() and isinstance(result.result, ConnectionRefusedError)
    assert mail.outbox == []
    delivery = DigestDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == tasks.SMTP_RETRY["max_retries"] + 1


def test_with_eager_propagation_the_first_failure_is_left_for_the_next_run(subscription, flaky_smtp):
    """The embedded default (no broker) propagates: the Retry surfaces and the row stays failed, unsent."""
    with pytest.raises(Retry):
        tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    assert DigestDelivery.objects.get().status == DeliveryStatus.FAILED
    assert mail.outbox == []


@time_machine.travel(OCT_1, tick=False)
def test_rerunning_the_job_retries_a_failed_delivery(subscription, settings):
    DigestDeliveryFactory(subscription=subscription, status=DeliveryStatus.FAILED, sent_at=None, error="boom")
    tasks.send_digests.apply(args=["quarterly"])
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().status == DeliveryStatus.SENT


# Schedule and admin ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "frequency", "month_of_year"),
    [("Monthly scorecard digest", "monthly", "*"), ("Quarterly scorecard digest", "quarterly", "1,4,7,10")],
)
def test_beat_schedules_the_digests_at_six_utc_on_the_first(name, frequency, month_of_year):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.select_related("crontab").get(name=name)
    assert (task.task, task.args, task.enabled) == ("scorecards.tasks.send_digests", f'["{frequency}"]', True)
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year) == ("0", "6", "1", month_of_year)
    assert str(crontab.timezone) == "UTC"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/scorecards/subscription/",
        "/admin/scorecards/digestdelivery/",
        "/admin/scorecards/digestdelivery/?delivery=stuck",
        "/admin/scorecards/digestdelivery/?delivery=escalated",
        "/admin/scorecards/scorecard/",
        "/admin/scorecards/groupscorecard/",
        "/admin/scorecards/period/",
    ],
)
def test_admin_lists_load(client, admin_user, subscription, url):
    DigestDeliveryFactory(subscription=subscription)
    client.force_login(admin_user, backend=MODEL_BACKEND)
    assert client.get(url).status_code == 200


def test_admin_shows_a_subscription_with_its_deliveries(client, admin_user, subscription):
    DigestDeliveryFactory(subscription=subscription)
    client.force_login(admin_user, backend=MODEL_BACKEND)
    response = client.get(f"/admin/scorecards/subscription/{subscription.pk}/change/")
    assert response.status_code == 200 and b"2026-Q3" in response.content


def test_scorecards_are_read_only_in_the_admin(client, admin_user, known):
    client.force_login(admin_user, backend=MODEL_BACKEND)
    assert client.get("/admin/scorecards/scorecard/add/").status_code == 403
