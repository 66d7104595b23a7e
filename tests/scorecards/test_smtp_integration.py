"""A digest through Django's SMTP backend to a real SMTP server (aiosmtpd) on loopback, parsed as received."""

import email
import re
import socket
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from corfu_tracker.celery import app as celery_app
from scorecards import tasks
from scorecards.models import DeliveryStatus, DigestDelivery
from scorecards.subscriptions import unsubscribe_url
from tests.celery_workers import DEFAULT_BROKER_URL, Workers, real_broker
from tests.scorecards.factories import SubscriptionFactory, known_scores

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class Collector:
    """aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield handler
    controller.stop()


@pytest.fixture(autouse=True)
def eager_celery():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def received(smtp_server):
    """Send the 2026-Q3 digest to one subscriber through the task; return (subscription, parsed message)."""
    states, _ = known_scores()
    subscription = SubscriptionFactory(email="ana@example.org", states=[states["AT"], states["FR"]])
    tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["ana@example.org"]
    return subscription, email.message_from_bytes(envelope.original_content, policy=policy.default)


def parts_by_type(message) -> dict[str, list]:
    found = {}
    for part in message.walk():
        found.setdefault(part.get_content_type(), []).append(part)
    return found


def test_received_digest_has_a_text_part_with_the_scores(received):
    _, message = received
    text = parts_by_type(message)["text/plain"][0].get_content()
    assert "AUSTRIA (AT)" in text and "72.5" in text and "▲ +2.5" in text


def test_received_digest_has_an_html_part_with_the_scores(received):
    _, message = received
    html = parts_by_type(message)["text/html"][0].get_content()
    assert "Austria" in html and "72.5" in html and "▼ -3.0" in html


def test_received_digest_images_match_the_cids_in_the_html(received):
    _, message = received
    html = parts_by_type(message)["text/html"][0].get_content()
    cids = set(re.findall(r'src="cid:([^"]+)"', html))
    images = parts_by_type(message)["image/png"]
    assert cids == {"chart-AT-2026-Q3@corfu-tracker", "chart-FR-2026-Q3@corfu-tracker"}
    assert {image["Content-ID"].strip("<>") for image in images} == cids
    assert all(image.get_content().startswith(b"\x89PNG") for image in images)


def test_received_digest_keeps_text_html_and_images_together_as_related(received):
    _, message = received
    assert message.get_content_type() == "multipart/related"
    assert parts_by_type(message)["multipart/alternative"]


def test_received_digest_has_one_click_unsubscribe_headers(received):
    subscription, message = received
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe_url(subscription)}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_delivery_is_marked_sent_after_the_server_accepted(received):
    assert DigestDelivery.objects.get().status == DeliveryStatus.SENT


def test_an_smtp_server_that_is_down_leaves_the_delivery_failed(settings):
    known_scores()
    subscription = SubscriptionFactory()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    from celery.exceptions import Retry

    with pytest.raises((Retry, ConnectionRefusedError)):
        tasks.send_digest.apply(args=[subscription.pk, "2026-Q3"])
    delivery = DigestDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "ConnectionRefusedError" in delivery.error


# Through real workers ----------------------------------------------------------------------------

# Its own Redis database: the recompute worker tests use the default one.
DIGEST_BROKER_URL = DEFAULT_BROKER_URL.rsplit("/", 1)[0] + "/14"


@pytest.fixture
def broker():
    with real_broker(DIGEST_BROKER_URL) as url:
        yield url


@pytest.fixture
def workers(tmp_path, smtp_server):
    """`workers()` starts a `celery worker` process that sends through the test's SMTP server."""
    pool = Workers(tmp_path, DIGEST_BROKER_URL, pool_args=["--pool=threads", "--concurrency=4"])
    smtp_env = {
        "EMAIL_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": "false",
    }

    def start():
        return pool.start(**smtp_env)

    start.logs = pool.logs
    yield start
    pool.stop_all()


@pytest.mark.django_db(transaction=True)
def test_two_workers_and_duplicate_jobs_deliver_each_digest_once(broker, workers, smtp_server):
    known_scores()
    addresses = sorted(f"reader{n}@example.org" for n in range(5))
    subscriptions = [SubscriptionFactory(email=address) for address in addresses]
    # Everything twice: two fan-outs and a second send_digest per subscription, before any worker runs.
    tasks.send_digests.delay("quarterly", "2026-Q3")
    tasks.send_digests.delay("quarterly", "2026-Q3")
    for subscription in subscriptions:
        tasks.send_digest.delay(subscription.pk, "2026-Q3")
    workers()
    workers()

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if DigestDelivery.objects.filter(status=DeliveryStatus.SENT).count() == len(addresses):
            break
        time.sleep(0.25)
    else:
        pytest.fail(f"the workers did not send every digest\n{workers.logs()[-4000:]}")
    time.sleep(3)  # give any duplicate time to arrive

    assert sorted(rcpt for envelope in smtp_server.envelopes for rcpt in envelope.rcpt_tos) == addresses
    assert DigestDelivery.objects.count() == len(addresses)
