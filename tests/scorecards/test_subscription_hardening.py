"""Issue 10: subscription input, per-address confirmation caps and links bound to their subscribe cycle."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail

from corfu_tracker.celery import app as celery_app
from scorecards import subscriptions
from scorecards.models import Subscription
from tests.factories import StateFactory
from tests.scorecards.factories import dimensions

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions/"
CONFIRM_LINK = re.compile(r"https?://[^\s\"<>]+/subscriptions/confirm/[^\s\"<>/]+/")


@pytest.fixture(autouse=True)
def eager_celery():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def catalogue(db):
    StateFactory(code="AT", name="Austria")
    return dimensions()


@pytest.fixture
def subscribe(client, catalogue, django_capture_on_commit_callbacks):
    def post(headers=None, **overrides):
        body = {"email": "ana@example.org", "states": ["AT"], "dimensions": ["human"], "frequency": "monthly"}
        body.update(overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, body, content_type="application/json", headers=headers)

    return post


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u200b", "\x00", "\x07", "\ufeff"])
def test_an_address_with_a_bidi_or_control_character_is_a_400_naming_email(subscribe, char):
    response = subscribe(email=f"ana@example.org{char}")

    assert response.status_code == 400
    assert "email" in response.json()
    assert not Subscription.objects.exists()
    assert not mail.outbox


def test_an_address_with_a_bidi_override_inside_is_refused(subscribe):
    response = subscribe(email="ana\u202egro.elpmaxe@example.org")

    assert response.status_code == 400
    assert "email" in response.json()


# Item 8: a confirmation link works only in the subscribe cycle it was issued for -----------------


def confirm_path(message) -> str:
    return urlsplit(CONFIRM_LINK.search(message.body).group(0)).path


def test_a_link_from_an_earlier_cycle_does_not_confirm_after_unsubscribe_and_a_new_subscribe(client, subscribe):
    subscribe()
    first_link = confirm_path(mail.outbox[0])
    subscription = Subscription.objects.get()
    subscriptions.subscription_unsubscribe(token=subscription.unsubscribe_token)
    subscribe(frequency="quarterly")  # someone else, later, for the same address

    response = client.get(first_link)

    assert response.status_code == 400
    subscription.refresh_from_db()
    assert not subscription.confirmed
    assert client.get(confirm_path(mail.outbox[1])).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed and subscription.frequency == "quarterly"


def test_an_expired_link_from_an_earlier_cycle_offers_no_new_link(client, subscribe):
    subscribe()
    first_link = confirm_path(mail.outbox[0])
    subscriptions.subscription_unsubscribe(token=Subscription.objects.get().unsubscribe_token)
    subscribe()
    mail.outbox.clear()

    with time_machine.travel(datetime.timedelta(days=8)):
        page = client.get(first_link)
        resend = client.post(first_link)

    assert page.status_code == 400 and b"Send me a new confirmation link" not in page.content
    assert resend.status_code == 400
    assert mail.outbox == []


# Item 7: confirmation emails per recipient address ----------------------------------------------


def test_confirmations_to_one_address_are_capped_whatever_the_client_address(subscribe, settings, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"subscribe": "1000/hour"})
    settings.SUBSCRIPTION_CONFIRMATIONS_PER_ADDRESS = 3

    codes = [subscribe(headers={"X-Forwarded-For": f"10.0.0.{number}"}).status_code for number in range(6)]

    assert codes == [202] * 6
    assert [message.to for message in mail.outbox] == [["ana@example.org"]] * 3


def test_the_confirmation_cap_is_per_recipient_address(subscribe, settings, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"subscribe": "1000/hour"})
    settings.SUBSCRIPTION_CONFIRMATIONS_PER_ADDRESS = 1
    subscribe(email="ana@example.org")
    subscribe(email="ANA@example.org")
    subscribe(email="bob@example.org")

    assert sorted(message.to[0] for message in mail.outbox) == ["ana@example.org", "bob@example.org"]


def test_the_confirmation_cap_resets_after_its_window(subscribe, settings):
    settings.SUBSCRIPTION_CONFIRMATIONS_PER_ADDRESS = 1
    settings.SUBSCRIPTION_CONFIRMATIONS_WINDOW = 3600
    subscribe()
    subscribe()
    with time_machine.travel(datetime.timedelta(hours=1, seconds=1)):
        subscribe()

    assert len(mail.outbox) == 2
