"""Issue 10, item 7: API throttles count the real client, not whatever X-Forwarded-For claims."""

import pytest
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_hour(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/hour"})


def get_states(client, forwarded_for, remote="203.0.113.7"):
    return client.get("/api/v1/states/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for).status_code


def test_rotating_x_forwarded_for_does_not_escape_the_anonymous_throttle(anon, three_per_hour):
    codes = [get_states(anon, f"10.0.0.{number}") for number in range(4)]

    assert codes == [200, 200, 200, 429]


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_budget(anon, three_per_hour, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.1"

    first = [get_states(anon, "198.51.100.1", remote=proxy) for _ in range(4)]
    second = get_states(anon, "forged, 198.51.100.2", remote=proxy)

    assert first == [200, 200, 200, 429]
    assert second == 200


def test_num_proxies_defaults_to_zero(settings):
    assert settings.NUM_PROXIES == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
