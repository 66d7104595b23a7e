"""Writing needs a role: Reporters create and submit, Reviewers review; who-did-what goes to staff only.
Tokens expire after API_TOKEN_TTL_DAYS and are revoked by deleting them in the admin."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from commitments.models import Report, ReportStatus
from tests.api.conftest import client_with_token, verified_report
from tests.factories import ReportFactory, UserFactory

WORKFLOW_FIELDS = {"created_by", "submitted_by", "reviewed_by", "rejection_reason", "retraction_reason"}

NEW_REPORT = {
    "state": "AT",
    "commitment": "COP-1990-7.3",
    "kind": "implementation",
    "level": "full",
    "observed_on": "2010-05-04",
    "summary": "A report by someone with no role.",
    "source": "odihr",
}


@pytest.fixture
def roleless(db):
    return UserFactory(username="nora-norole")


def test_a_user_in_no_group_cannot_create_a_report(roleless, austria, elections):
    response = client_with_token(roleless).post("/api/v1/reports/", NEW_REPORT, format="json")

    assert response.status_code == 403
    assert "role" in response.json()["detail"]
    assert not Report.objects.exists()


def test_a_user_in_no_group_cannot_submit_a_draft(roleless, austria, elections):
    draft = ReportFactory(state=austria, commitment=elections, created_by=roleless)

    response = client_with_token(roleless).post(f"/api/v1/reports/{draft.pk}/submit/")

    assert response.status_code == 403
    assert Report.objects.get(pk=draft.pk).status == ReportStatus.DRAFT


def test_a_user_in_no_group_cannot_edit_a_draft(roleless, austria, elections):
    draft = ReportFactory(state=austria, commitment=elections, created_by=roleless)

    response = client_with_token(roleless).patch(f"/api/v1/reports/{draft.pk}/", {"summary": "x"}, format="json")

    assert response.status_code == 403


def test_a_reporter_still_creates_a_report(reporter_client, austria, elections):
    assert reporter_client.post("/api/v1/reports/", NEW_REPORT, format="json").status_code == 201


def test_a_user_in_no_group_reads_reports_without_who_did_what(roleless, austria, elections):
    report = verified_report(state=austria, commitment=elections)
    client = client_with_token(roleless)

    detail = client.get(f"/api/v1/reports/{report.pk}/").json()
    listed = client.get("/api/v1/reports/").json()["results"][0]

    assert WORKFLOW_FIELDS.isdisjoint(detail)
    assert WORKFLOW_FIELDS.isdisjoint(listed)


def test_staff_read_who_did_what(reporter_client, austria, elections):
    report = verified_report(state=austria, commitment=elections)

    assert set(reporter_client.get(f"/api/v1/reports/{report.pk}/").json()) >= WORKFLOW_FIELDS


# --- token expiry and revocation -------------------------------------------------------------------


def age_token(user, days: int) -> Token:
    token, _ = Token.objects.get_or_create(user=user)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=days))
    return token


def test_a_token_older_than_the_ttl_is_refused_with_a_clear_401(anon, reporter, settings):
    settings.API_TOKEN_TTL_DAYS = 90
    token = age_token(reporter, days=91)

    response = anon.get("/api/v1/reports/", headers={"Authorization": f"Token {token.key}"})

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_token_younger_than_the_ttl_is_accepted(anon, reporter, settings):
    settings.API_TOKEN_TTL_DAYS = 90
    token = age_token(reporter, days=89)

    assert anon.get("/api/v1/reports/", headers={"Authorization": f"Token {token.key}"}).status_code == 200


def test_the_ttl_comes_from_the_setting(anon, reporter, settings):
    settings.API_TOKEN_TTL_DAYS = 1
    token = age_token(reporter, days=2)

    assert anon.get("/api/v1/reports/", headers={"Authorization": f"Token {token.key}"}).status_code == 401


def test_the_token_endpoint_issues_a_new_token_once_the_old_one_expired(anon, reporter, settings):
    settings.API_TOKEN_TTL_DAYS = 90
    old = age_token(reporter, days=91)

    response = anon.post(
        "/api/v1/auth/token/", {"username": reporter.username, "password": "correct horse battery staple"}
    )

    assert response.status_code == 200
    assert response.json()["token"] != old.key
    assert (
        anon.get("/api/v1/reports/", headers={"Authorization": f"Token {response.json()['token']}"}).status_code == 200
    )


def test_a_token_deleted_in_the_admin_is_revoked(client, anon, reporter, admin_user):
    token, _ = Token.objects.get_or_create(user=reporter)
    client.force_login(admin_user)

    response = client.post(f"/admin/authtoken/tokenproxy/{reporter.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Token.objects.filter(key=token.key).exists()
    assert anon.get("/api/v1/reports/", headers={"Authorization": f"Token {token.key}"}).status_code == 401
