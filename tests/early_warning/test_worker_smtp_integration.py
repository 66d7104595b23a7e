"""Exactly-once alert emails through real Celery workers on Redis and a real SMTP server on loopback."""

import email
import time
from email import policy

import pytest

from commitments import services as report_services
from early_warning import tasks
from early_warning.models import Alert, AlertDelivery, DeliveryStatus
from tests.celery_workers import DEFAULT_BROKER_URL, Workers, real_broker
from tests.factories import ReportFactory, UserFactory
from tests.scorecards.factories import SubscriptionFactory
from tests.scorecards.test_smtp_integration import Collector, free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BROKER_URL = DEFAULT_BROKER_URL.rsplit("/", 1)[0] + "/14"


@pytest.fixture
def broker():
    with real_broker(BROKER_URL) as url:
        yield url


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback; the workers send through it."""
    from aiosmtpd.controller import Controller

    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def workers(tmp_path, smtp_server):
    pool = Workers(tmp_path, BROKER_URL, pool_args=["--pool=threads", "--concurrency=4"])
    smtp_env = {
        "EMAIL_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": "false",
    }
    yield pool, smtp_env
    pool.stop_all()


def wait_for(condition, pool, what: str, seconds: float = 150) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"{what}\n{pool.logs()[-4000:]}")


def test_a_verified_burst_emails_staff_and_opted_in_subscribers_once(
    broker,
    workers,
    smtp_server,
    series,
    watcher,
):
    pool, smtp_env = workers
    second_watcher = UserFactory(username="will-watcher", email="will@osce.example")
    second_watcher.groups.add(*watcher.groups.all())
    SubscriptionFactory(email="ana@example.org", alerts=True, states=[series.state])
    SubscriptionFactory(email="digest-only@example.org", alerts=False)
    reviewer = UserFactory(username="vera-reviewer", groups=["Reviewers"])
    series.add(3, "serious", n=3)
    report = ReportFactory(
        state=series.state,
        commitment=series.commitment,
        submitted=True,
        violation=True,
        observed_on=series.today,
    )

    report_services.report_verify(report=report, user=reviewer)  # queues the evaluation on commit
    # Duplicate work before any worker runs: two sweeps.
    tasks.sweep_all_series.delay()
    tasks.sweep_all_series.delay()
    pool.start(**smtp_env)
    pool.start(**smtp_env)

    expected = ["ana@example.org", "wanda@osce.example", "will@osce.example"]
    wait_for(
        lambda: AlertDelivery.objects.filter(status=DeliveryStatus.SENT).count() == len(expected),
        pool,
        "the workers did not send every alert email",
    )
    # And a duplicate fan-out after the fact: nothing more goes out.
    tasks.notify_new_alert.delay(Alert.objects.get().pk)
    time.sleep(3)

    assert Alert.objects.count() == 1
    assert sorted(r for envelope in smtp_server.envelopes for r in envelope.rcpt_tos) == expected
    parsed = email.message_from_bytes(smtp_server.envelopes[0].original_content, policy=policy.default)
    assert parsed["Subject"].startswith("Early warning:")
    assert {part.get_content_type() for part in parsed.walk()} >= {"text/plain", "text/html"}
