"""Stop Redis while tasks are being queued; after it is back the worker recovers and the work gets done."""

import subprocess
import time

import redis
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from scorecards import services, tasks
from scorecards.models import Scorecard

from .common import BROKER_URL, Workers, check, wait_for

REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]
OUTAGE_SECONDS = 5


def redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def ensure_redis_running() -> None:
    if not redis_up():
        subprocess.run(REDIS_START, check=True, capture_output=True)
        deadline = time.monotonic() + 20
        while not redis_up():
            if time.monotonic() > deadline:
                raise RuntimeError("Redis did not come back: start it by hand: " + " ".join(REDIS_START))
            time.sleep(0.2)


def _computed_at(label: str):
    return Scorecard.objects.filter(period__label=label).aggregate(latest=Max("computed_at"))["latest"]


def _enqueue(label: str) -> dict:
    started = time.monotonic()
    try:
        tasks.recompute_period.delay(label)
        return {"label": label, "ok": True, "seconds": round(time.monotonic() - started, 2)}
    except Exception as exc:  # noqa: BLE001 - what the caller sees is the point
        return {
            "label": label,
            "ok": False,
            "error": f"{type(exc).__module__}.{type(exc).__name__}: {exc}"[:300],
            "seconds": round(time.monotonic() - started, 2),
        }


def _enqueue_on_commit(label: str) -> dict:
    started = time.monotonic()
    try:
        with transaction.atomic():
            tasks.recompute_period.delay_on_commit(label)
        return {"label": label, "ok": True, "seconds": round(time.monotonic() - started, 2)}
    except Exception as exc:  # noqa: BLE001
        return {
            "label": label,
            "ok": False,
            "error": f"{type(exc).__module__}.{type(exc).__name__}: {exc}"[:300],
            "seconds": round(time.monotonic() - started, 2),
        }


def run(*, workers: Workers) -> tuple[str, dict]:
    labels = [span.label for span in services.current_and_previous_periods()]
    for label in labels:
        services.scorecards_compute_period(period=label)
    worker = workers.start()
    before = timezone.now()
    tasks.recompute_period.delay(labels[0])
    wait_for(lambda: _computed_at(labels[0]) > before, timeout=120, what="a task before the outage", workers=workers)

    queued_at = timezone.now()
    queued_before = [_enqueue(label) for label in labels]  # some are still queued when Redis goes
    down_at = time.monotonic()
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True, check=False)
    try:
        wait_for(lambda: not redis_up(), timeout=10, what="Redis to stop")
        during = [_enqueue(labels[1]), _enqueue_on_commit(labels[1])]
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))
    finally:
        ensure_redis_running()
    outage = time.monotonic() - down_at

    back_at = timezone.now()
    after = _enqueue(labels[1])
    check(after["ok"], f"enqueueing after Redis came back failed: {after.get('error')}")
    recovered = wait_for(
        lambda: _computed_at(labels[1]) > back_at,
        timeout=180,
        what="the worker to run a task after the outage",
        workers=workers,
    )
    check(worker.poll() is None, "the worker exited during the outage")

    # Which of the tasks queued just before the outage ran (labels[1] was queued again after it).
    for attempt in queued_before:
        if attempt["label"] != labels[1]:
            attempt["ran"] = bool(_computed_at(attempt["label"]) > queued_at)
    lost = [attempt["label"] for attempt in queued_before if attempt.get("ran") is False]
    nightly_at = timezone.now()
    tasks.recompute_recent_periods.delay()
    wait_for(
        lambda: all(_computed_at(label) > nightly_at for label in labels),
        timeout=240,
        what="the nightly job to recompute the recent periods",
        workers=workers,
    )
    for label in labels:
        check(Scorecard.objects.filter(period__label=label).count() > 0, f"{label} has no scorecards")

    failed = [attempt for attempt in during if not attempt["ok"]]
    logs = workers.logs()
    reconnect_lines = [
        line
        for line in logs.splitlines()
        if "Connection to broker lost" in line or "Connected to redis" in line or "Cannot connect" in line
    ]
    details = {
        "periods": labels,
        "enqueued_before_outage": queued_before,
        "enqueue_during_outage": during,
        "enqueue_after_outage": after,
        "outage_seconds": round(outage, 1),
        "worker_recovered_within_seconds": round(recovered, 1),
        "worker_reconnect_log": reconnect_lines[:6],
        "queued_before_outage_not_run": lost,
        "note": "Redis runs without persistence (--save '' --appendonly no): messages "
        "queued and not yet taken are gone with a restart; the nightly job recomputes the recent periods",
    }
    return (
        f"Redis stopped for {outage:.0f} s: enqueueing during the outage "
        f"{'raised ' + failed[0]['error'].split(':')[0] if failed else 'did not fail'} "
        f"(after {failed[0]['seconds'] if failed else 0} s); the same worker reconnected and ran a task queued "
        f"after Redis returned within {recovered:.0f} s; tasks queued just before the stop and lost with it: "
        f"{', '.join(lost) or 'none'}; the nightly job (recompute_recent_periods) then "
        f"recomputed {', '.join(labels)}",
        details,
    )
