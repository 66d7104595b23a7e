"""The rules of a report: in model validation (full_clean) and, where the database can, as constraints."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.models import Report, ReportStatus
from commitments.models.reports import report_content_errors
from tests.factories import CommitmentFactory, ReportFactory, SourceDocumentFactory, StateFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2024, 5, 15)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 5, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def state():
    return StateFactory(code="AT", name="Austria", admitted_on=D(1973, 6, 25))


@pytest.fixture
def commitment():
    document = SourceDocumentFactory(code="COP-1990", adopted_on=D(1990, 6, 29))
    return CommitmentFactory(
        code="COP-1990-7.3", document=document, in_force_from=D(1990, 6, 29), in_force_until=D(2020, 12, 31)
    )


@pytest.fixture
def author():
    return UserFactory(username="author")


def build_report(state, commitment, author, **overrides) -> Report:
    """An unsaved, valid draft implementation report; override to break one rule."""
    fields = {"state": state, "commitment": commitment, "created_by": author, "observed_on": D(2010, 5, 4)}
    return ReportFactory.build(**{**fields, **overrides})


def field_errors(report: Report) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        report.full_clean()
    return excinfo.value.message_dict


def save_bypassing_validation(report: Report) -> None:
    with transaction.atomic():
        report.save()


# --- the valid baseline ------------------------------------------------------------------


def test_valid_implementation_report_passes_validation(state, commitment, author):
    build_report(state, commitment, author).full_clean()


def test_valid_violation_report_passes_validation(state, commitment, author):
    build_report(state, commitment, author, kind="violation", level="", severity="grave").full_clean()


# --- level and severity match the kind -------------------------------------------------------


def test_level_on_a_violation_report_fails_validation_on_level(state, commitment, author):
    report = build_report(state, commitment, author, kind="violation", level="full", severity="serious")
    assert "level" in field_errors(report)


def test_database_rejects_level_on_a_violation_report(state, commitment, author):
    report = build_report(state, commitment, author, kind="violation", level="full", severity="serious")
    with pytest.raises(IntegrityError):
        save_bypassing_validation(report)


def test_severity_on_an_implementation_report_fails_validation_on_severity(state, commitment, author):
    report = build_report(state, commitment, author, kind="implementation", level="full", severity="minor")
    assert "severity" in field_errors(report)


def test_database_rejects_severity_on_an_implementation_report(state, commitment, author):
    report = build_report(state, commitment, author, kind="implementation", level="full", severity="minor")
    with pytest.raises(IntegrityError):
        save_bypassing_validation(report)


def test_implementation_report_without_level_fails_validation_on_level(state, commitment, author):
    report = build_report(state, commitment, author, kind="implementation", level="", severity="")
    errors = field_errors(report)
    assert "level" in errors
    assert "needs a level" in errors["level"][0]


def test_database_rejects_implementation_report_without_level(state, commitment, author):
    report = build_report(state, commitment, author, kind="implementation", level="", severity="")
    with pytest.raises(IntegrityError):
        save_bypassing_validation(report)


def test_violation_report_without_severity_fails_validation_on_severity(state, commitment, author):
    report = build_report(state, commitment, author, kind="violation", level="", severity="")
    errors = field_errors(report)
    assert "severity" in errors
    assert "needs a severity" in errors["severity"][0]


def test_database_rejects_violation_report_without_severity(state, commitment, author):
    report = build_report(state, commitment, author, kind="violation", level="", severity="")
    with pytest.raises(IntegrityError):
        save_bypassing_validation(report)


def test_database_rejects_level_changed_by_update_on_a_violation_report(state, commitment, author):
    report = ReportFactory(state=state, commitment=commitment, created_by=author, violation=True)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(level="full")


def test_unknown_kind_fails_validation_on_kind(state, commitment, author):
    report = build_report(state, commitment, author, kind="rumour")
    assert "kind" in field_errors(report)


def test_database_rejects_unknown_kind(state, commitment, author):
    report = build_report(state, commitment, author, kind="rumour")
    with pytest.raises(IntegrityError):
        save_bypassing_validation(report)


def test_database_rejects_unknown_source(state, commitment, author):
    report = build_report(state, commitment, author, source="gossip")
    with pytest.raises(IntegrityError):
        save_bypassing_validation(report)


# --- observed on ----------------------------------------------------------------------------


def test_observed_on_today_passes_validation(state, author):
    open_ended = CommitmentFactory(code="VD-2011-1", in_force_until=None)
    build_report(state, open_ended, author, observed_on=TODAY).full_clean()


def test_observed_on_in_the_future_fails_validation_on_observed_on(state, commitment, author):
    report = build_report(state, commitment, author, observed_on=TODAY + datetime.timedelta(days=1))
    errors = field_errors(report)
    assert "observed_on" in errors
    assert "future" in errors["observed_on"][0]


def test_observed_on_before_the_state_was_admitted_fails_validation_on_observed_on(commitment, author):
    mongolia = StateFactory(code="MN", iso3="MNG", name="Mongolia", admitted_on=D(2012, 11, 21))
    report = build_report(mongolia, commitment, author, observed_on=D(2010, 5, 4))
    errors = field_errors(report)
    assert "observed_on" in errors
    assert "Mongolia was not yet a participating State" in errors["observed_on"][0]


def test_observed_on_the_day_the_state_was_admitted_passes_validation(commitment, author):
    mongolia = StateFactory(code="MN", iso3="MNG", name="Mongolia", admitted_on=D(2012, 11, 21))
    build_report(mongolia, commitment, author, observed_on=D(2012, 11, 21)).full_clean()


def test_observed_on_before_commitment_entered_force_fails_validation_on_observed_on(state, commitment, author):
    report = build_report(state, commitment, author, observed_on=D(1990, 6, 28))
    errors = field_errors(report)
    assert "observed_on" in errors
    assert "COP-1990-7.3 was not in force" in errors["observed_on"][0]


def test_observed_on_after_commitment_left_force_fails_validation_on_observed_on(state, commitment, author):
    report = build_report(state, commitment, author, observed_on=D(2021, 1, 1))
    errors = field_errors(report)
    assert "observed_on" in errors
    assert "not in force" in errors["observed_on"][0]


def test_observed_on_last_day_in_force_passes_validation(state, commitment, author):
    build_report(state, commitment, author, observed_on=D(2020, 12, 31)).full_clean()


def test_report_content_errors_uses_the_given_today(state, commitment):
    errors = report_content_errors(
        kind="implementation",
        level="full",
        severity="",
        observed_on=D(2010, 5, 4),
        state=state,
        commitment=commitment,
        today=D(2010, 5, 3),
    )
    assert list(errors) == ["observed_on"]


# --- source link ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["ftp://files.example.org/report.pdf", "javascript:alert(1)"])
def test_source_url_that_is_not_http_fails_validation_on_source_url(state, commitment, author, url):
    report = build_report(state, commitment, author, source_url=url)
    assert "source_url" in field_errors(report)


@pytest.mark.parametrize("url", ["ftp://files.example.org/report.pdf", "javascript:alert(1)"])
def test_database_rejects_source_url_that_is_not_http(state, commitment, author, url):
    report = build_report(state, commitment, author, source_url=url)
    with pytest.raises(IntegrityError):
        save_bypassing_validation(report)


def test_empty_source_url_passes_validation(state, commitment, author):
    build_report(state, commitment, author, source_url="").full_clean()


# --- review workflow constraints ---------------------------------------------------------------


def test_database_rejects_report_verified_by_its_submitter(state, commitment, author):
    report = ReportFactory.build(
        state=state, commitment=commitment, created_by=author, verified=True, reviewed_by=author
    )
    assert report.submitted_by == report.reviewed_by
    with pytest.raises(IntegrityError):
        save_bypassing_validation(report)


def test_database_rejects_making_the_submitter_the_reviewer_by_update(state, commitment, author):
    report = ReportFactory(state=state, commitment=commitment, created_by=author, verified=True)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(reviewed_by=author)


def test_report_verified_by_its_submitter_fails_validation(state, commitment, author):
    report = ReportFactory.build(
        state=state, commitment=commitment, created_by=author, verified=True, reviewed_by=author
    )
    errors = field_errors(report)
    assert "reviewed by someone other than its submitter" in " ".join(errors["__all__"])


def test_database_rejects_verified_report_without_reviewer(state, commitment, author):
    report = ReportFactory(state=state, commitment=commitment, created_by=author, submitted=True)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.VERIFIED)


def test_database_rejects_submitted_report_without_submitter(state, commitment, author):
    report = ReportFactory(state=state, commitment=commitment, created_by=author)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)


def test_database_rejects_rejected_report_without_reason(state, commitment, author):
    report = ReportFactory(state=state, commitment=commitment, created_by=author, verified=True)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.REJECTED, rejection_reason="")


def test_database_rejects_retracted_report_without_reason(state, commitment, author):
    report = ReportFactory(state=state, commitment=commitment, created_by=author, verified=True)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.RETRACTED, retraction_reason="")


def test_database_rejects_unknown_status(state, commitment, author):
    report = ReportFactory(state=state, commitment=commitment, created_by=author)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(status="published")
