"""Worker killed while a digest sits at the SMTP server: after the lease, every due digest is delivered once.

Guards the digest lease (scorecards/subscriptions.py, `deliveries_sweep`): the
claim whose worker died is resent after DIGEST_SENDING_LEASE, once, with the
Message-ID stored at the claim, so a receiving server that de-duplicates by
Message-ID delivers each digest exactly once. Counted in the SMTP sink (a real
aiosmtpd server on loopback) and in the database.
"""

import asyncio
import email
import threading
import time
from collections import Counter
from email import policy

import pytest
from aiosmtpd.controller import Controller

from .harness import free_port, scenario, send_task, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SUBSCRIBERS = 6
HOLD_AT = 3  # the sink holds the third message, unanswered, until the worker is dead
LEASE = 10  # seconds


class HoldingSink:
    """Keeps (recipient, Message-ID) of every message; holds one open before answering 250."""

    def __init__(self, hold_at: int):
        self.hold_at = hold_at
        self.received: list[tuple[str, str]] = []
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        # Counted as soon as the whole message is here, before the 250: the worst case for duplicates.
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.extend((recipient, message["Message-ID"]) for recipient in envelope.rcpt_tos)
        if len(self.received) == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"

    def copies(self) -> Counter:
        return Counter(recipient for recipient, _ in self.received)

    def delivered(self) -> Counter:
        """What a receiving server that drops a repeated Message-ID hands to each mailbox."""
        return Counter(recipient for recipient, _ in set(self.received))


@pytest.fixture
def sink():
    handler = HoldingSink(HOLD_AT)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    handler.release.set()
    controller.stop()


def deliveries(cluster, dbname: str) -> dict[str, dict]:
    with cluster.connect(dbname) as conn:
        rows = conn.execute(
            """
            SELECT s.email, d.status, d.attempts, d.message_id, now() - d.claimed_at > make_interval(secs => %s)
            FROM scorecards_digestdelivery d JOIN scorecards_subscription s ON s.id = d.subscription_id
            """,
            [LEASE],
        ).fetchall()
    return {
        address: {"status": status, "attempts": attempts, "message_id": message_id, "expired": expired}
        for address, status, attempts, message_id, expired in rows
    }


def succeeded(logs: str, task: str) -> int:
    return sum(1 for line in logs.splitlines() if f"Task scorecards.tasks.{task}[" in line and " succeeded " in line)


def test_a_digest_whose_worker_died_mid_send_is_delivered_once_after_the_lease(
    private_postgres, private_redis, fault_db, workers, sink
):
    dbname = fault_db.rsplit("/", 1)[1]
    seeded = scenario("seed-digests", str(SUBSCRIBERS), database_url=fault_db)
    smtp = {
        "EMAIL_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "5",
        "DIGEST_SENDING_LEASE": str(LEASE),
        # A digest build can take seconds on a busy machine: no redelivery to a live worker meanwhile.
        "CELERY_VISIBILITY_TIMEOUT": "15",
    }
    first = workers.start(**smtp)
    send_task(private_redis.url, "scorecards.tasks.send_digests", "quarterly", seeded["edition"])
    wait_for(sink.holding.is_set, timeout=180, what=f"digest {HOLD_AT} to reach the SMTP server", logs=workers.logs)
    held_address = sink.received[-1][0]

    workers.kill(first)
    sink.release.set()
    assert deliveries(private_postgres, dbname)[held_address]["status"] == "sending"

    workers.start(**smtp)
    send_task(private_redis.url, "scorecards.tasks.send_digests", "quarterly", seeded["edition"])  # the job rerun
    wait_for(
        lambda: (
            sum(row["status"] == "sent" for row in deliveries(private_postgres, dbname).values()) == SUBSCRIBERS - 1
        ),
        timeout=180,
        what="a new worker to send the digests the killed one had not reached",
        logs=workers.logs,
    )
    wait_for(
        lambda: deliveries(private_postgres, dbname)[held_address]["expired"],
        timeout=60,
        what="the killed worker's claim to outlive the lease",
    )

    send_task(private_redis.url, "scorecards.tasks.sweep_digest_deliveries")
    wait_for(
        lambda: deliveries(private_postgres, dbname)[held_address]["status"] == "sent",
        timeout=90,
        what=f"the lease sweep to resend the digest to {held_address} (its worker died mid-send)",
        logs=workers.logs,
    )
    send_task(private_redis.url, "scorecards.tasks.sweep_digest_deliveries")  # a second sweep: nothing more
    wait_for(
        lambda: (
            succeeded(workers.logs(), "sweep_digest_deliveries") == 2 and succeeded(workers.logs(), "send_digests") == 2
        ),
        timeout=90,
        what="the second sweep and the rerun of the job to finish",
        logs=workers.logs,
    )
    time.sleep(2)  # room for any late duplicate to arrive

    rows = deliveries(private_postgres, dbname)
    everyone = Counter({address: 1 for address in seeded["emails"]})
    assert sorted(rows) == sorted(seeded["emails"]), "one delivery row per due digest"
    assert {address: row["status"] for address, row in rows.items() if row["status"] != "sent"} == {}
    assert sink.delivered() == everyone, f"delivered (by Message-ID) per address: {dict(sink.delivered())}"
    # The held digest reached the server twice (before the kill, and the one resend), under one Message-ID.
    assert sink.copies() == everyone + Counter({held_address: 1})
    assert {message_id for address, message_id in sink.received if address == held_address} == {
        rows[held_address]["message_id"]
    }
    assert rows[held_address]["attempts"] == 2
    assert {address: message_id for address, message_id in sink.received} == {
        address: row["message_id"] for address, row in rows.items()
    }
