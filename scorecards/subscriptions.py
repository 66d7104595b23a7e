"""Subscriptions to the scorecard digests: subscribe, confirm, unsubscribe, send.

Sending is at most once per subscription and edition. `digest_send` claims a
`DigestDelivery` row (unique per subscription and edition) in its own committed
transaction before it hands the message to the SMTP server, and marks it sent
afterwards. A second run, or a second worker, finds the row and sends nothing.
An SMTP error marks the row `failed` and is re-raised so Celery retries; the
retry re-claims the failed row with a conditional UPDATE. A worker that dies
between the SMTP server's acceptance and the `sent` mark leaves the row
`sending`: we cannot tell whether the message went out, and we prefer a missed
digest to a duplicate, so nothing re-sends it automatically; the admin lists it
as stuck once the lease has passed and an operator can release it for resending.
"""

import functools
import hashlib
import logging
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from commitments.models import Dimension

from . import emails
from .digests import Digest, Edition, digest_build, scores_exist
from .models import DeliveryStatus, DigestDelivery, Frequency, Subscription
from .models.subscriptions import new_unsubscribe_token, sending_lease

logger = logging.getLogger(__name__)

CONFIRM_SALT = "scorecards.subscription.confirm"
RESEND_INTERVAL = 5 * 60


class ConfirmOutcome(StrEnum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already-confirmed"
    EXPIRED = "expired"
    INVALID = "invalid"
    CANCELLED = "cancelled"


class UnsubscribeOutcome(StrEnum):
    UNSUBSCRIBED = "unsubscribed"
    ALREADY_UNSUBSCRIBED = "already-unsubscribed"
    UNKNOWN = "unknown"


class DeliveryOutcome(StrEnum):
    SENT = "sent"
    ALREADY_CLAIMED = "already-claimed"
    INACTIVE = "inactive"
    WRONG_FREQUENCY = "wrong-frequency"
    NO_SCORES = "no-scores"
    MISSING = "missing"


@dataclass
class ConfirmResult:
    outcome: ConfirmOutcome
    subscription: Subscription | None = None


# Links -------------------------------------------------------------------------------------------


def confirm_max_age() -> int:
    """Seconds a confirmation link stays valid: setting SUBSCRIPTION_CONFIRM_MAX_AGE, default 7 days."""
    return settings.SUBSCRIPTION_CONFIRM_MAX_AGE


def confirm_valid_for() -> str:
    """The link's lifetime in words, for the email."""
    seconds = confirm_max_age()
    if seconds % 86400 == 0:
        return f"{seconds // 86400} day{'s' if seconds != 86400 else ''}"
    hours = max(1, round(seconds / 3600))
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _cycle(subscription: Subscription) -> str:
    """Names the subscribe cycle a link was issued in. The unsubscribe token is renewed whenever an
    unsubscribed address subscribes again, so a link from an earlier cycle (sent perhaps to the
    same address for someone else's subscribe) no longer matches. Keyed, so it reveals nothing."""
    return salted_hmac("scorecards.subscription.cycle", subscription.unsubscribe_token).hexdigest()[:20]


def confirm_token(subscription: Subscription) -> str:
    """Signed and timestamped: only the address owner gets it, it expires, and it is bound to this cycle."""
    payload = {"id": subscription.pk, "email": subscription.email.lower(), "cycle": _cycle(subscription)}
    return signing.dumps(payload, salt=CONFIRM_SALT)


def confirm_url(subscription: Subscription) -> str:
    return settings.SITE_URL + reverse("scorecards:confirm", args=[confirm_token(subscription)])


def unsubscribe_url(subscription: Subscription) -> str:
    return settings.SITE_URL + reverse("scorecards:unsubscribe", args=[subscription.unsubscribe_token])


# Subscribe and confirm ---------------------------------------------------------------------------


def email_address_problem(email: str) -> str | None:
    """Why an address cannot be used, or None. Control and format characters (U+202E and the other
    bidi overrides, zero-width spaces, NUL) pass Django's EmailValidator but break sending and
    disguise the address in the admin."""
    for char in email:
        if unicodedata.category(char).startswith("C"):
            return f"The address contains an invisible or control character (U+{ord(char):04X}); type it again."
    return None


def _confirmation_allowed(email: str) -> bool:
    """At most SUBSCRIPTION_CONFIRMATIONS_PER_ADDRESS confirmation emails per recipient address per
    SUBSCRIPTION_CONFIRMATIONS_WINDOW, however many client addresses ask: the API throttle counts
    clients, this counts what one inbox receives."""
    key = "scorecards:confirmations:" + hashlib.sha256(email.lower().encode()).hexdigest()[:32]
    window = settings.SUBSCRIPTION_CONFIRMATIONS_WINDOW
    if cache.add(key, 1, window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, window)
            count = 1
    return count <= settings.SUBSCRIPTION_CONFIRMATIONS_PER_ADDRESS


def _enqueue_confirmation(subscription: Subscription) -> None:
    from . import tasks

    if not _confirmation_allowed(subscription.email):
        logger.warning("confirmation to subscription %s not sent: per-address cap reached", subscription.pk)
        return
    # robust: a broker (or, eagerly, an SMTP server) that is down is logged, never a 500 for the subscriber.
    transaction.on_commit(functools.partial(tasks.send_confirmation.delay, subscription.pk), robust=True)


def subscription_subscribe(
    *, email: str, state_codes: list[str], dimension_slugs: list[str], frequency: str
) -> Subscription:
    """Create or refresh a subscription and queue a confirmation email, unless it is already confirmed.

    An unconfirmed address takes the new choices and gets a new link; an
    unsubscribed one starts again unconfirmed; a confirmed one is left alone.
    The caller answers the same in every case.
    """
    email = BaseUserManager.normalize_email(email.strip())
    for attempt in range(2):
        try:
            with transaction.atomic():
                subscription = Subscription.objects.select_for_update().filter(email__iexact=email).first()
                if subscription is not None and subscription.is_active:
                    return subscription
                if subscription is None:
                    subscription = Subscription.objects.create(email=email, frequency=frequency)
                else:
                    if subscription.unsubscribed_at:
                        subscription.unsubscribed_at = None
                        subscription.unsubscribe_token = new_unsubscribe_token()
                    subscription.confirmed, subscription.confirmed_at = False, None
                    subscription.frequency = frequency
                    subscription.save()
                subscription.states.set(state_codes)
                subscription.dimensions.set(Dimension.objects.filter(slug__in=dimension_slugs))
                _enqueue_confirmation(subscription)
                return subscription
        except IntegrityError:
            # Two requests for a new address at once: the other one created it; go round again and find it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def confirmation_send(*, subscription_id: int) -> bool:
    """Send the confirmation email; nothing for an address that is confirmed or gone."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.confirmed or subscription.unsubscribed_at:
        return False
    message = emails.confirm_message(
        subscription=subscription,
        confirm_url=confirm_url(subscription),
        unsubscribe_url=unsubscribe_url(subscription),
        valid_for=confirm_valid_for(),
    )
    message.send()
    return True


def _subscription_for_payload(payload) -> Subscription | None:
    """The subscription a genuine link was issued for, if it is still in the same subscribe cycle."""
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
        return None
    subscription = Subscription.objects.filter(pk=payload["id"], email__iexact=str(payload.get("email", ""))).first()
    if subscription is None or not constant_time_compare(str(payload.get("cycle", "")), _cycle(subscription)):
        return None
    return subscription


def _unsign(token: str, *, max_age: int | None):
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None


def subscription_confirm(*, token: str) -> ConfirmResult:
    """Confirm from a link; changes nothing unless the link is genuine, current and for a pending subscription."""
    try:
        payload = _unsign(token, max_age=confirm_max_age())
    except signing.SignatureExpired:
        expired_for = _subscription_for_payload(_unsign(token, max_age=None))
        if expired_for is None:  # a link from an earlier cycle: nothing to offer a new link for
            return ConfirmResult(ConfirmOutcome.INVALID)
        return ConfirmResult(ConfirmOutcome.EXPIRED, expired_for)
    subscription = _subscription_for_payload(payload)
    if subscription is None:
        return ConfirmResult(ConfirmOutcome.INVALID)
    updated = Subscription.objects.filter(pk=subscription.pk, confirmed=False, unsubscribed_at__isnull=True).update(
        confirmed=True, confirmed_at=timezone.now(), updated_at=timezone.now()
    )
    subscription.refresh_from_db()
    if updated:
        return ConfirmResult(ConfirmOutcome.CONFIRMED, subscription)
    if subscription.unsubscribed_at:
        return ConfirmResult(ConfirmOutcome.CANCELLED, subscription)
    return ConfirmResult(ConfirmOutcome.ALREADY_CONFIRMED, subscription)


def subscription_resend_confirmation(*, token: str) -> bool:
    """From an expired (but genuine) link: queue a fresh one to the same address, at most every few minutes."""
    try:
        subscription = _subscription_for_payload(_unsign(token, max_age=None))
    except signing.SignatureExpired:  # pragma: no cover - max_age=None never expires
        subscription = None
    if subscription is None or subscription.confirmed or subscription.unsubscribed_at:
        return False
    if cache.add(f"scorecards:confirm-resend:{subscription.pk}", True, RESEND_INTERVAL):
        _enqueue_confirmation(subscription)
    return True


# Unsubscribe -------------------------------------------------------------------------------------


def subscription_for_unsubscribe_token(*, token: str) -> Subscription | None:
    return Subscription.objects.filter(unsubscribe_token=token).first()


def subscription_unsubscribe(*, token: str) -> UnsubscribeOutcome:
    """Works once: a conditional UPDATE, so two clicks (or a client and a person) unsubscribe once."""
    now = timezone.now()
    updated = Subscription.objects.filter(unsubscribe_token=token, unsubscribed_at__isnull=True).update(
        unsubscribed_at=now, updated_at=now
    )
    if updated:
        return UnsubscribeOutcome.UNSUBSCRIBED
    if Subscription.objects.filter(unsubscribe_token=token).exists():
        return UnsubscribeOutcome.ALREADY_UNSUBSCRIBED
    return UnsubscribeOutcome.UNKNOWN


# Digests -----------------------------------------------------------------------------------------


def digest_for_subscription(*, subscription: Subscription, edition: Edition) -> Digest:
    """The digest's content; an unsaved subscription (preview) follows all States and dimensions."""
    saved = subscription.pk is not None
    return digest_build(
        email=subscription.email,
        edition=edition,
        unsubscribe_url=unsubscribe_url(subscription),
        state_codes=list(subscription.states.values_list("code", flat=True)) if saved else None,
        dimension_slugs=list(subscription.dimensions.values_list("slug", flat=True)) if saved else None,
    )


def digest_fan_out(*, frequency: str, period_label: str | None = None) -> tuple[Edition, list[int]]:
    """The edition due (or the one named) and the active subscriptions of that frequency still to receive it."""
    if frequency not in Frequency.values:
        raise ValueError(f"Unknown frequency “{frequency}”: use one of {', '.join(Frequency.values)}.")
    edition = Edition.parse(period_label) if period_label else Edition.latest(frequency, timezone.localdate())
    if edition.frequency != frequency:
        raise ValueError(f"“{edition.label}” is a {edition.frequency} edition, not {frequency}.")
    if not scores_exist(edition.quarter.label):
        logger.error("digest %s not sent: no scorecards for %s", edition.label, edition.quarter.label)
        return edition, []
    done = DigestDelivery.objects.filter(
        subscription=OuterRef("pk"),
        period_label=edition.label,
        status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING],
    )
    ids = list(
        Subscription.objects.active().filter(frequency=frequency).exclude(Exists(done)).values_list("pk", flat=True)
    )
    logger.info("digest %s: %s subscriptions to send", edition.label, len(ids))
    return edition, ids


def _claim(*, subscription: Subscription, edition: Edition, period) -> DigestDelivery | None:
    """Insert the delivery row as `sending`, committed; or take over a `failed` one. None = someone else has it."""
    now = timezone.now()
    with transaction.atomic():
        delivery, created = DigestDelivery.objects.get_or_create(
            subscription=subscription,
            period_label=edition.label,
            defaults={"period": period, "status": DeliveryStatus.SENDING, "claimed_at": now, "attempts": 1},
        )
    if created:
        return delivery
    if delivery.status != DeliveryStatus.FAILED:
        # sent, or sending: live within the lease, or stuck after it; either way not ours to send.
        return None
    claimed = DigestDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.FAILED, attempts=delivery.attempts
    ).update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1, period=period)
    if claimed != 1:
        return None
    delivery.refresh_from_db()
    return delivery


def digest_send(*, subscription_id: int, period_label: str) -> DeliveryOutcome:
    """Send one edition to one subscription, at most once. SMTP errors are recorded and re-raised."""
    edition = Edition.parse(period_label)
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return DeliveryOutcome.MISSING
    if not subscription.is_active:
        return DeliveryOutcome.INACTIVE
    if subscription.frequency != edition.frequency:
        return DeliveryOutcome.WRONG_FREQUENCY
    if DigestDelivery.objects.filter(
        subscription=subscription,
        period_label=edition.label,
        status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING],
    ).exists():
        return DeliveryOutcome.ALREADY_CLAIMED
    if not scores_exist(edition.quarter.label):
        return DeliveryOutcome.NO_SCORES

    digest = digest_for_subscription(subscription=subscription, edition=edition)
    message = emails.digest_message(digest=digest)
    delivery = _claim(subscription=subscription, edition=edition, period=digest.period)
    if delivery is None:
        return DeliveryOutcome.ALREADY_CLAIMED
    try:
        message.send()
    except Exception as exc:
        DigestDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED, error=f"attempt {delivery.attempts}: {type(exc).__name__}: {exc}"[:2000]
        )
        logger.warning("digest %s to subscription %s failed: %s", edition.label, subscription.pk, exc)
        raise
    marked = DigestDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now()
    )
    if not marked:  # an operator released it meanwhile; it went out all the same
        logger.warning("digest %s to subscription %s sent but no longer claimed", edition.label, subscription.pk)
    return DeliveryOutcome.SENT


def deliveries_release(*, queryset) -> list[tuple[int, str]]:
    """Operator action: let failed and stuck deliveries be sent again. Returns (subscription id, edition) pairs."""
    stale = timezone.now() - sending_lease()
    released = []
    for delivery in queryset.exclude(status=DeliveryStatus.SENT):
        if delivery.status == DeliveryStatus.SENDING and delivery.claimed_at >= stale:
            continue  # a live claim: a worker is sending it now
        DigestDelivery.objects.filter(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts).update(
            status=DeliveryStatus.FAILED,
            error=(delivery.error + "\nreleased for resending by an operator").strip(),
        )
        released.append((delivery.subscription_id, delivery.period_label))
    return released
