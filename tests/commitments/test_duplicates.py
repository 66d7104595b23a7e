"""Issue 12, duplicates: a report identical to a standing one is refused, naming the one already there.

"The same report" is Report's identity: State, commitment, kind, level or severity, observed_on and source
link (docs/methodology.md, "The same report"). Draft, submitted and verified reports stand; retracted and
rejected ones block nothing.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments import services
from commitments.models import Report, ReportStatus
from tests.factories import CommitmentFactory, ReportFactory, SourceDocumentFactory, StateFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def state():
    return StateFactory(code="AT", name="Austria")


@pytest.fixture
def commitment():
    document = SourceDocumentFactory(code="COP-1990", adopted_on=D(1990, 6, 29))
    return CommitmentFactory(code="COP-1990-7.3", document=document)


@pytest.fixture
def content(state, commitment):
    return {
        "state": state,
        "commitment": commitment,
        "kind": "violation",
        "level": "",
        "severity": "serious",
        "observed_on": D(2015, 3, 2),
        "summary": "Observers were refused access to polling stations.",
        "source": "odihr",
        "source_url": "https://www.osce.org/odihr/elections/austria/2015",
    }


def refusal(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# --- entry through the services (the admin and the API call them) ------------------------------------


def test_a_report_identical_to_a_draft_is_refused_naming_the_draft(reporter, content):
    first = services.report_create_draft(user=reporter, **content)

    with pytest.raises(ValidationError) as exc_info:
        services.report_create_draft(user=reporter, **content | {"summary": "Same event, other words."})

    assert f"Duplicate of report #{first.pk} (draft)" in refusal(exc_info)
    assert Report.objects.count() == 1


def test_a_report_identical_to_a_verified_one_is_refused_naming_it(other_reporter, content):
    verified = ReportFactory(**content, verified=True)

    with pytest.raises(ValidationError) as exc_info:
        services.report_create_draft(user=other_reporter, **content)

    assert f"Duplicate of report #{verified.pk} (verified)" in refusal(exc_info)


@pytest.mark.parametrize("status", [ReportStatus.RETRACTED, ReportStatus.REJECTED])
def test_a_retracted_or_rejected_original_does_not_block_a_new_report(reporter, content, status):
    original = ReportFactory(**content, submitted=True)
    if status == ReportStatus.RETRACTED:
        Report.objects.filter(pk=original.pk).update(status=status, retraction_reason="Wrong State.")
    else:
        Report.objects.filter(pk=original.pk).update(
            status=status, rejection_reason="No source.", reviewed_by=UserFactory()
        )

    again = services.report_create_draft(user=reporter, **content)

    assert again.pk != original.pk


def test_retracting_the_original_through_the_workflow_lets_the_correction_in(reporter, content):
    original = services.report_create_draft(user=reporter, **content)
    services.report_retract(report=original, user=reporter, reason="Entered with the wrong summary.")

    correction = services.report_create_draft(user=reporter, **content | {"corrects": original})

    assert correction.corrects == original


def test_editing_a_draft_does_not_find_it_a_duplicate_of_itself(reporter, content):
    draft = services.report_create_draft(user=reporter, **content)

    edited = services.report_update_draft(report=draft, user=reporter, summary="Reworded.")
    submitted = services.report_submit(report=edited, user=reporter)

    assert (submitted.summary, submitted.status) == ("Reworded.", ReportStatus.SUBMITTED)


def test_editing_a_draft_into_a_copy_of_another_report_is_refused(reporter, content):
    first = services.report_create_draft(user=reporter, **content)
    second = services.report_create_draft(user=reporter, **content | {"observed_on": D(2015, 3, 3)})

    with pytest.raises(ValidationError) as exc_info:
        services.report_update_draft(report=second, user=reporter, observed_on=D(2015, 3, 2))

    assert f"#{first.pk}" in refusal(exc_info)
    second.refresh_from_db()
    assert second.observed_on == D(2015, 3, 3)


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "implementation", "severity": "", "level": "partial"},
        {"severity": "grave"},
        {"observed_on": D(2015, 3, 3)},
        {"source_url": "https://www.osce.org/odihr/elections/austria/2015#interim"},
        {"source_url": ""},
        {"state": "other State"},
        {"commitment": "other commitment"},
    ],
    ids=["kind", "severity", "observed_on", "source_url", "no-link", "state", "commitment"],
)
def test_reports_that_differ_in_one_identity_field_are_two_reports(reporter, content, change):
    if change.get("state"):
        change["state"] = StateFactory(code="BE")
    if change.get("commitment"):
        change["commitment"] = CommitmentFactory(document=content["commitment"].document)
    services.report_create_draft(user=reporter, **content)

    services.report_create_draft(user=reporter, **content | change)

    assert Report.objects.count() == 2


def test_summary_citation_and_source_do_not_make_another_report(reporter, content):
    services.report_create_draft(user=reporter, **content)
    reworded = {"summary": "Other words.", "citation": "Final report, p. 12", "source": "media"}

    with pytest.raises(ValidationError):
        services.report_create_draft(user=reporter, **content | reworded)


def test_two_reports_without_a_link_that_agree_on_the_rest_are_the_same_report(reporter, content):
    first = services.report_create_draft(user=reporter, **content | {"source_url": ""})

    with pytest.raises(ValidationError) as exc_info:
        services.report_create_draft(user=reporter, **content | {"source_url": ""})

    assert f"#{first.pk}" in refusal(exc_info)


# --- the database: a copy that skips validation still does not land -------------------------------


def test_the_database_refuses_a_second_standing_copy(content):
    ReportFactory(**content)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(**content, submitted=True)


def test_the_database_keeps_retracted_copies_beside_a_standing_one(content):
    ReportFactory(**content)
    for _ in range(2):
        ReportFactory(**content, status=ReportStatus.RETRACTED, retraction_reason="Duplicate.")

    assert Report.objects.count() == 3


# --- the admin form ------------------------------------------------------------------------------------


def admin_form(content, **overrides) -> dict:
    data = {
        **content,
        "state": content["state"].pk,
        "commitment": content["commitment"].pk,
        "citation": "",
        "corrects": "",
    }
    return data | overrides


def test_the_admin_add_form_refuses_a_duplicate_naming_the_existing_report(client, reporter, content):
    existing = ReportFactory(**content, submitted=True)
    client.force_login(reporter)

    response = client.post("/admin/commitments/report/add/", admin_form(content))

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert any(f"Duplicate of report #{existing.pk} (submitted)" in error for error in errors)
    assert f"Duplicate of report #{existing.pk}" in response.content.decode()
    assert Report.objects.count() == 1


def test_the_admin_saves_an_edit_of_a_draft_that_keeps_its_identity(client, reporter, content):
    draft = services.report_create_draft(user=reporter, **content)
    client.force_login(reporter)

    response = client.post(f"/admin/commitments/report/{draft.pk}/change/", admin_form(content, summary="Reworded."))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Reworded."
