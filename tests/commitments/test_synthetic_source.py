"""The source "synthetic demo data" is written only by `seed_demo`: staff cannot choose it in the admin, the
API or the import, and an existing synthetic report keeps its value in the admin."""

import datetime

import pytest
import tablib
from django.core.exceptions import ValidationError

from commitments import services
from commitments.imports import REQUIRED_COLUMNS, reports_import
from commitments.models import Report, ReportSource, ReportStatus
from tests.api.conftest import client_with_token
from tests.factories import CommitmentFactory, ReportFactory, SourceDocumentFactory, StateFactory

pytestmark = pytest.mark.django_db

SYNTHETIC = ReportSource.SYNTHETIC_DEMO.value
ADD_URL = "/admin/commitments/report/add/"


@pytest.fixture
def state():
    return StateFactory(code="AT", name="Austria", admitted_on=datetime.date(1973, 6, 25))


@pytest.fixture
def commitment():
    document = SourceDocumentFactory(code="COP-1990", adopted_on=datetime.date(1990, 6, 29))
    return CommitmentFactory(code="COP-1990-7.3", document=document)


def form_data(state, commitment, **overrides) -> dict:
    return {
        "state": state.pk,
        "commitment": commitment.pk,
        "kind": "implementation",
        "level": "full",
        "severity": "",
        "observed_on": "2015-03-02",
        "summary": "Elections held at the required interval.",
        "source": "odihr",
        "source_url": "",
        "citation": "",
        "corrects": "",
        **overrides,
    }


def source_choices(response) -> list[str]:
    return [value for value, _ in response.context["adminform"].form.fields["source"].choices]


# --- admin -------------------------------------------------------------------------------------------


def test_the_admin_add_form_does_not_offer_synthetic_demo_data(client, reporter):
    client.force_login(reporter)
    choices = source_choices(client.get(ADD_URL))
    assert SYNTHETIC not in choices
    assert "odihr" in choices


def test_the_admin_refuses_a_posted_synthetic_source_naming_the_field(client, reporter, state, commitment):
    client.force_login(reporter)
    response = client.post(ADD_URL, form_data(state, commitment, source=SYNTHETIC))
    assert response.status_code == 200
    assert "source" in response.context["adminform"].form.errors
    assert not Report.objects.exists()


def test_an_existing_synthetic_draft_keeps_its_source_when_edited_in_the_admin(client, reporter, state, commitment):
    draft = ReportFactory(state=state, commitment=commitment, created_by=reporter, source=SYNTHETIC)
    client.force_login(reporter)
    url = f"/admin/commitments/report/{draft.pk}/change/"
    response = client.get(url)
    assert source_choices(response).count(SYNTHETIC) == 1
    assert response.context["adminform"].form["source"].value() == SYNTHETIC

    response = client.post(url, form_data(state, commitment, source=SYNTHETIC, level="partial"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.source, draft.level) == (SYNTHETIC, "partial")


def test_a_verified_synthetic_report_still_displays_its_source(client, pure_reviewer, state, commitment):
    report = ReportFactory(state=state, commitment=commitment, source=SYNTHETIC, verified=True)
    client.force_login(pure_reviewer)
    response = client.get(f"/admin/commitments/report/{report.pk}/change/")
    assert response.status_code == 200
    assert "Synthetic demo data (not a real report)" in response.content.decode()


# --- services (what every write path ends in) --------------------------------------------------------


def test_the_service_refuses_a_new_synthetic_draft(reporter, state, commitment):
    with pytest.raises(ValidationError) as caught:
        services.report_create_draft(
            user=reporter,
            state=state,
            commitment=commitment,
            kind="implementation",
            level="full",
            observed_on=datetime.date(2015, 3, 2),
            summary="x",
            source=SYNTHETIC,
        )
    assert "seed_demo" in caught.value.message_dict["source"][0]


def test_the_service_refuses_to_turn_a_real_draft_synthetic(reporter, state, commitment):
    draft = ReportFactory(state=state, commitment=commitment, created_by=reporter)
    with pytest.raises(ValidationError) as caught:
        services.report_update_draft(report=draft, user=reporter, source=SYNTHETIC)
    assert "source" in caught.value.message_dict
    assert Report.objects.get(pk=draft.pk).source == ReportSource.ODIHR


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_refuses_a_synthetic_source_with_a_400_naming_the_field(reporter, state, commitment):
    response = client_with_token(reporter).post(
        "/api/v1/reports/",
        {
            "state": "AT",
            "commitment": "COP-1990-7.3",
            "kind": "implementation",
            "level": "full",
            "observed_on": "2015-03-02",
            "summary": "Synthetic, says the caller.",
            "source": SYNTHETIC,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "seed_demo" in response.json()["source"][0]
    assert not Report.objects.exists()


# --- import ------------------------------------------------------------------------------------------


def test_the_import_refuses_a_synthetic_source_naming_the_line(reporter, state, commitment):
    row = {
        "state": "AT",
        "commitment": "COP-1990-7.3",
        "kind": "implementation",
        "level_or_severity": "full",
        "observed_on": "2015-03-02",
        "source": "synthetic demo",
        "summary": "Row two is synthetic.",
    }
    dataset = tablib.Dataset(headers=REQUIRED_COLUMNS)
    dataset.append([row[column] for column in REQUIRED_COLUMNS])
    dataset.append([{**row, "source": "odihr"}[column] for column in REQUIRED_COLUMNS])

    result = reports_import(dataset=dataset, user=reporter)

    assert [(error.line, error.column) for error in result.errors] == [(2, "source")]
    assert "seed_demo" in result.errors[0].message
    assert not Report.objects.filter(status=ReportStatus.SUBMITTED).exists()
