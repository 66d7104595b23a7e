"""Admin pages, the review queue and the all-or-nothing imports of recommendations and assessments."""

import datetime
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations.imports import assessments_import, recommendations_import
from recommendations.models import Assessment, Recommendation
from tests.factories import (
    AssessmentFactory,
    CommitmentFactory,
    InstitutionFactory,
    RecommendationFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
GOOD = "ODIHR-AT-2012-1,AT,odihr,Final report,2012-03-01,https://osce.org/r,1,Review the law.,parliament,COP-1990-7.3\n"
HEADER = "code,state,institution,source_title,source_date,source_url,number,text,addressee,commitments\n"


@pytest.fixture
def catalogue():
    StateFactory(code="AT")
    InstitutionFactory(slug="odihr")
    CommitmentFactory(code="COP-1990-7.3", document__adopted_on=D(1990, 6, 29))
    CommitmentFactory(code="VD-2011-IX", document__adopted_on=D(2011, 11, 30))


def csv_dataset(text: str) -> tablib.Dataset:
    return tablib.Dataset().load(text, format="csv")


def test_recommendation_import_creates_every_row(catalogue, catalogue_editor):
    rows = HEADER + (
        GOOD + "ODIHR-AT-2012-2,AT,odihr,Final report,2012-03-01,https://osce.org/r,2,Publish results.,"
        "election_administration,COP-1990-7.3;VD-2011-IX\n"
    )
    result = recommendations_import(dataset=csv_dataset(rows), user=catalogue_editor)
    assert (result.ok, result.created) == (True, 2)
    assert set(Recommendation.objects.get(code="ODIHR-AT-2012-2").commitments.values_list("code", flat=True)) == {
        "COP-1990-7.3",
        "VD-2011-IX",
    }


def test_recommendation_import_names_every_bad_line_and_saves_nothing(catalogue, catalogue_editor):
    rows = HEADER + (
        GOOD + "ODIHR-AT-2010-2,XX,nobody,Final report,2010-03-01,https://osce.org/r,2,Text.,parliament,VD-2011-IX\n"
        "ODIHR-AT-2012-1,AT,odihr,Final report,2012-03-01,ftp://osce.org/r,3,Dup.,king,NOPE\n"
    )
    result = recommendations_import(dataset=csv_dataset(rows), user=catalogue_editor)
    assert {(e.line, e.column) for e in result.errors} == {
        (3, "state"),
        (3, "institution"),
        (3, "commitments"),
        (4, "code"),
        (4, "source_url"),
        (4, "addressee"),
        (4, "commitments"),
    }
    assert not Recommendation.objects.exists()


def test_assessment_import_arrives_submitted_by_the_importer(reporter):
    recommendation = RecommendationFactory(code="R-1", source_date=D(2012, 3, 1))
    rows = "recommendation,rating,assessed_on,source,summary\nR-1,mostly,2014-05-01,observation_mission,Done mostly.\n"
    result = assessments_import(dataset=csv_dataset(rows), user=reporter)
    assert result.created == 1
    assessment = Assessment.objects.get(recommendation=recommendation)
    assert (assessment.status, assessment.submitted_by) == ("submitted", reporter)


def test_assessment_import_names_every_bad_line_and_saves_nothing(reporter):
    RecommendationFactory(code="R-1", source_date=D(2012, 3, 1))
    rows = (
        "recommendation,rating,assessed_on,source,summary\n"
        "R-1,mostly,2014-05-01,observation_mission,Fine.\n"
        "R-1,somewhat,2011-05-01,observation_mission,Bad rating and too early.\n"
        "R-9,fully,2999-01-01,gossip,\n"
    )
    result = assessments_import(dataset=csv_dataset(rows), user=reporter)
    assert {(e.line, e.column) for e in result.errors} == {
        (3, "rating"),
        (3, "assessed_on"),
        (4, "recommendation"),
        (4, "assessed_on"),
        (4, "source"),
        (4, "summary"),
    }
    assert not Assessment.objects.exists()


def test_admin_import_page_imports_a_file(client, reporter):
    RecommendationFactory(code="R-1", source_date=D(2012, 3, 1))
    client.force_login(reporter)
    upload = SimpleUploadedFile(
        "a.csv", b"recommendation,rating,assessed_on,source,summary\nR-1,fully,2014-05-01,ngo,Done.\n"
    )
    response = client.post("/admin/recommendations/assessment/import/", {"file": upload, "dry_run": ""})
    assert response.status_code == 200
    assert Assessment.objects.filter(status="submitted").count() == 1


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_admin_offers_import_templates(client, catalogue_editor, extension):
    client.force_login(catalogue_editor)
    response = client.get(f"/admin/recommendations/recommendation/import/template.{extension}")
    assert response.status_code == 200
    content = response.content if extension == "xlsx" else response.content.decode()
    dataset = tablib.Dataset().load(content if extension == "csv" else io.BytesIO(content).read(), format=extension)
    assert dataset.headers[:3] == ["code", "state", "institution"]


def test_review_queue_lists_what_others_submitted(client, reviewer, other_reporter):
    mine = AssessmentFactory(submitted=True, created_by=reviewer)
    theirs = AssessmentFactory(submitted=True, created_by=other_reporter)
    client.force_login(reviewer)
    response = client.get("/admin/recommendations/assessment/?queue=mine")
    ids = [row.pk for row in response.context["cl"].result_list]
    assert ids == [theirs.pk] and mine.pk not in ids


def test_admin_verify_action_refuses_own_submission(client, reviewer):
    own = AssessmentFactory(submitted=True, created_by=reviewer)
    client.force_login(reviewer)
    client.post(
        "/admin/recommendations/assessment/",
        {"action": "verify_assessments", "_selected_action": [own.pk], "reason": ""},
    )
    own.refresh_from_db()
    assert own.status == "submitted"


def test_recommendation_change_page_shows_assessments_inline(client, admin_user):
    assessment = AssessmentFactory(verified=True)
    client.force_login(admin_user)
    response = client.get(f"/admin/recommendations/recommendation/{assessment.recommendation.pk}/change/")
    assert response.status_code == 200
    assert f"#{assessment.pk}" in response.content.decode()


def test_admin_form_refuses_a_commitment_not_in_force(client, admin_user, catalogue):
    client.force_login(admin_user)
    later = Recommendation.commitments.field.related_model.objects.get(code="VD-2011-IX")
    response = client.post(
        "/admin/recommendations/recommendation/add/",
        {
            "code": "X-1",
            "state": "AT",
            "institution": InstitutionFactory(slug="odihr").pk,
            "source_title": "Report",
            "source_date": "2010-01-01",
            "source_url": "https://osce.org/x",
            "number": "1",
            "text": "Text.",
            "addressee": "parliament",
            "commitments": [later.pk],
        },
    )
    assert response.status_code == 200
    assert "commitments" in response.context["adminform"].form.errors
    assert not Recommendation.objects.exists()
