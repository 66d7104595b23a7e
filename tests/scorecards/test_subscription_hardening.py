"""Issue 10: subscription input, per-address confirmation caps and links bound to their subscribe cycle."""

import pytest
from django.core import mail

from corfu_tracker.celery import app as celery_app
from scorecards.models import Subscription
from tests.factories import StateFactory
from tests.scorecards.factories import dimensions

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions/"


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
