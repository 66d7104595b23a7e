"""Subscribing with the HTML form: the same double opt-in as the API, errors named next to their fields."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from corfu_tracker.celery import app as celery_app
from scorecards.models import Subscription
from tests.factories import StateFactory
from tests.scorecards.factories import dimensions

pytestmark = pytest.mark.django_db
URL = "/subscribe/"


@pytest.fixture(autouse=True)
def eager_celery():
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
def post(client, catalogue, django_capture_on_commit_callbacks):
    def send(**overrides):
        body = {"email": "ana@example.org", "states": ["AT"], "dimensions": ["human"], "frequency": "monthly"}
        body.update(overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, body)

    return send


def test_form_lists_states_dimensions_and_frequencies(client, catalogue):
    html = client.get(URL).content.decode()
    assert "Austria" in html and "France" in html
    assert 'value="human"' in html
    assert 'value="quarterly"' in html and 'value="monthly"' in html


def test_form_subscription_is_unconfirmed_with_the_choices(post):
    response = post()
    assert response.status_code == 200
    assert b"Check your email" in response.content
    subscription = Subscription.objects.get()
    assert not subscription.confirmed
    assert subscription.frequency == "monthly"
    assert list(subscription.states.values_list("code", flat=True)) == ["AT"]
    assert list(subscription.dimensions.values_list("slug", flat=True)) == ["human"]


def test_form_sends_one_confirmation_email_whose_link_confirms(post, client):
    post()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/subscriptions/confirm/[^\s/]+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200
    assert Subscription.objects.get().confirmed


def test_form_with_nothing_ticked_follows_everything(post):
    post(states=[], dimensions=[])
    subscription = Subscription.objects.get()
    assert subscription.states.count() == 0 and subscription.dimensions.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "Enter your email address"),
        ("email", "not-an-address", "Enter an email address in the correct format"),
        ("states", ["XX"], "Select a valid choice"),
        ("frequency", "", "Choose how often you want the digest"),
    ],
)
def test_form_errors_are_in_the_summary_and_beside_the_field(post, field, value, message):
    response = post(**{field: value})
    assert response.status_code == 400
    html = response.content.decode()
    summary, _, form = html.partition("<form")
    assert "There is a problem" in summary and message in summary
    assert f'href="#id_{field}' in summary
    assert message in form
    assert Subscription.objects.count() == 0
    assert mail.outbox == []


def test_form_is_throttled_with_the_api(post, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "subscribe", "2/hour")
    assert post(email="a@example.org").status_code == 200
    assert post(email="b@example.org").status_code == 200
    assert post(email="c@example.org").status_code == 429
    assert Subscription.objects.count() == 2


def test_bad_confirm_link_page_points_to_the_form_not_to_curl(client, catalogue):
    response = client.get(reverse("scorecards:confirm", args=["garbage"]))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="/subscribe/"' in html
    assert "POST /api" not in html and "curl" not in html


BAD_LINKS = {
    "confirm": ("get", "scorecards:confirm", 400),
    "confirm-resend": ("post", "scorecards:confirm", 400),
    "unsubscribe": ("get", "scorecards:unsubscribe", 404),
    "unsubscribe-one-click": ("post", "scorecards:unsubscribe", 404),
}


@pytest.fixture
def bad_link_page(client, settings):
    settings.SUBSCRIBE_PAGE_URL = "https://osce.example.org/subscribe/"

    def page(name):
        method, view, status = BAD_LINKS[name]
        response = getattr(client, method)(reverse(view, args=["garbage"]))
        assert response.status_code == status
        return " ".join(response.content.decode().split())

    return page


@pytest.mark.parametrize("name", BAD_LINKS)
def test_bad_link_pages_speak_to_a_subscriber_not_to_a_developer(bad_link_page, name):
    html = bad_link_page(name)

    for developer_talk in ("curl", "POST", "/api/", "JSON", "token"):
        assert developer_talk not in html
    assert "Nothing has changed." in html


@pytest.mark.parametrize("name", ["confirm", "confirm-resend"])
def test_bad_confirm_link_page_says_how_to_get_a_new_link(bad_link_page, name):
    html = bad_link_page(name)

    assert "copy the whole link" in html
    form = '<a href="https://osce.example.org/subscribe/">fill in the subscription form</a>'
    assert f"To get a new confirmation link, {form} again with your address" in html


@pytest.mark.parametrize("name", ["unsubscribe", "unsubscribe-one-click"])
def test_bad_unsubscribe_link_page_says_how_to_unsubscribe(bad_link_page, name):
    html = bad_link_page(name)

    assert "copy the whole link" in html
    assert "every digest ends with its own unsubscribe link" in html
    assert 'href="https://osce.example.org/subscribe/"' in html
