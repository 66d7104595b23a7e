"""Token and session authentication, the login throttle scope and the anon/user throttles."""

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from corfu_tracker.api.auth import ObtainTokenView
from tests.factories import UserFactory

from .conftest import client_with_token

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password

REPORT = {
    "state": "AT",
    "commitment": "COP-1990-7.3",
    "kind": "violation",
    "severity": "serious",
    "observed_on": "2010-05-04",
    "source": "odihr",
    "source_url": "https://www.osce.org/odihr/elections",
    "summary": "Voters abroad could not register in time.",
}


@pytest.fixture
def throttle_rates(monkeypatch):
    """Set throttle rates for one test: DRF copies DEFAULT_THROTTLE_RATES onto the class at import."""

    def set_rates(**rates):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **rates})

    return set_rates


def test_token_endpoint_returns_the_users_token(anon, reporter):
    response = anon.post(TOKEN_URL, {"username": reporter.username, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=reporter).key}


def test_token_endpoint_refuses_a_wrong_password(anon, reporter):
    response = anon.post(TOKEN_URL, {"username": reporter.username, "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Token.objects.filter(user=reporter).exists()


def test_token_endpoint_names_missing_fields(anon):
    response = anon.post(TOKEN_URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_token_from_the_endpoint_creates_a_report_owned_by_its_user(anon, reporter, austria, elections):
    token = anon.post(TOKEN_URL, {"username": reporter.username, "password": PASSWORD}, format="json").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.post("/api/v1/reports/", REPORT, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft"
    assert response.json()["created_by"] == reporter.username


def test_an_unknown_token_is_401(anon, austria, elections):
    anon.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = anon.get("/api/v1/states/")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_anonymous_write_is_401_with_a_token_challenge(anon, austria, elections):
    response = anon.post("/api/v1/reports/", REPORT, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_session_authentication_sees_own_drafts(draft_by_reporter, reporter):
    client = APIClient()
    assert client.login(username=reporter.username, password=PASSWORD)

    response = client.get(f"/api/v1/reports/{draft_by_reporter.pk}/")

    assert response.status_code == 200
    assert response.json()["created_by"] == reporter.username


def test_session_writes_need_the_csrf_token(reporter, austria, elections):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username=reporter.username, password=PASSWORD)

    response = client.post("/api/v1/reports/", REPORT, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_forged_session_cookie_is_ignored_not_a_server_error(anon, austria):
    # A NUL character in the session key made PostgreSQL raise (a 500) before sessions validated the key.
    anon.cookies["sessionid"] = "abcdefgh\x00ijklmnop"

    response = anon.get("/api/v1/states/AT/")

    assert response.status_code == 200


def test_throttle_rates_come_from_settings():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]

    assert {"anon", "user", "login"} <= set(rates)
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ]


def test_token_endpoint_has_the_login_scope():
    assert ObtainTokenView.throttle_scope == "login"
    assert ObtainTokenView.throttle_classes == [ScopedRateThrottle]


def test_token_endpoint_is_throttled_by_the_login_rate(anon, reporter, throttle_rates):
    throttle_rates(login="2/minute")
    credentials = {"username": reporter.username, "password": "wrong"}

    statuses = [anon.post(TOKEN_URL, credentials, format="json").status_code for _ in range(3)]

    assert statuses == [400, 400, 429]


def test_anonymous_reads_are_throttled_by_the_anon_rate(anon, throttle_rates, db):
    throttle_rates(anon="3/hour")

    statuses = [anon.get("/api/v1/dimensions/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert "detail" in anon.get("/api/v1/dimensions/").json()


def test_signed_in_reads_are_throttled_by_the_user_rate(reporter_client, throttle_rates):
    throttle_rates(anon="1/hour", user="2/hour")

    statuses = [reporter_client.get("/api/v1/dimensions/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_users_are_throttled_separately(throttle_rates, db):
    throttle_rates(user="1/hour")
    first, second = client_with_token(UserFactory()), client_with_token(UserFactory())

    assert first.get("/api/v1/dimensions/").status_code == 200
    assert second.get("/api/v1/dimensions/").status_code == 200
    assert first.get("/api/v1/dimensions/").status_code == 429
