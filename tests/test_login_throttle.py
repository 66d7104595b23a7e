"""Repeated failed logins are refused for a while, in the admin and at the token endpoint."""

import pytest
import time_machine
from django.utils import timezone

PASSWORD = "correct horse battery staple"


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 600


def admin_login(client, username, password):
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})


def token(client, username, password):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password})


def test_admin_refuses_the_right_password_after_repeated_failures(client, reporter, limits):
    for _ in range(3):
        assert admin_login(client, reporter.username, "wrong").status_code == 200
    response = admin_login(client, reporter.username, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_lockout_ends_after_the_lockout_time(client, reporter, limits):
    for _ in range(3):
        admin_login(client, reporter.username, "wrong")
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=601), tick=False):
        response = admin_login(client, reporter.username, PASSWORD)
    assert response.status_code == 302


def test_token_endpoint_refuses_after_repeated_failures(client, reporter, limits):
    for _ in range(3):
        assert token(client, reporter.username, "wrong").status_code == 400
    response = token(client, reporter.username, PASSWORD)
    assert response.status_code == 400
    assert "token" not in response.json()


def test_successful_login_is_not_counted_as_failure(client, reporter, limits):
    admin_login(client, reporter.username, "wrong")
    admin_login(client, reporter.username, "wrong")
    assert token(client, reporter.username, PASSWORD).status_code == 200
