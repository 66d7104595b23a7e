"""The recommendations API: contract, filters, CSV, visibility, bad input and the assessment workflow."""

import csv
import datetime
import io
import json

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from recommendations.api.serializers import RecommendationSerializer
from recommendations.models import Assessment, Recommendation
from recommendations.selectors import recommendations_with_status
from tests.api.conftest import client_with_token
from tests.factories import (
    AssessmentFactory,
    CommitmentFactory,
    DimensionFactory,
    InstitutionFactory,
    RecommendationFactory,
    StateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def catalogue(db):
    human = DimensionFactory(slug="human")
    polmil = DimensionFactory(slug="politico-military")
    elections = CommitmentFactory(code="COP-1990-7.3", dimension=human, document__adopted_on=D(1990, 6, 29))
    csbm = CommitmentFactory(code="VD-2011-IX", dimension=polmil, document__adopted_on=D(2011, 11, 30))
    at, be = StateFactory(code="AT"), StateFactory(code="BE")
    odihr, rfom = InstitutionFactory(slug="odihr"), InstitutionFactory(slug="rfom")
    closed = RecommendationFactory(
        code="ODIHR-AT-2012-1", state=at, institution=odihr, source_date=D(2012, 3, 1), commitments=[elections]
    )
    AssessmentFactory(recommendation=closed, rating="partially", assessed_on=D(2013, 1, 1), verified=True)
    AssessmentFactory(recommendation=closed, rating="fully", assessed_on=D(2015, 1, 1), verified=True)
    AssessmentFactory(recommendation=closed, rating="not_implemented", assessed_on=D(2016, 1, 1), submitted=True)
    overdue = RecommendationFactory(
        code="RFOM-BE-2014-3",
        state=be,
        institution=rfom,
        source_date=D(2014, 5, 1),
        commitments=[elections, csbm],
        priority=True,
    )
    return {"closed": closed, "overdue": overdue, "at": at}


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_institutions_list_is_public(anon, catalogue):
    assert {row["slug"] for row in anon.get("/api/v1/institutions/").json()} == {"odihr", "rfom"}


def test_list_shows_status_overdue_and_closed(anon, catalogue):
    rows = {row["code"]: row for row in anon.get("/api/v1/recommendations/").json()["results"]}
    assert (rows["ODIHR-AT-2012-1"]["status"], rows["ODIHR-AT-2012-1"]["closed"]) == ("fully", True)
    assert rows["ODIHR-AT-2012-1"]["last_assessed_on"] == "2015-01-01"
    assert (rows["RFOM-BE-2014-3"]["status"], rows["RFOM-BE-2014-3"]["overdue"]) == ("not_assessed", True)
    assert rows["RFOM-BE-2014-3"]["commitments"] == ["COP-1990-7.3", "VD-2011-IX"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=AT", ["ODIHR-AT-2012-1"]),
        ("institution=rfom", ["RFOM-BE-2014-3"]),
        ("status=fully", ["ODIHR-AT-2012-1"]),
        ("overdue=true", ["RFOM-BE-2014-3"]),
        ("priority=true", ["RFOM-BE-2014-3"]),
        ("commitment=VD-2011-IX", ["RFOM-BE-2014-3"]),
        ("dimension=human", ["RFOM-BE-2014-3", "ODIHR-AT-2012-1"]),
        ("dimension=politico-military", ["RFOM-BE-2014-3"]),
        ("issued_after=2013-01-01", ["RFOM-BE-2014-3"]),
        ("issued_before=2013-01-01", ["ODIHR-AT-2012-1"]),
        ("search=RFOM", ["RFOM-BE-2014-3"]),
    ],
)
def test_list_filters(anon, catalogue, query, expected):
    assert codes(anon.get(f"/api/v1/recommendations/?{query}")) == expected


def test_list_rows_are_what_the_serializer_gives(anon, catalogue):
    catalogue["overdue"].themes.set(
        [ThemeFactory(slug="voting", name="Voting"), ThemeFactory(slug="media", name="Media")]
    )
    queryset = recommendations_with_status().order_by("-source_date", "code")
    expected = json.loads(JSONRenderer().render(RecommendationSerializer(queryset, many=True).data))
    assert anon.get("/api/v1/recommendations/").json()["results"] == expected
    assert expected[0]["themes"] == ["media", "voting"]


def test_theme_filter(anon, catalogue):
    catalogue["overdue"].themes.set([ThemeFactory(slug="media-freedom")])
    assert codes(anon.get("/api/v1/recommendations/?theme=media-freedom")) == ["RFOM-BE-2014-3"]


def test_unknown_state_filter_is_a_400_naming_it(anon, catalogue):
    response = anon.get("/api/v1/recommendations/?state=XX")
    assert response.status_code == 400 and "state" in response.json()


def test_csv_export_has_every_matching_row(anon, catalogue):
    response = anon.get("/api/v1/recommendations/?format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["code"], r["status"], r["commitments"]) for r in rows] == [
        ("RFOM-BE-2014-3", "not_assessed", "COP-1990-7.3;VD-2011-IX"),
        ("ODIHR-AT-2012-1", "fully", "COP-1990-7.3"),
    ]


def test_detail_lists_verified_assessments_oldest_first_without_identities(anon, catalogue):
    response = anon.get("/api/v1/recommendations/ODIHR-AT-2012-1/")
    assessments = response.json()["assessments"]
    assert [(a["rating"], a["assessed_on"]) for a in assessments] == [
        ("partially", "2013-01-01"),
        ("fully", "2015-01-01"),
    ]
    assert not {"created_by", "submitted_by", "reviewed_by"} & set(assessments[0])


def test_anonymous_sees_verified_assessments_only(anon, catalogue):
    statuses = {row["rating"] for row in anon.get("/api/v1/assessments/").json()["results"]}
    assert statuses == {"partially", "fully"}


def test_anonymous_cannot_read_an_unverified_assessment(anon, catalogue):
    submitted = AssessmentFactory(recommendation=catalogue["overdue"], assessed_on=D(2016, 1, 1), submitted=True)
    assert anon.get(f"/api/v1/assessments/{submitted.pk}/").status_code == 404


def test_staff_see_the_review_state_but_nobodys_identity(catalogue, reviewer):
    submitted = AssessmentFactory(recommendation=catalogue["overdue"], assessed_on=D(2016, 1, 1), submitted=True)
    row = client_with_token(reviewer).get(f"/api/v1/assessments/{submitted.pk}/").json()
    assert row["status"] == "submitted"
    assert not [name for name in row if name.endswith("_by")]


NEW = {
    "code": "ODIHR-EOM-AT-2013-2",
    "state": "AT",
    "institution": "odihr",
    "source_title": "Final report",
    "source_date": "2013-03-01",
    "source_url": "https://www.osce.org/odihr/elections/austria",
    "number": "2",
    "text": "Publish results by polling station.",
    "priority": False,
    "addressee": "election_administration",
    "commitments": ["COP-1990-7.3"],
}


def test_catalogue_editor_creates_a_recommendation(catalogue, catalogue_editor):
    response = client_with_token(catalogue_editor).post("/api/v1/recommendations/", NEW, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "not_assessed"
    assert list(Recommendation.objects.get(code=NEW["code"]).commitments.values_list("code", flat=True)) == [
        "COP-1990-7.3"
    ]


def test_reporter_cannot_create_a_recommendation(catalogue, reporter):
    response = client_with_token(reporter).post("/api/v1/recommendations/", NEW, format="json")
    assert response.status_code == 403


def test_anonymous_cannot_create_a_recommendation(anon, catalogue):
    assert anon.post("/api/v1/recommendations/", NEW, format="json").status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"state": "XX"}, "state"),
        ({"institution": "nobody"}, "institution"),
        ({"commitments": ["NOPE-1"]}, "commitments"),
        # VD-2011 entered into force on 2011-11-30, after this source date.
        ({"commitments": ["VD-2011-IX"], "source_date": "2010-01-01"}, "commitments"),
        ({"code": "ODIHR-AT-2012-1"}, "code"),
        ({"commitments": []}, "commitments"),
        ({"source_date": "2999-01-01"}, "source_date"),
    ],
)
def test_bad_recommendation_is_a_400_naming_the_field(catalogue, catalogue_editor, change, field):
    response = client_with_token(catalogue_editor).post("/api/v1/recommendations/", NEW | change, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Recommendation.objects.filter(code=(NEW | change)["code"], number="2").exists()


DRAFT = {
    "rating": "mostly",
    "assessed_on": "2016-06-01",
    "source": "observation_mission",
    "summary": "The next mission found most of it done.",
}


def test_reporter_creates_a_draft_assessment(catalogue, reporter):
    response = client_with_token(reporter).post(
        "/api/v1/recommendations/RFOM-BE-2014-3/assessments/", DRAFT, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"


def test_anonymous_cannot_create_an_assessment(anon, catalogue):
    assert anon.post("/api/v1/recommendations/RFOM-BE-2014-3/assessments/", DRAFT, format="json").status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": "somewhat"}, "rating"),
        ({"assessed_on": "2014-04-30"}, "assessed_on"),
        ({"assessed_on": "2999-01-01"}, "assessed_on"),
    ],
)
def test_bad_assessment_is_a_400_naming_the_field(catalogue, reporter, change, field):
    response = client_with_token(reporter).post(
        "/api/v1/recommendations/RFOM-BE-2014-3/assessments/", DRAFT | change, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Assessment.objects.filter(recommendation__code="RFOM-BE-2014-3").exists()


def test_assessment_workflow_over_the_api(catalogue, reporter, reviewer):
    as_reporter, as_reviewer = client_with_token(reporter), client_with_token(reviewer)
    draft = as_reporter.post("/api/v1/recommendations/RFOM-BE-2014-3/assessments/", DRAFT, format="json").json()
    url = f"/api/v1/assessments/{draft['id']}/"
    assert as_reporter.post(url + "submit/").json()["status"] == "submitted"
    assert as_reviewer.post(url + "verify/").json()["status"] == "verified"
    response = as_reporter.post(url + "retract/", {"reason": "Wrong mission."}, format="json")
    assert response.json()["status"] == "retracted"


def test_submitter_cannot_verify_over_the_api(catalogue, reviewer):
    client = client_with_token(reviewer)
    draft = client.post("/api/v1/recommendations/RFOM-BE-2014-3/assessments/", DRAFT, format="json").json()
    client.post(f"/api/v1/assessments/{draft['id']}/submit/")
    response = client.post(f"/api/v1/assessments/{draft['id']}/verify/")
    assert response.status_code == 403
    assert "Four eyes" in response.json()["detail"]


def test_verifying_a_draft_is_a_400_naming_the_status(catalogue, reporter, reviewer):
    draft = client_with_token(reporter).post(
        "/api/v1/recommendations/RFOM-BE-2014-3/assessments/", DRAFT, format="json"
    )
    # A reviewer cannot see another's draft at all, as with reports.
    response = client_with_token(reviewer).post(f"/api/v1/assessments/{draft.json()['id']}/verify/")
    assert response.status_code == 404


def test_rejecting_without_a_reason_is_a_400_naming_reason(catalogue, reviewer):
    submitted = AssessmentFactory(recommendation=catalogue["overdue"], assessed_on=D(2016, 1, 1), submitted=True)
    response = client_with_token(reviewer).post(f"/api/v1/assessments/{submitted.pk}/reject/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


def test_follow_up_rows_by_state_period_and_dimension(anon, catalogue):
    from scorecards.services import scorecards_compute_period

    scorecards_compute_period(period="2015")
    rows = anon.get("/api/v1/follow-up/?state=AT&period=2015&dimension=overall").json()["results"]
    assert [(r["state"], r["dimension"], r["index"], r["fully_count"]) for r in rows] == [("AT", "overall", "100.0", 1)]


def test_follow_up_bad_period_is_a_400_naming_it(anon, catalogue):
    response = anon.get("/api/v1/follow-up/?period=20x5")
    assert response.status_code == 400 and "period" in response.json()


def test_a_stale_if_match_is_a_412_and_changes_nothing(catalogue, reviewer):
    submitted = AssessmentFactory(recommendation=catalogue["overdue"], assessed_on=D(2016, 1, 1), submitted=True)
    client = client_with_token(reviewer)
    etag = client.get(f"/api/v1/assessments/{submitted.pk}/")["ETag"]
    client.post(f"/api/v1/assessments/{submitted.pk}/reject/", {"reason": "Wrong."}, format="json")
    response = client.post(
        f"/api/v1/assessments/{submitted.pk}/retract/", {"reason": "x"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    submitted.refresh_from_db()
    assert submitted.status == "rejected"


def test_a_current_if_match_is_accepted(catalogue, reviewer):
    submitted = AssessmentFactory(recommendation=catalogue["overdue"], assessed_on=D(2016, 1, 1), submitted=True)
    client = client_with_token(reviewer)
    etag = client.get(f"/api/v1/assessments/{submitted.pk}/")["ETag"]
    response = client.post(f"/api/v1/assessments/{submitted.pk}/verify/", HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_a_user_without_a_role_cannot_write_an_assessment(catalogue, db):
    from tests.factories import UserFactory

    response = client_with_token(UserFactory(username="nobody")).post(
        "/api/v1/recommendations/RFOM-BE-2014-3/assessments/", DRAFT, format="json"
    )
    assert response.status_code == 403


def test_list_query_count_does_not_grow_with_the_page(anon, catalogue, django_assert_max_num_queries):
    for number in range(30):
        RecommendationFactory(code=f"BULK-{number}", state=catalogue["at"], commitments=[CommitmentFactory()])
    with django_assert_max_num_queries(8):
        assert len(anon.get("/api/v1/recommendations/?page_size=30").json()["results"]) == 30
