"""Scorecards, group scorecards, explanations and the staff-only recompute."""

import pytest

from scorecards.models import Scorecard
from scorecards.services import scorecards_compute_period

pytestmark = pytest.mark.usefixtures("scored")


def rows(response):
    assert response.status_code == 200, response.content
    return [(row["period"], row["state"], row["dimension"], row["score"]) for row in response.json()["results"]]


def group_rows(response):
    assert response.status_code == 200, response.content
    return [(row["period"], row["group"], row["dimension"], row["score"]) for row in response.json()["results"]]


def test_anonymous_reads_scorecards(anon):
    response = anon.get("/api/v1/scorecards/", {"page_size": 100})

    assert response.json()["count"] == 12  # 2 periods x 2 States x (2 dimensions + overall)
    first = response.json()["results"][0]
    assert {"state", "state_name", "coverage", "rank", "trend", "method_version", "computed_at"} <= set(first)


def test_filter_scorecards_by_state(anon):
    assert {row[1] for row in rows(anon.get("/api/v1/scorecards/", {"state": "BE"}))} == {"BE"}


def test_filter_scorecards_by_group_counts_members_at_period_end(anon):
    assert {row[1] for row in rows(anon.get("/api/v1/scorecards/", {"group": "eu"}))} == {"AT"}


def test_filter_scorecards_by_dimension(anon):
    assert rows(anon.get("/api/v1/scorecards/", {"dimension": "human", "period": "2010-Q2", "method": 1})) == [
        ("2010-Q2", "AT", "human", 75.0),
        ("2010-Q2", "BE", "human", 50.0),
    ]


def test_scorecards_list_method_2_by_default(anon):
    listed = anon.get("/api/v1/scorecards/", {"dimension": "human", "period": "2010-Q2"}).json()["results"]

    # Austria: elections full (100, in A) and a grave violation on media freedom (no level: d = 50).
    assert [(row["state"], row["method_version"], row["score"]) for row in listed] == [
        ("AT", 2, 50.0),
        ("BE", 2, 50.0),
    ]
    # One commitment in A of two in force: n < 3, so the interval is [0, 100] and no rank.
    assert [(row["score_low"], row["score_high"], row["evidence"], row["rank"]) for row in listed] == [
        (0.0, 100.0, "insufficient", None),
        (0.0, 100.0, "insufficient", None),
    ]
    assert listed[0]["coverage"] == 0.5


@pytest.mark.parametrize("value", ["3", "0", "two", "1.0"])
def test_unknown_scoring_method_is_a_400_naming_it(anon, value):
    response = anon.get("/api/v1/scorecards/", {"method": value})

    assert response.status_code == 400
    assert list(response.json()) == ["method"]


def test_filter_scorecards_by_overall_dimension(anon):
    assert rows(anon.get("/api/v1/scorecards/", {"dimension": "overall", "state": "AT"})) == [
        ("2010-Q1", "AT", "overall", None),
        ("2010-Q2", "AT", "overall", 50.0),
    ]


def test_filter_scorecards_by_period(anon):
    assert {row[0] for row in rows(anon.get("/api/v1/scorecards/", {"period": "2010-Q1"}))} == {"2010-Q1"}


def test_filter_scorecards_by_period_kind(anon):
    scorecards_compute_period(period="2010")

    assert {row[0] for row in rows(anon.get("/api/v1/scorecards/", {"period_kind": "year"}))} == {"2010"}
    assert {row[0] for row in rows(anon.get("/api/v1/scorecards/", {"period_kind": "quarter"}))} == {
        "2010-Q1",
        "2010-Q2",
    }


def test_scorecards_ordering_by_score(anon):
    listed = rows(anon.get("/api/v1/scorecards/", {"dimension": "human", "ordering": "score"}))

    scores = [row[3] for row in listed if row[3] is not None]
    assert scores == sorted(scores)


def test_trend_is_the_change_from_the_previous_period(anon):
    belgium = anon.get("/api/v1/scorecards/", {"state": "BE", "dimension": "human", "period": "2010-Q2"}).json()

    assert belgium["results"][0]["trend"] == 0.0


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("state", "XX"),
        ("group", "nope"),
        ("dimension", "nope"),
        ("period", "2010-Q5"),
        ("period", "1960"),
        ("period", "last year"),
        ("period_kind", "month"),
        ("period_after", "2010-13-01"),
    ],
)
def test_unknown_scorecard_filter_value_is_a_400_naming_it(anon, parameter, value):
    response = anon.get("/api/v1/scorecards/", {parameter: value})

    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    assert isinstance(response.json()[parameter], list)  # a list of messages, like every field error


def test_scorecard_detail(anon):
    scorecard = Scorecard.objects.get(state_id="AT", period__label="2010-Q2", dimension__slug="human", method_version=1)

    body = anon.get(f"/api/v1/scorecards/{scorecard.pk}/", {"method": 1}).json()

    assert (body["state"], body["period"], body["dimension"], body["score"], body["coverage"]) == (
        "AT",
        "2010-Q2",
        "human",
        75.0,
        1.0,
    )
    assert anon.get("/api/v1/scorecards/999999/").status_code == 404


def test_scorecard_detail_is_found_under_its_own_method_only(anon):
    v1 = Scorecard.objects.get(state_id="AT", period__label="2010-Q2", dimension__slug="human", method_version=1)
    v2 = Scorecard.objects.get(state_id="AT", period__label="2010-Q2", dimension__slug="human", method_version=2)

    assert anon.get(f"/api/v1/scorecards/{v1.pk}/").status_code == 404
    body = anon.get(f"/api/v1/scorecards/{v2.pk}/").json()
    assert (body["method_version"], body["score"], body["score_low"], body["score_high"], body["evidence"]) == (
        2,
        50.0,
        0.0,
        100.0,
        "insufficient",
    )


def test_explain_lists_each_commitment_and_the_reports_behind_it(anon):
    scorecard = Scorecard.objects.get(state_id="AT", period__label="2010-Q2", dimension__slug="human", method_version=1)

    response = anon.get(f"/api/v1/scorecards/{scorecard.pk}/explain/", {"method": 1})

    assert response.status_code == 200
    body = response.json()
    assert body["scorecard"]["id"] == scorecard.pk
    assessed = {item["commitment"]: item for item in body["assessed"]}
    assert set(assessed) == {"COP-1990-7.3", "COP-1990-9.1"}
    assert (assessed["COP-1990-7.3"]["level_value"], assessed["COP-1990-7.3"]["value"]) == (100, 100)
    assert assessed["COP-1990-7.3"]["implementation_report"]["level"] == "full"
    media = assessed["COP-1990-9.1"]
    assert (media["level_value"], media["penalty"], media["value"]) == (None, 50, 50)
    assert [report["severity"] for report in media["violation_reports"]] == ["grave"]
    assert body["unassessed"] == []


def test_explain_method_2_lists_a_the_deductions_and_the_interval_inputs(anon):
    scorecard = Scorecard.objects.get(state_id="AT", period__label="2010-Q2", dimension__slug="human", method_version=2)

    body = anon.get(f"/api/v1/scorecards/{scorecard.pk}/explain/").json()

    assert body["method_version"] == 2
    assert body["assessed"] == []
    assert [(item["commitment"], item["level_value"], item["y"]) for item in body["measured"]] == [
        ("COP-1990-7.3", 100, 100)
    ]
    assert [(item["commitment"], item["penalty"], item["deduction"]) for item in body["deductions"]] == [
        ("COP-1990-9.1", 50, 50)
    ]
    assert [report["severity"] for report in body["deductions"][0]["violation_reports"]] == ["grave"]
    interval = body["interval"]
    assert (interval["n"], interval["in_force"], interval["weight_sum"], interval["weighted_sum"]) == (1, 2, 1, 100)
    assert (interval["deductions"], interval["mean"], interval["standard_error"]) == (50, 100.0, None)


def test_explain_an_overall_scorecard_with_unassessed_commitments(anon):
    scorecard = Scorecard.objects.get(state_id="BE", period__label="2010-Q2", dimension__isnull=True, method_version=1)

    body = anon.get(f"/api/v1/scorecards/{scorecard.pk}/explain/", {"method": 1}).json()

    assert [item["commitment"] for item in body["assessed"]] == ["COP-1990-7.3"]
    assert [item["commitment"] for item in body["unassessed"]] == ["COP-1990-9.1"]


def test_group_scorecards(anon):
    response = anon.get("/api/v1/group-scorecards/", {"period": "2010-Q2", "dimension": "overall", "method": 1})

    # Sorted here: SQLite and PostgreSQL put the `all` row (no group) at opposite ends.
    assert sorted(group_rows(response)) == [
        ("2010-Q2", "all", "overall", 62.5),
        ("2010-Q2", "eu", "overall", 75.0),
    ]


def test_group_scorecards_method_2_carry_the_mean_interval(anon):
    response = anon.get("/api/v1/group-scorecards/", {"period": "2010-Q2", "dimension": "overall"})

    listed = sorted(
        (row["group"], row["method_version"], row["score"], row["score_low"], row["score_high"], row["evidence"])
        for row in response.json()["results"]
    )
    assert listed == [("all", 2, 50.0, 0.0, 100.0, "insufficient"), ("eu", 2, 50.0, 0.0, 100.0, "insufficient")]


def test_filter_group_scorecards_by_group(anon):
    assert {row[1] for row in group_rows(anon.get("/api/v1/group-scorecards/", {"group": "eu"}))} == {"eu"}
    assert {row[1] for row in group_rows(anon.get("/api/v1/group-scorecards/", {"group": "all"}))} == {"all"}


def test_group_scorecard_detail_counts_members(anon):
    first = anon.get("/api/v1/group-scorecards/", {"group": "all", "period": "2010-Q2"}).json()["results"][0]

    body = anon.get(f"/api/v1/group-scorecards/{first['id']}/").json()

    assert (body["member_count"], body["scored_member_count"]) == (2, 2)


@pytest.mark.parametrize(
    ("parameter", "value"), [("group", "nope"), ("dimension", "nope"), ("period", "2010-Q0"), ("period_kind", "x")]
)
def test_unknown_group_scorecard_filter_value_is_a_400_naming_it(anon, parameter, value):
    response = anon.get("/api/v1/group-scorecards/", {parameter: value})

    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    assert isinstance(response.json()[parameter], list)


# Recompute: staff with the change_scorecard permission (superusers, in practice).
def test_admin_queues_a_recompute(as_user, admin_user, django_capture_on_commit_callbacks):
    Scorecard.objects.filter(period__label="2010-Q2").delete()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_user(admin_user).post("/api/v1/scorecards/recompute/", {"period": "2010-Q2"}, format="json")

    assert response.status_code == 202
    assert response.json() == {"period": "2010-Q2", "status": "queued"}
    assert len(callbacks) == 1
    assert Scorecard.objects.filter(period__label="2010-Q2").count() == 2 * 6  # both methods


def test_recompute_is_not_run_before_the_request_commits(as_user, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        as_user(admin_user).post("/api/v1/scorecards/recompute/", {"period": "2011"}, format="json")

    assert len(callbacks) == 1
    assert not Scorecard.objects.filter(period__label="2011").exists()


@pytest.mark.parametrize("persona", ["reporter", "reviewer", "catalogue_editor"])
def test_only_admins_may_recompute(as_user, request, persona):
    user = request.getfixturevalue(persona)

    response = as_user(user).post("/api/v1/scorecards/recompute/", {"period": "2010-Q2"}, format="json")

    assert response.status_code == 403


def test_anonymous_cannot_recompute(anon):
    assert anon.post("/api/v1/scorecards/recompute/", {"period": "2010-Q2"}, format="json").status_code == 401


@pytest.mark.parametrize("period", ["2010-Q5", "", "1960", "2999-Q1"])
def test_recompute_of_a_bad_period_is_a_400(as_user, admin_user, period):
    response = as_user(admin_user).post("/api/v1/scorecards/recompute/", {"period": period}, format="json")

    assert response.status_code == 400
    assert "period" in response.json()


def test_scorecards_are_read_only(as_user, admin_user):
    scorecard = Scorecard.objects.first()

    assert as_user(admin_user).post("/api/v1/scorecards/", {}, format="json").status_code == 405
    assert as_user(admin_user).delete(f"/api/v1/scorecards/{scorecard.pk}/").status_code == 405
