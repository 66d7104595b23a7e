"""django-simple-history keeps every change of reports and of the catalogue, with its author."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from commitments import services
from commitments.models import Commitment, ReportStatus
from tests.admin_forms import COMMITMENT_INLINES
from tests.factories import CommitmentFactory, StateFactory, ThemeFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def commitment():
    return CommitmentFactory(code="COP-1990-7.3", title="Free elections")


@pytest.fixture
def draft(reporter, commitment):
    return services.report_create_draft(
        user=reporter,
        state=StateFactory(code="AT"),
        commitment=commitment,
        kind="violation",
        severity="serious",
        observed_on=D(2015, 3, 2),
        summary="Observers were refused access to polling stations.",
        source="odihr",
    )


def history_of(obj) -> list:
    return list(obj.history.order_by("history_date", "history_id"))


def test_report_history_records_create_submit_and_verify_with_their_authors(draft, reporter, reviewer):
    services.report_submit(report=draft, user=reporter)
    services.report_verify(report=draft, user=reviewer)
    records = history_of(draft)
    assert [(r.history_type, r.status, r.history_user) for r in records] == [
        ("+", ReportStatus.DRAFT, reporter),
        ("~", ReportStatus.SUBMITTED, reporter),
        ("~", ReportStatus.VERIFIED, reviewer),
    ]


def test_report_history_records_rejection_with_reason_and_reviewer(draft, reporter, reviewer):
    services.report_submit(report=draft, user=reporter)
    services.report_reject(report=draft, user=reviewer, reason="Wrong polling station.")
    latest = draft.history.latest()
    assert (latest.status, latest.history_user, latest.rejection_reason) == (
        ReportStatus.REJECTED,
        reviewer,
        "Wrong polling station.",
    )


def test_report_history_records_retraction_by_its_author(draft, reporter):
    services.report_retract(report=draft, user=reporter, reason="Entered twice.")
    latest = draft.history.latest()
    assert (latest.status, latest.history_user, latest.retraction_reason) == (
        ReportStatus.RETRACTED,
        reporter,
        "Entered twice.",
    )


def test_report_history_keeps_the_previous_content_of_an_edited_draft(draft, reporter):
    services.report_update_draft(report=draft, user=reporter, severity="grave")
    assert [r.severity for r in history_of(draft)] == ["serious", "grave"]


def test_refused_step_writes_no_history(draft, other_reporter):
    with pytest.raises(PermissionDenied):
        services.report_submit(report=draft, user=other_reporter)
    assert len(history_of(draft)) == 1


def test_commitment_edit_is_recorded_with_its_author(commitment, catalogue_editor):
    commitment.title = "Free and fair elections"
    commitment._history_user = catalogue_editor
    commitment.save()
    records = history_of(commitment)
    assert [(r.history_type, r.title) for r in records] == [("+", "Free elections"), ("~", "Free and fair elections")]
    assert records[-1].history_user == catalogue_editor


def test_commitment_edit_in_the_admin_is_recorded_with_the_editor(client, commitment, catalogue_editor):
    client.force_login(catalogue_editor)
    response = client.post(
        f"/admin/commitments/commitment/{commitment.pk}/change/",
        {
            "code": commitment.code,
            "document": commitment.document_id,
            "paragraph": commitment.paragraph,
            "title": "Free and fair elections",
            "summary": commitment.summary,
            "dimension": commitment.dimension_id,
            "weight": "2",
            "weight_reason": "Core commitment of the dimension.",
            "in_force_from": commitment.in_force_from.isoformat(),
            "in_force_until": "",
            **COMMITMENT_INLINES,
        },
    )
    assert response.status_code == 302
    latest = Commitment.objects.get(pk=commitment.pk).history.latest()
    assert (latest.title, latest.weight, latest.history_user) == ("Free and fair elections", 2, catalogue_editor)


def test_commitment_theme_change_is_recorded(commitment):
    theme = ThemeFactory(slug="conflict-cycle")
    commitment.themes.add(theme)
    latest = commitment.history.latest()
    assert [t.theme_id for t in latest.themes.all()] == [theme.pk]


def reasons_of(obj) -> list:
    return [r.history_change_reason for r in history_of(obj)]


def test_history_names_creation_edit_submission_and_verification(draft, reporter, reviewer):
    services.report_update_draft(report=draft, user=reporter, severity="grave")
    services.report_submit(report=draft, user=reporter)
    services.report_verify(report=draft, user=reviewer)

    assert reasons_of(draft) == ["created", "edited", "submitted", "verified"]


def test_history_records_why_a_report_was_rejected(draft, reporter, reviewer):
    services.report_submit(report=draft, user=reporter)
    services.report_reject(report=draft, user=reviewer, reason="Wrong polling station.")

    assert draft.history.latest().history_change_reason == "rejected: Wrong polling station."


def test_history_records_why_a_report_was_retracted(draft, reporter):
    services.report_retract(report=draft, user=reporter, reason="Entered twice.")

    assert draft.history.latest().history_change_reason == "retracted: Entered twice."


def test_a_long_multi_line_rejection_reason_is_shortened_in_the_history_not_refused(draft, reporter, reviewer):
    reason = "The source does not say this.\n\n" + "It describes another election entirely. " * 10
    services.report_submit(report=draft, user=reporter)

    services.report_reject(report=draft, user=reviewer, reason=reason)

    latest = draft.history.latest()
    assert latest.rejection_reason == reason.strip()
    assert latest.history_change_reason.startswith("rejected: The source does not say this. It describes")
    assert len(latest.history_change_reason) == 100
    assert latest.history_change_reason.endswith("…")
