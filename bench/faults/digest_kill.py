"""Kill the worker while a digest is at the SMTP server; after a restart and a rerun, nobody gets it twice."""

import asyncio
import re
import socket
import threading
import time
from collections import Counter

from django.utils import timezone

from .common import NotRun, Workers, check, wait_for

SUBSCRIBERS = 6
HOLD_AT = 3  # the SMTP server holds the third message until the worker is dead
EMAIL_PREFIX = "fault-digest-"


class HoldingServer:
    """aiosmtpd handler: keeps every message it receives, and holds one open before answering."""

    def __init__(self, hold_at: int):
        self.hold_at = hold_at
        self.received: list[list[str]] = []
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        # Counted as delivered as soon as the whole message is here, before the 250 goes back:
        # the worst case for duplicates (a real MTA may already have queued it).
        self.received.append(list(envelope.rcpt_tos))
        if len(self.received) == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _digest_code():
    try:
        from scorecards import tasks
        from scorecards.digests import Edition, scores_exist
        from scorecards.models import DeliveryStatus, DigestDelivery, Frequency, Subscription
    except ImportError as exc:
        raise NotRun(f"digest sending not available ({exc})") from exc
    for name in ("send_digests", "send_digest"):
        if not hasattr(tasks, name):
            raise NotRun(f"digest sending not available (no scorecards.tasks.{name})")
    return tasks, Edition, scores_exist, DeliveryStatus, DigestDelivery, Frequency, Subscription


def _succeeded(logs: str, task: str) -> list[str]:
    return re.findall(rf"Task scorecards\.tasks\.{task}\[[^\]]+\] succeeded in [^:]+: (.*)", logs)


def run(*, workers: Workers) -> tuple[str, dict]:
    tasks, Edition, scores_exist, DeliveryStatus, DigestDelivery, Frequency, Subscription = _digest_code()
    from aiosmtpd.controller import Controller

    from scorecards import services

    edition = Edition.latest(Frequency.QUARTERLY, timezone.localdate())
    if not scores_exist(edition.quarter.label):
        services.scorecards_compute_period(period=edition.quarter.label)
    Subscription.objects.filter(email__startswith=EMAIL_PREFIX).delete()
    now = timezone.now()
    subscriptions = []
    for number in range(SUBSCRIBERS):
        subscription = Subscription.objects.create(
            email=f"{EMAIL_PREFIX}{number}@example.org",
            frequency=Frequency.QUARTERLY,
            confirmed=True,
            confirmed_at=now,
        )
        subscription.states.set(["AT"])
        subscriptions.append(subscription)
    ids = [subscription.pk for subscription in subscriptions]

    handler = HoldingServer(HOLD_AT)
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    email_env = {
        "EMAIL_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "30",
    }
    try:
        first = workers.start(**email_env)
        tasks.send_digests.delay(Frequency.QUARTERLY, edition.label)
        wait_for(
            handler.holding.is_set,
            timeout=240,
            what=f"digest number {HOLD_AT} to reach the SMTP server",
            workers=workers,
        )
        workers.kill(first)
        handler.release.set()
        killed_during = handler.received[HOLD_AT - 1][0]

        workers.start(**email_env)

        def settled() -> bool:
            rows = DigestDelivery.objects.filter(subscription_id__in=ids, period_label=edition.label)
            return rows.filter(status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING]).count() == SUBSCRIBERS

        wait_for(settled, timeout=240, what="every digest to be sent or claimed", workers=workers)
        time.sleep(8)  # past the visibility timeout: the killed task is redelivered and finds its claim
        tasks.send_digests.delay(Frequency.QUARTERLY, edition.label)  # the job runs again
        wait_for(
            lambda: len(_succeeded(workers.logs(), "send_digests")) >= 2,
            timeout=120,
            what="the rerun of send_digests",
            workers=workers,
        )
        time.sleep(3)
    finally:
        handler.release.set()
        controller.stop()

    per_address = Counter(address for recipients in handler.received for address in recipients)
    deliveries = dict(
        DigestDelivery.objects.filter(subscription_id__in=ids, period_label=edition.label).values_list(
            "subscription__email", "status"
        )
    )
    duplicates = {address: count for address, count in per_address.items() if count > 1}
    reruns = _succeeded(workers.logs(), "send_digests")
    details = {
        "edition": edition.label,
        "subscribers": SUBSCRIBERS,
        "killed_while_sending_to": killed_during,
        "messages_received": len(handler.received),
        "per_address": dict(per_address),
        "delivery_rows": deliveries,
        "send_digests_results": reruns,
        "send_digest_results": Counter(_succeeded(workers.logs(), "send_digest")),
    }
    Subscription.objects.filter(email__startswith=EMAIL_PREFIX).delete()
    check(not duplicates, f"digests sent twice: {duplicates}")
    check(len(deliveries) == SUBSCRIBERS, f"{len(deliveries)} delivery rows for {SUBSCRIBERS} subscriptions")
    check(reruns[-1].strip() == "0", f"the rerun of the job still found subscriptions to send to: {reruns[-1]}")
    missing = [s.email for s in subscriptions if per_address.get(s.email, 0) == 0]
    stuck = sorted(address for address, status in deliveries.items() if status == DeliveryStatus.SENDING)
    details.update(missing=missing, stuck_sending=stuck)
    return (
        f"worker SIGKILLed while digest {HOLD_AT} of {SUBSCRIBERS} ({killed_during}) sat at the SMTP server; "
        f"after a new worker and a rerun of the job: {len(handler.received)} messages for {SUBSCRIBERS} "
        f"subscribers, none twice; {len(missing)} missing; stuck as 'sending' (left for an operator): "
        f"{', '.join(stuck) or 'none'}",
        details,
    )
