"""Reading and writing reports: who sees what, each filter, and bad input naming its field."""

import datetime

import pytest
from django.utils import timezone

from commitments import services
from commitments.models import Report, ReportStatus
from tests.factories import ReportFactory, StateFactory

from .conftest import verified_report

D = datetime.date

STAFF_KEYS = {"created_by", "submitted_by", "reviewed_by", "submitted_at", "reviewed_at"}

REPORT = {
    "state": "AT",
    "commitment": "COP-1990-7.3",
    "kind": "violation",
    "severity": "serious",
    "observed_on": "2010-05-04",
    "source": "odihr",
    "source_url": "https://www.osce.org/odihr/elections",
    "summary": "Voters abroad could not register in time.",
}


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def each_status(reporter, reviewer, austria, elections):
    """One report of the reporter's in each workflow status."""
    draft = ReportFactory(state=austria, commitment=elections, created_by=reporter)
    submitted = ReportFactory(state=austria, commitment=elections, created_by=reporter, submitted=True)
    verified = ReportFactory(state=austria, commitment=elections, created_by=reporter, verified=True)
    rejected = ReportFactory(
        state=austria,
        commitment=elections,
        created_by=reporter,
        submitted=True,
        status=ReportStatus.REJECTED,
        reviewed_by=reviewer,
        rejection_reason="No source.",
    )
    return {"draft": draft, "submitted": submitted, "verified": verified, "rejected": rejected}


# Who sees what.
def test_anonymous_sees_only_verified_reports(anon, each_status):
    assert ids(anon.get("/api/v1/reports/")) == [each_status["verified"].pk]


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_anonymous_cannot_open_an_unpublished_report(anon, each_status, status):
    assert anon.get(f"/api/v1/reports/{each_status[status].pk}/").status_code == 404


def test_anonymous_report_json_has_no_user_identities(anon, each_status):
    listed = anon.get("/api/v1/reports/").json()["results"][0]
    detail = anon.get(f"/api/v1/reports/{each_status['verified'].pk}/").json()

    for body in (listed, detail):
        assert not STAFF_KEYS & set(body)
        assert "rejection_reason" not in body
    assert detail["state"] == "AT"
    assert detail["commitment"] == "COP-1990-7.3"
    assert detail["dimension"] == "human"


def test_signed_in_staff_see_who_did_what(reporter_client, reporter, each_status):
    body = reporter_client.get(f"/api/v1/reports/{each_status['verified'].pk}/").json()

    assert body["created_by"] == reporter.username
    assert body["submitted_by"] == reporter.username
    assert body["reviewed_by"] == each_status["verified"].reviewed_by.username


def test_reporter_sees_own_reports_of_every_status(reporter_client, each_status):
    assert sorted(ids(reporter_client.get("/api/v1/reports/"))) == sorted(r.pk for r in each_status.values())


def test_reporter_cannot_see_another_reporters_draft(other_reporter_client, each_status):
    draft = each_status["draft"]

    assert other_reporter_client.get(f"/api/v1/reports/{draft.pk}/").status_code == 404
    assert draft.pk not in ids(other_reporter_client.get("/api/v1/reports/"))
    # Nor their submitted or rejected reports: a reporter is not a reviewer.
    assert ids(other_reporter_client.get("/api/v1/reports/")) == [each_status["verified"].pk]


def test_reviewer_sees_submissions_but_not_others_drafts(reviewer_client, each_status):
    visible = ids(reviewer_client.get("/api/v1/reports/"))

    assert each_status["submitted"].pk in visible
    assert each_status["rejected"].pk in visible
    assert each_status["draft"].pk not in visible
    assert reviewer_client.get(f"/api/v1/reports/{each_status['draft'].pk}/").status_code == 404


def test_reports_are_newest_first(anon, austria, elections):
    reports = [verified_report(state=austria, commitment=elections) for _ in range(3)]

    assert ids(anon.get("/api/v1/reports/")) == [r.pk for r in reversed(reports)]


def test_synthetic_reports_say_so(anon, austria, elections):
    report = verified_report(state=austria, commitment=elections, source="synthetic_demo")

    assert anon.get(f"/api/v1/reports/{report.pk}/").json()["is_synthetic"] is True


# Filters: one test each, asserting which rows come back.
@pytest.fixture
def published(austria, belgium, elections, media, inspections):
    return {
        "at_elections": verified_report(state=austria, commitment=elections, observed_on=D(2010, 5, 4), source="odihr"),
        "be_elections": verified_report(
            state=belgium, commitment=elections, observed_on=D(2011, 3, 1), source="ngo", violation=True
        ),
        "at_media": verified_report(
            state=austria, commitment=media, observed_on=D(2012, 7, 9), source="rfom", violation=True
        ),
        "be_inspections": verified_report(
            state=belgium, commitment=inspections, observed_on=D(2013, 2, 2), source="state"
        ),
    }


def expect(published, *names):
    return sorted(published[name].pk for name in names)


def test_filter_reports_by_state(anon, published):
    assert sorted(ids(anon.get("/api/v1/reports/", {"state": "AT"}))) == expect(published, "at_elections", "at_media")


def test_filter_reports_by_commitment(anon, published):
    assert sorted(ids(anon.get("/api/v1/reports/", {"commitment": "COP-1990-7.3"}))) == expect(
        published, "at_elections", "be_elections"
    )


def test_filter_reports_by_dimension(anon, published):
    assert ids(anon.get("/api/v1/reports/", {"dimension": "politico-military"})) == expect(published, "be_inspections")


def test_filter_reports_by_theme(anon, published):
    assert sorted(ids(anon.get("/api/v1/reports/", {"theme": "free-elections"}))) == expect(
        published, "at_elections", "be_elections"
    )


def test_filter_reports_by_kind(anon, published):
    assert sorted(ids(anon.get("/api/v1/reports/", {"kind": "violation"}))) == expect(
        published, "be_elections", "at_media"
    )


def test_filter_reports_by_status(reporter_client, reporter, published, austria, elections):
    draft = ReportFactory(state=austria, commitment=elections, created_by=reporter)

    assert ids(reporter_client.get("/api/v1/reports/", {"status": "draft"})) == [draft.pk]
    assert sorted(ids(reporter_client.get("/api/v1/reports/", {"status": "verified"}))) == expect(
        published, "at_elections", "be_elections", "at_media", "be_inspections"
    )


def test_filter_reports_by_source(anon, published):
    assert ids(anon.get("/api/v1/reports/", {"source": "rfom"})) == expect(published, "at_media")


def test_filter_reports_observed_after(anon, published):
    assert sorted(ids(anon.get("/api/v1/reports/", {"observed_after": "2012-07-09"}))) == expect(
        published, "at_media", "be_inspections"
    )


def test_filter_reports_observed_before(anon, published):
    assert sorted(ids(anon.get("/api/v1/reports/", {"observed_before": "2011-03-01"}))) == expect(
        published, "at_elections", "be_elections"
    )


def test_filters_combine(anon, published):
    assert ids(
        anon.get("/api/v1/reports/", {"state": "BE", "kind": "implementation", "observed_after": "2013-01-01"})
    ) == expect(published, "be_inspections")


def test_reports_ordering_by_observed_on(anon, published):
    assert ids(anon.get("/api/v1/reports/", {"ordering": "observed_on"})) == [
        published[name].pk for name in ["at_elections", "be_elections", "at_media", "be_inspections"]
    ]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("state", "XX"),
        ("commitment", "NOPE-1"),
        ("dimension", "nope"),
        ("theme", "nope"),
        ("kind", "rumour"),
        ("status", "published"),
        ("source", "twitter"),
        ("observed_after", "2010-02-30"),
        ("observed_before", "yesterday"),
        ("state", "A\x00"),
    ],
)
def test_unknown_report_filter_value_is_a_400_naming_it(anon, published, parameter, value):
    response = anon.get("/api/v1/reports/", {parameter: value})

    assert response.status_code == 400
    assert parameter in response.json()


# Creating and editing drafts.
def test_reporter_creates_a_draft_owned_by_them(reporter_client, reporter, austria, elections):
    response = reporter_client.post("/api/v1/reports/", REPORT, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["created_by"], body["state"], body["commitment"]) == (
        "draft",
        reporter.username,
        "AT",
        "COP-1990-7.3",
    )
    report = Report.objects.get(pk=body["id"])
    assert (report.created_by, report.severity, report.level) == (reporter, "serious", "")
    assert report.history.count() == 1


def test_a_draft_is_created_from_a_form_post_too(reporter_client, austria, elections):
    response = reporter_client.post("/api/v1/reports/", REPORT)

    assert response.status_code == 201


def test_status_and_owner_cannot_be_forged_on_create(reporter_client, reporter, reviewer, austria, elections):
    response = reporter_client.post(
        "/api/v1/reports/", REPORT | {"status": "verified", "created_by": reviewer.username}, format="json"
    )

    assert response.status_code == 201
    assert Report.objects.get(pk=response.json()["id"]).status == ReportStatus.DRAFT
    assert response.json()["created_by"] == reporter.username


def tomorrow():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"state": "XX"}, "state"),
        ({"state": "at"}, "state"),
        ({"commitment": "COP-1990-99"}, "commitment"),
        ({"kind": "rumour"}, "kind"),
        ({"level": "partial"}, "level"),  # a level on a violation report
        ({"severity": ""}, "severity"),  # a violation report without its severity
        ({"kind": "implementation"}, "level"),  # an implementation report without a level
        ({"severity": "catastrophic"}, "severity"),
        ({"observed_on": "tomorrow"}, "observed_on"),
        ({"observed_on": "2010-02-30"}, "observed_on"),
        ({"observed_on": "1960-01-01"}, "observed_on"),  # before the State was participating
        ({"observed_on": "1989-01-01"}, "observed_on"),  # before the commitment was in force
        ({"source": "twitter"}, "source"),
        ({"source_url": "ftp://example.org/report"}, "source_url"),
        ({"summary": ""}, "summary"),
        ({"corrects": 999999}, "corrects"),
        ({"state": "A\x00"}, "state"),
        ({"commitment": "COP\x00"}, "commitment"),
    ],
)
def test_bad_report_is_a_400_naming_the_field(reporter_client, austria, elections, change, field):
    response = reporter_client.post("/api/v1/reports/", REPORT | change, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Report.objects.exists()


def test_a_future_observation_is_a_400(reporter_client, austria, elections):
    response = reporter_client.post("/api/v1/reports/", REPORT | {"observed_on": tomorrow()}, format="json")

    assert response.status_code == 400
    assert "future" in response.json()["observed_on"][0]


@pytest.mark.parametrize("missing", ["state", "commitment", "kind", "observed_on", "summary", "source"])
def test_missing_required_field_is_a_400_naming_it(reporter_client, austria, elections, missing):
    body = {name: value for name, value in REPORT.items() if name != missing}

    response = reporter_client.post("/api/v1/reports/", body, format="json")

    assert response.status_code == 400
    assert missing in response.json()


def test_a_body_that_is_not_json_is_a_400(reporter_client, austria, elections):
    response = reporter_client.post("/api/v1/reports/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_json_list_is_a_400(reporter_client, austria, elections):
    response = reporter_client.post("/api/v1/reports/", [REPORT], format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_correction_may_only_name_a_visible_report(reporter_client, other_reporter, austria, elections):
    others_draft = ReportFactory(state=austria, commitment=elections, created_by=other_reporter)
    published = verified_report(state=austria, commitment=elections)

    hidden = reporter_client.post("/api/v1/reports/", REPORT | {"corrects": others_draft.pk}, format="json")
    visible = reporter_client.post("/api/v1/reports/", REPORT | {"corrects": published.pk}, format="json")

    assert hidden.status_code == 400
    assert "corrects" in hidden.json()
    assert visible.status_code == 201
    assert visible.json()["corrects"] == published.pk


def test_reporter_edits_own_draft(reporter_client, draft_by_reporter):
    response = reporter_client.patch(f"/api/v1/reports/{draft_by_reporter.pk}/", {"level": "full"}, format="json")

    assert response.status_code == 200
    assert response.json()["level"] == "full"
    draft_by_reporter.refresh_from_db()
    assert draft_by_reporter.level == "full"


def test_editing_a_draft_revalidates_the_whole_report(reporter_client, draft_by_reporter):
    # The draft is an implementation report; switching kind alone leaves a level on a violation report.
    response = reporter_client.patch(f"/api/v1/reports/{draft_by_reporter.pk}/", {"kind": "violation"}, format="json")

    assert response.status_code == 400
    assert {"level", "severity"} <= set(response.json())


def test_reporter_cannot_edit_another_reporters_draft(other_reporter_client, draft_by_reporter):
    response = other_reporter_client.patch(f"/api/v1/reports/{draft_by_reporter.pk}/", {"level": "none"}, format="json")

    assert response.status_code == 404


def test_a_submitted_report_cannot_be_edited(reporter_client, submitted_by_reporter):
    response = reporter_client.patch(f"/api/v1/reports/{submitted_by_reporter.pk}/", {"level": "none"}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()


def test_a_reviewer_cannot_edit_a_submission(reviewer_client, submitted_by_reporter):
    response = reviewer_client.patch(
        f"/api/v1/reports/{submitted_by_reporter.pk}/", {"summary": "Changed."}, format="json"
    )

    assert response.status_code == 400
    assert "status" in response.json()


def test_reports_are_never_deleted(reporter_client, draft_by_reporter):
    assert reporter_client.delete(f"/api/v1/reports/{draft_by_reporter.pk}/").status_code == 405
    assert Report.objects.filter(pk=draft_by_reporter.pk).exists()


def test_a_state_not_yet_participating_is_a_400(reporter_client, elections):
    StateFactory(code="ME", iso3="MNE", name="Montenegro", admitted_on=D(2006, 6, 22))

    response = reporter_client.post(
        "/api/v1/reports/", REPORT | {"state": "ME", "observed_on": "2005-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert "participating" in response.json()["observed_on"][0]


def test_service_validation_errors_keep_their_field(reporter, reporter_client, draft_by_reporter):
    services.report_submit(report=draft_by_reporter, user=reporter)

    response = reporter_client.post(f"/api/v1/reports/{draft_by_reporter.pk}/submit/")

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
