"""List pages read with `.values()` give exactly what the documented serializers give."""

import datetime
import json

import pytest
from rest_framework.renderers import JSONRenderer

from commitments.api.serializers import ReportSerializer, ReportStaffSerializer
from commitments.models import Report, ReportSource, ReportStatus
from scorecards.api.serializers import ScorecardSerializer
from scorecards.models import Scorecard
from scorecards.services import scorecards_compute_period
from tests.api.conftest import client_with_token
from tests.factories import CommitmentFactory, DimensionFactory, ReportFactory, StateFactory

D = datetime.date


def as_json(data):
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def reports(db, reporter):
    human = DimensionFactory(slug="human")
    DimensionFactory(slug="politico-military")
    commitment = CommitmentFactory(code="COP-1990-7.3", dimension=human)
    corrected = ReportFactory(state=StateFactory(code="AT"), commitment=commitment, verified=True)
    ReportFactory(
        state_id="AT", commitment=commitment, violation=True, verified=True, source_url="", corrects=corrected
    )
    ReportFactory(
        state=StateFactory(code="BE"),
        commitment=commitment,
        verified=True,
        source=ReportSource.SYNTHETIC_DEMO,
        observed_on=D(2010, 4, 2),
    )
    ReportFactory(state_id="BE", commitment=commitment, status=ReportStatus.DRAFT, created_by=reporter)
    scorecards_compute_period(period="2010-Q2")


def test_anonymous_report_list_matches_the_public_serializer(client, reports):
    listed = client.get("/api/v1/reports/", {"page_size": 100}).json()["results"]
    expected = as_json(ReportSerializer(Report.objects.verified().order_by("-id"), many=True).data)
    assert listed == expected
    assert any(row["is_synthetic"] is True for row in listed)
    assert any(row["is_synthetic"] is False for row in listed)


def test_staff_report_list_matches_the_staff_serializer(reports, reporter):
    listed = client_with_token(reporter).get("/api/v1/reports/", {"page_size": 100}).json()["results"]
    visible = Report.objects.visible_to(reporter).order_by("-id")
    assert listed == as_json(ReportStaffSerializer(visible, many=True).data)
    assert {row["created_by"] for row in listed} >= {reporter.username}


def test_scorecard_list_matches_the_serializer(client, reports):
    listed = client.get("/api/v1/scorecards/", {"page_size": 100}).json()["results"]
    cards = Scorecard.objects.filter(method_version=2).order_by("period__start", "state_id", "dimension_id")
    assert listed == as_json(ScorecardSerializer(cards, many=True).data)
    assert {row["dimension"] for row in listed} == {"human", "politico-military", "overall"}
