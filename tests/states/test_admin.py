"""Admin smoke tests for States, groups and memberships."""

import datetime

import pytest

from tests.factories import MembershipFactory, StateFactory, StateGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def nato_member():
    return MembershipFactory(
        group=StateGroupFactory(slug="nato", name="NATO"),
        state=StateFactory(code="NO", name="Norway"),
        joined_on=datetime.date(1949, 8, 24),
    )


@pytest.mark.parametrize("model", ["state", "stategroup", "membership"])
def test_changelist_opens_for_admin(client, admin_user, nato_member, model):
    client.force_login(admin_user)
    response = client.get(f"/admin/states/{model}/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_state_change_page_shows_its_memberships_inline(client, admin_user, nato_member):
    client.force_login(admin_user)
    response = client.get("/admin/states/state/NO/change/")
    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][0]
    assert [form.instance for form in inline.formset.initial_forms] == [nato_member]
    assert b'id="id_memberships-0-joined_on"' in response.content
    assert b'name="memberships-TOTAL_FORMS" value="1"' in response.content


def test_state_code_is_read_only_once_created(client, admin_user, nato_member):
    client.force_login(admin_user)
    response = client.get("/admin/states/state/NO/change/")
    assert "code" not in response.context["adminform"].form.fields
    assert "iso3" in response.context["adminform"].form.fields


def test_group_changelist_counts_members_today(client, admin_user, nato_member):
    MembershipFactory(
        group=nato_member.group,
        state=StateFactory(code="FR", name="France"),
        joined_on=datetime.date(1949, 8, 24),
        left_on=datetime.date(1966, 7, 1),
    )
    client.force_login(admin_user)
    response = client.get("/admin/states/stategroup/")
    assert '<td class="field-current_member_count">1</td>' in response.content.decode()


def test_adding_a_state_with_an_unknown_iso_code_shows_a_form_error(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/states/state/add/",
        {
            "code": "XX",
            "iso3": "XXX",
            "name": "Nowhere",
            "admitted_on": "1992-01-30",
            "note": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors


def test_reporter_can_view_states_but_not_change_them(client, reporter, nato_member):
    client.force_login(reporter)
    assert client.get("/admin/states/state/").status_code == 200
    response = client.get("/admin/states/state/NO/change/")
    assert response.status_code == 200
    assert "name" not in response.context["adminform"].form.fields


def state_autocomplete(client, term: str) -> list[str]:
    """The State choices the report form's autocomplete offers for `term`, in order (their texts)."""
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "commitments", "model_name": "report", "field_name": "state", "term": term},
    )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@pytest.fixture
def real_states(db):
    from django.core.management import call_command

    call_command("loaddata", "states", verbosity=0)


@pytest.mark.parametrize(
    ("term", "state"),
    [
        ("Turkey", "Türkiye (TR)"),
        ("turkiye", "Türkiye (TR)"),
        ("Czech Republic", "Czechia (CZ)"),
        ("Republic of Moldova", "Moldova (MD)"),
        ("USA", "United States of America (US)"),
        ("UK", "United Kingdom (GB)"),
        ("gb", "United Kingdom (GB)"),
    ],
)
def test_state_autocomplete_offers_the_state_another_name_names_first(client, reporter, real_states, term, state):
    client.force_login(reporter)

    assert state_autocomplete(client, term)[0] == state
