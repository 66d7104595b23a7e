"""Subscribing through the API, double opt-in, and one-click unsubscribe (scorecards/subscriptions.py, pages.py)."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import resolve, reverse
from rest_framework.throttling import ScopedRateThrottle

from corfu_tracker.celery import app as celery_app
from scorecards import tasks
from scorecards.models import Subscription
from scorecards.subscriptions import unsubscribe_url
from tests.factories import StateFactory
from tests.scorecards.factories import SubscriptionFactory, dimensions, known_scores

pytestmark = pytest.mark.django_db

# force_login with the backend that loads users (the first one configured only throttles).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

URL = "/api/v1/subscriptions/"
CONFIRM_LINK = re.compile(r"https?://[^\s\"<>]+/subscriptions/confirm/[^\s\"<>/]+/")


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process (the embedded default), whatever broker the environment names."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db):
    StateFactory(code="AT", name="Austria")
    StateFactory(code="FR", name="France")
    return dimensions()


@pytest.fixture
def subscribe(client, catalogue, django_capture_on_commit_callbacks):
    def post(**overrides):
        body = {"email": "ana@example.org", "states": ["AT", "FR"], "dimensions": ["human"], "frequency": "monthly"}
        body.update(overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, body, content_type="application/json")

    return post


def confirm_link_in(message) -> str:
    return CONFIRM_LINK.search(message.body).group(0)


def path_of(url: str) -> str:
    return urlsplit(url).path


# Subscribing -------------------------------------------------------------------------------------


def test_subscribe_creates_an_unconfirmed_subscription(subscribe):
    response = subscribe()
    assert response.status_code == 202
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.frequency, subscription.confirmed) == (
        "ana@example.org",
        "monthly",
        False,
    )
    assert sorted(subscription.states.values_list("code", flat=True)) == ["AT", "FR"]
    assert list(subscription.dimensions.values_list("slug", flat=True)) == ["human"]


def test_subscribe_sends_exactly_one_confirmation_email_with_the_link(subscribe):
    subscribe()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"]
    link = confirm_link_in(message)
    assert link in message.alternatives[0][0]
    assert resolve(path_of(link)).view_name == "scorecards:confirm"


def test_subscribe_answer_says_a_confirmation_email_was_sent(subscribe):
    assert "confirmation email" in subscribe().json()["detail"]


def test_subscribe_accepts_lower_case_state_codes(subscribe):
    assert subscribe(states=["at"]).status_code == 202
    assert list(Subscription.objects.get().states.values_list("code", flat=True)) == ["AT"]


def test_subscribe_with_no_states_or_dimensions_follows_everything(subscribe):
    subscribe(states=[], dimensions=[])
    subscription = Subscription.objects.get()
    assert not subscription.states.exists() and not subscription.dimensions.exists()


def test_resubscribing_an_unconfirmed_address_resends_the_confirmation(subscribe):
    subscribe()
    response = subscribe(email="Ana@Example.org", frequency="quarterly")
    assert response.status_code == 202
    assert len(mail.outbox) == 2
    assert Subscription.objects.get().frequency == "quarterly"


def test_resubscribing_a_confirmed_address_answers_the_same_and_changes_nothing(subscribe, catalogue):
    existing = SubscriptionFactory(email="ana@example.org", frequency="quarterly")
    first = subscribe(email="someone@example.org")
    again = subscribe(email="ana@example.org", states=["AT"])
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    existing.refresh_from_db()
    assert existing.frequency == "quarterly" and not existing.states.exists()
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]


def test_resubscribing_after_unsubscribing_starts_again_unconfirmed(subscribe):
    old = SubscriptionFactory(email="ana@example.org", unsubscribed=True)
    subscribe()
    old.refresh_from_db()
    assert (old.confirmed, old.unsubscribed_at) == (False, None)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("email", ""),
        ("states", ["XX"]),
        ("states", ["AUT"]),
        ("states", "AT"),
        ("dimensions", ["cultural"]),
        ("frequency", "weekly"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(subscribe, field, value):
    response = subscribe(**{field: value})
    assert response.status_code == 400
    assert field in response.json()
    assert not Subscription.objects.exists()
    assert not mail.outbox


def test_unknown_state_code_is_named_in_the_error(subscribe):
    assert "XX" in str(subscribe(states=["AT", "XX"]).json()["states"])


def test_malformed_json_is_a_400(client, catalogue):
    assert client.post(URL, "{not json", content_type="application/json").status_code == 400


def test_subscribers_cannot_be_listed(client, subscribe):
    subscribe()
    assert client.get(URL).status_code == 405


def test_a_subscription_cannot_be_read(client, subscribe):
    subscribe()
    assert client.get(f"{URL}{Subscription.objects.get().pk}/").status_code == 404


def test_subscribe_is_throttled(subscribe, monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "subscribe": "2/hour"}
    )
    codes = [subscribe(email=f"a{n}@example.org").status_code for n in range(3)]
    assert codes == [202, 202, 429]


def test_a_logged_in_browser_needs_no_csrf_token_to_subscribe(
    catalogue, admin_user, django_capture_on_commit_callbacks
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user, backend=MODEL_BACKEND)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(URL, {"email": "ana@example.org"}, content_type="application/json")
    assert response.status_code == 202


def test_nothing_but_the_confirmation_is_sent_to_an_unconfirmed_subscription(subscribe):
    known_scores()
    subscribe(frequency="quarterly")
    mail.outbox.clear()
    tasks.send_digests.apply(args=["quarterly", "2026-Q3"])
    tasks.send_digest.apply(args=[Subscription.objects.get().pk, "2026-Q3"])
    assert mail.outbox == []
    assert not Subscription.objects.get().deliveries.exists()


# Confirming --------------------------------------------------------------------------------------


@pytest.fixture
def pending(subscribe):
    subscribe()
    return Subscription.objects.get()


@pytest.fixture
def link(pending):
    return path_of(confirm_link_in(mail.outbox[0]))


def test_confirm_link_confirms(client, pending, link):
    response = client.get(link)
    assert response.status_code == 200
    assert b"Subscription confirmed" in response.content
    pending.refresh_from_db()
    assert pending.confirmed and pending.confirmed_at is not None


def test_confirm_link_twice_says_already_confirmed(client, link):
    client.get(link)
    response = client.get(link)
    assert response.status_code == 200
    assert b"Already confirmed" in response.content


def test_tampered_confirm_link_is_a_400_page_and_changes_nothing(client, pending, link):
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get(reverse("scorecards:confirm", args=[tampered]))
    assert response.status_code == 400
    assert b"not valid" in response.content
    pending.refresh_from_db()
    assert not pending.confirmed


def test_link_for_another_subscription_id_does_not_confirm(client, pending):
    from django.core import signing

    forged = signing.dumps({"id": pending.pk, "email": "mallory@example.org"}, salt="other-salt")
    assert client.get(reverse("scorecards:confirm", args=[forged])).status_code == 400
    pending.refresh_from_db()
    assert not pending.confirmed


def test_expired_confirm_link_is_a_400_page_and_changes_nothing(client, pending, link, settings):
    settings.SUBSCRIPTION_CONFIRM_MAX_AGE = 7 * 24 * 3600
    with time_machine.travel(datetime.timedelta(days=7, minutes=1)):
        response = client.get(link)
    assert response.status_code == 400
    assert b"expired" in response.content
    pending.refresh_from_db()
    assert not pending.confirmed


def test_expired_link_page_offers_a_new_link(client, pending, link, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.timedelta(days=8)):
        assert b"Send me a new confirmation link" in client.get(link).content
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(link)
    assert response.status_code == 200
    assert len(mail.outbox) == 2
    assert client.get(path_of(confirm_link_in(mail.outbox[1]))).status_code == 200


def test_confirm_link_of_an_unsubscribed_subscription_changes_nothing(client, pending, link):
    Subscription.objects.filter(pk=pending.pk).update(
        unsubscribed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    assert client.get(link).status_code == 400
    pending.refresh_from_db()
    assert not pending.confirmed


@pytest.mark.parametrize(
    "token",
    ["x", "abc:def", "abc:def:ghi", "%E2%98%83", "eyJpZCI6MX0:1u:bad", "..", "a" * 500, "%00"],
)
def test_garbage_confirm_tokens_are_a_400_never_a_500(client, pending, token):
    response = client.get(f"/subscriptions/confirm/{token}/")
    assert response.status_code in (400, 404)
    pending.refresh_from_db()
    assert not pending.confirmed


def test_confirmation_email_mentions_what_was_chosen(pending):
    body = mail.outbox[0].body
    assert "Austria (AT), France (FR)" in body and "Human" in body and "7 days" in body


# Unsubscribing -----------------------------------------------------------------------------------


@pytest.fixture
def subscriber(db):
    return SubscriptionFactory(email="ana@example.org")


@pytest.fixture
def unsubscribe_path(subscriber):
    return path_of(unsubscribe_url(subscriber))


def test_get_unsubscribe_asks_and_does_not_unsubscribe(client, subscriber, unsubscribe_path):
    response = client.get(unsubscribe_path)
    assert response.status_code == 200
    assert b'<form method="post">' in response.content
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None


def test_one_click_post_without_csrf_token_unsubscribes(subscriber, unsubscribe_path):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None


def test_second_unsubscribe_is_a_410_page_and_changes_nothing(client, subscriber, unsubscribe_path):
    client.post(unsubscribe_path)
    subscriber.refresh_from_db()
    first = subscriber.unsubscribed_at
    response = client.post(unsubscribe_path)
    assert response.status_code == 410
    assert b"already been used" in response.content
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at == first


def test_get_on_a_used_unsubscribe_link_is_a_410_page(client, subscriber, unsubscribe_path):
    client.post(unsubscribe_path)
    assert client.get(unsubscribe_path).status_code == 410


def test_unknown_unsubscribe_token_is_a_404_page(client, subscriber):
    response = client.post("/subscriptions/unsubscribe/not-a-token/")
    assert response.status_code == 404
    assert b"does not match any subscription" in response.content
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None


def test_unsubscribed_subscription_gets_no_digest(client, subscriber, unsubscribe_path):
    known_scores()
    client.post(unsubscribe_path)
    tasks.send_digests.apply(args=["quarterly", "2026-Q3"])
    assert mail.outbox == []


def test_unsubscribe_page_masks_the_address(client, subscriber, unsubscribe_path):
    content = client.get(unsubscribe_path).content
    assert b"a***@example.org" in content and b"ana@example.org" not in content


def test_admin_action_sends_the_confirmation_to_pending_subscriptions(
    client, admin_user, django_capture_on_commit_callbacks
):
    pending = SubscriptionFactory(pending=True, email="new@example.org")
    confirmed = SubscriptionFactory()
    client.force_login(admin_user, backend=MODEL_BACKEND)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/scorecards/subscription/",
            {"action": "send_confirmation", "_selected_action": [pending.pk, confirmed.pk]},
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["new@example.org"]]
