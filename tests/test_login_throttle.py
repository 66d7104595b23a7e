"""Repeated failed logins are refused for a while, in the admin and at the token endpoint."""

import pytest
import time_machine
from django.test import Client
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


# Issue 10, item 7: per (account, address), per account overall, and X-Forwarded-For trusted only as configured.


def admin_login_from(client, address, username, password, forwarded_for=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded_for:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"}, **extra)


def logged_in(response) -> bool:
    return response.status_code == 302


def test_one_address_failing_for_many_accounts_does_not_lock_out_others_behind_it(client, reporter, limits):
    # 60 failures from one office address, spread over 30 user names (2 each, under the pair limit of 3).
    for number in range(30):
        for _ in range(2):
            admin_login_from(client, "203.0.113.7", f"user{number}", "wrong")

    assert logged_in(admin_login_from(client, "203.0.113.7", reporter.username, PASSWORD))


def test_a_lockout_holds_for_that_account_from_that_address_only(client, reporter, other_reporter, limits):
    for _ in range(3):
        admin_login_from(client, "203.0.113.7", reporter.username, "wrong")

    assert not logged_in(admin_login_from(client, "203.0.113.7", reporter.username, PASSWORD))
    assert logged_in(admin_login_from(Client(), "203.0.113.7", other_reporter.username, PASSWORD))
    assert logged_in(admin_login_from(Client(), "198.51.100.9", reporter.username, PASSWORD))


def test_failures_for_one_account_from_many_addresses_hit_the_account_cap(client, reporter, limits, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 6
    for number in range(6):
        admin_login_from(client, f"198.51.100.{number}", reporter.username, "wrong")

    assert not logged_in(admin_login_from(client, "192.0.2.1", reporter.username, PASSWORD))


def test_a_forged_x_forwarded_for_does_not_escape_the_lockout(client, reporter, limits):
    for number in range(3):
        admin_login_from(client, "203.0.113.7", reporter.username, "wrong", forwarded_for=f"10.0.0.{number}")

    response = admin_login_from(client, "203.0.113.7", reporter.username, PASSWORD, forwarded_for="10.9.9.9")

    assert not logged_in(response)


def test_behind_one_trusted_proxy_the_forwarded_client_is_counted(client, reporter, limits, settings):
    settings.NUM_PROXIES = 1
    for _ in range(3):
        admin_login_from(client, "10.0.0.1", reporter.username, "wrong", forwarded_for="spoofed, 203.0.113.7")

    assert not logged_in(admin_login_from(client, "10.0.0.1", reporter.username, PASSWORD, "203.0.113.7"))
    assert logged_in(admin_login_from(Client(), "10.0.0.1", reporter.username, PASSWORD, "198.51.100.9"))
