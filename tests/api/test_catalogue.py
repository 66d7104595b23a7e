"""The catalogue endpoints: States, groups, dimensions, documents, themes, commitments."""

import datetime

import pytest

from commitments.models import Commitment, SourceDocument, Theme
from tests.factories import CommitmentFactory, MembershipFactory, SourceDocumentFactory, StateFactory

D = datetime.date

NEW_COMMITMENT = {
    "code": "COP-1990-9.2",
    "document": "COP-1990",
    "paragraph": "9.2",
    "title": "Freedom of peaceful assembly",
    "summary": "Everyone has the right of peaceful assembly and demonstration.",
    "dimension": "human",
    "themes": ["free-elections"],
}


def codes(response, key="code"):
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return [row[key] for row in rows]


# States and groups, on the real reference data.
def test_states_lists_the_57_participating_states(anon, reference_data):
    response = anon.get("/api/v1/states/", {"page_size": 100})

    assert response.json()["count"] == 57
    assert len(response.json()["results"]) == 57


def test_state_detail_by_iso_code(anon, reference_data):
    response = anon.get("/api/v1/states/AT/")

    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["iso3"], body["name"], body["admitted_on"]) == ("AT", "AUT", "Austria", "1973-06-25")
    assert {"group": "eu", "joined_on": "1995-01-01", "left_on": None} in body["memberships"]


def test_unknown_state_is_a_json_404(anon, reference_data):
    for url in ["/api/v1/states/XX/", "/api/v1/states/at/", "/api/v1/states/AUT/"]:
        response = anon.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()


def test_states_filter_by_group_and_date(anon, reference_data):
    # Georgia left the CIS on 2009-08-18.
    in_2005 = codes(anon.get("/api/v1/states/", {"group": "cis", "member_on": "2005-01-01", "page_size": 100}))
    in_2010 = codes(anon.get("/api/v1/states/", {"group": "cis", "member_on": "2010-01-01", "page_size": 100}))

    assert "GE" in in_2005
    assert "GE" not in in_2010
    assert "RU" in in_2010


def test_states_filter_by_admission(anon, reference_data):
    admitted = codes(anon.get("/api/v1/states/", {"admitted_before": "2012-01-01", "page_size": 100}))

    assert len(admitted) == 56
    assert "MN" not in admitted


def test_states_member_on_alone_means_participating_then(anon, reference_data):
    assert "MN" not in codes(anon.get("/api/v1/states/", {"member_on": "2000-01-01", "page_size": 100}))
    assert "MN" in codes(anon.get("/api/v1/states/", {"member_on": "2013-01-01", "page_size": 100}))


def test_states_ordering_by_code(anon, reference_data):
    listed = codes(anon.get("/api/v1/states/", {"ordering": "-code", "page_size": 3}))

    assert listed == sorted(listed, reverse=True)
    assert listed == ["VA", "UZ", "US"]


def test_states_unknown_group_is_a_400_naming_it(anon, reference_data):
    response = anon.get("/api/v1/states/", {"group": "nope"})

    assert response.status_code == 400
    assert "group" in response.json()


def test_groups_list_and_detail(anon, reference_data):
    assert sorted(codes(anon.get("/api/v1/groups/"), key="slug")) == ["cis", "csto", "eu", "nato"]

    detail = anon.get("/api/v1/groups/eu/")
    assert detail.status_code == 200
    austria = [m for m in detail.json()["memberships"] if m["state"] == "AT"]
    assert [(m["joined_on"], m["left_on"]) for m in austria] == [("1995-01-01", None)]
    assert anon.get("/api/v1/groups/nope/").status_code == 404


# Dimensions, documents, themes.
def test_dimensions_are_listed_in_order_unpaginated(anon, reference_data):
    response = anon.get("/api/v1/dimensions/")

    assert codes(response, key="slug") == ["politico-military", "economic-environmental", "human"]
    assert anon.get("/api/v1/dimensions/human/").json()["slug"] == "human"


def test_documents_list_and_detail(anon, reference_data):
    response = anon.get("/api/v1/documents/COP-1990/")

    assert response.status_code == 200
    assert response.json()["place"] == "Copenhagen"
    assert response.json()["dimensions"] == ["human"]
    assert anon.get("/api/v1/documents/", {"page_size": 100}).json()["count"] == SourceDocument.objects.count()
    assert response.json()["url"] == "https://www.osce.org/odihr/elections/14304"
    assert response.json()["has_numbered_paragraphs"] is True


def test_documents_filter_by_dimension(anon, human, polmil):
    SourceDocumentFactory(code="COP-1990").dimensions.set([human])
    SourceDocumentFactory(code="VD-2011").dimensions.set([polmil])

    assert codes(anon.get("/api/v1/documents/", {"dimension": "human"})) == ["COP-1990"]


def test_documents_filter_by_adoption_dates(anon, db):
    SourceDocumentFactory(code="HFA-1975", adopted_on=D(1975, 8, 1))
    SourceDocumentFactory(code="COP-1990", adopted_on=D(1990, 6, 29))
    SourceDocumentFactory(code="VD-2011", adopted_on=D(2011, 11, 30))

    assert codes(anon.get("/api/v1/documents/", {"adopted_after": "1990-01-01"})) == ["COP-1990", "VD-2011"]
    assert codes(anon.get("/api/v1/documents/", {"adopted_before": "1990-06-29"})) == ["HFA-1975", "COP-1990"]


def test_themes_list_and_detail(anon, reference_data):
    slugs = codes(anon.get("/api/v1/themes/", {"page_size": 100}), key="slug")

    assert len(slugs) == 24
    assert "free-elections" in slugs
    assert anon.get("/api/v1/themes/free-elections/").json()["slug"] == "free-elections"


# Commitments.
def test_commitment_detail_by_code(anon, reference_data):
    response = anon.get("/api/v1/commitments/COP-1990-7.3/")

    assert response.status_code == 200
    body = response.json()
    assert body["document"] == "COP-1990"
    assert body["dimension"] == "human"
    assert body["themes"] == ["free-elections"]
    assert anon.get("/api/v1/commitments/COP-1990-99.9/").status_code == 404


def test_commitments_filter_by_dimension(anon, elections, media, inspections):
    assert codes(anon.get("/api/v1/commitments/", {"dimension": "politico-military"})) == ["VD-2011-IX.inspection"]
    assert codes(anon.get("/api/v1/commitments/", {"dimension": "human"})) == ["COP-1990-7.3", "COP-1990-9.1"]


def test_commitments_filter_by_document(anon, elections, media, inspections):
    assert codes(anon.get("/api/v1/commitments/", {"document": "COP-1990"})) == ["COP-1990-7.3", "COP-1990-9.1"]


def test_commitments_filter_by_theme(anon, elections, media, inspections):
    assert codes(anon.get("/api/v1/commitments/", {"theme": "free-elections"})) == ["COP-1990-7.3"]


def test_commitments_filter_in_force_on(anon, elections, media, inspections):
    CommitmentFactory(code="VD-1999-IX", document__code="VD-1999", in_force_until=D(2011, 11, 30))

    assert "VD-1999-IX" in codes(anon.get("/api/v1/commitments/", {"in_force_on": "2010-06-30"}))
    in_2012 = codes(anon.get("/api/v1/commitments/", {"in_force_on": "2012-01-01"}))
    assert "VD-1999-IX" not in in_2012
    assert "VD-2011-IX.inspection" in in_2012
    assert codes(anon.get("/api/v1/commitments/", {"in_force_on": "1985-01-01"})) == []


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("VD-2011", ["VD-2011-IX.inspection"]),  # code
        ("suffrage", ["COP-1990-7.3"]),  # title
        ("media", ["COP-1990-9.1"]),  # summary
    ],
)
def test_commitments_search_code_title_and_summary(anon, elections, media, inspections, term, expected):
    assert codes(anon.get("/api/v1/commitments/", {"search": term})) == expected


def test_commitments_ordering(anon, elections, media, inspections):
    assert codes(anon.get("/api/v1/commitments/", {"ordering": "-in_force_from"}))[0] == "VD-2011-IX.inspection"
    assert codes(anon.get("/api/v1/commitments/", {"ordering": "-code"})) == [
        "VD-2011-IX.inspection",
        "COP-1990-9.1",
        "COP-1990-7.3",
    ]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("dimension", "nope"), ("document", "NOPE-1999"), ("theme", "nope"), ("in_force_on", "2010-13-01")],
)
def test_commitments_unknown_filter_value_is_a_400_naming_it(anon, elections, parameter, value):
    response = anon.get("/api/v1/commitments/", {parameter: value})

    assert response.status_code == 400
    assert parameter in response.json()


def test_search_with_a_nul_character_is_a_400_naming_search(anon, elections):
    response = anon.get("/api/v1/commitments/", {"search": "a\x00b"})

    assert response.status_code == 400
    assert "search" in response.json()


# Writing the catalogue.
@pytest.fixture
def catalogue(human, elections_theme):
    SourceDocumentFactory(code="COP-1990", adopted_on=D(1990, 6, 29))


def test_catalogue_editor_creates_a_commitment(as_user, catalogue_editor, catalogue):
    response = as_user(catalogue_editor).post("/api/v1/commitments/", NEW_COMMITMENT, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["in_force_from"] == "1990-06-29"
    commitment = Commitment.objects.get(code="COP-1990-9.2")
    assert list(commitment.themes.values_list("slug", flat=True)) == ["free-elections"]


def test_reporter_cannot_create_a_commitment(reporter_client, catalogue):
    response = reporter_client.post("/api/v1/commitments/", NEW_COMMITMENT, format="json")

    assert response.status_code == 403
    assert not Commitment.objects.filter(code="COP-1990-9.2").exists()


def test_anonymous_cannot_create_a_commitment(anon, catalogue):
    assert anon.post("/api/v1/commitments/", NEW_COMMITMENT, format="json").status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dimension": "nope"}, "dimension"),
        ({"document": "NOPE-1999"}, "document"),
        ({"themes": ["nope"]}, "themes"),
        ({"weight": "0"}, None),  # the CheckConstraint, run by full_clean
        ({"in_force_from": "1980-01-01"}, "in_force_from"),
        ({"dimension": "hu\x00man"}, "dimension"),
    ],
)
def test_invalid_commitment_is_a_400(as_user, catalogue_editor, catalogue, change, field):
    response = as_user(catalogue_editor).post("/api/v1/commitments/", NEW_COMMITMENT | change, format="json")

    assert response.status_code == 400
    if field:
        assert field in response.json()


def test_duplicate_commitment_code_is_a_400(as_user, catalogue_editor, catalogue, elections):
    response = as_user(catalogue_editor).post(
        "/api/v1/commitments/", NEW_COMMITMENT | {"code": "COP-1990-7.3"}, format="json"
    )

    assert response.status_code == 400
    assert "code" in response.json()


def test_catalogue_editor_edits_a_theme(as_user, catalogue_editor, elections_theme):
    response = as_user(catalogue_editor).patch(
        "/api/v1/themes/free-elections/", {"description": "Elections, free and fair."}, format="json"
    )

    assert response.status_code == 200
    assert Theme.objects.get(slug="free-elections").description == "Elections, free and fair."


def test_catalogue_cannot_be_deleted_through_the_api(as_user, admin_user, elections):
    response = as_user(admin_user).delete("/api/v1/commitments/COP-1990-7.3/")

    assert response.status_code == 405
    assert Commitment.objects.filter(code="COP-1990-7.3").exists()


def test_states_are_read_only(as_user, admin_user, austria):
    assert as_user(admin_user).post("/api/v1/states/", {"code": "XK"}, format="json").status_code == 405


def test_state_memberships_are_nested(anon, austria):
    MembershipFactory(group__slug="nato", state=StateFactory(code="BE", iso3="BEL"), joined_on=D(1949, 8, 24))

    assert anon.get("/api/v1/states/BE/").json()["memberships"] == [
        {"group": "nato", "joined_on": "1949-08-24", "left_on": None}
    ]
