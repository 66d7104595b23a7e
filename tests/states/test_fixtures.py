"""The real reference data in fixtures/: the 57 participating States and their groups."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_countries import countries

from states.models import Membership, State, StateGroup, validate_iso_alpha2

D = datetime.date

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_reference_data")]


@pytest.fixture(scope="module")
def module_reference_data(django_db_setup, django_db_blocker):
    """`reference_data`, loaded once for this module in a transaction rolled back at its end.

    Each test still runs in its own savepoint (the `db` fixture), so what a test writes is undone after it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference", verbosity=0)
        yield
        transaction.set_rollback(True)


def members(slug: str, day: datetime.date) -> set[str]:
    group = StateGroup.objects.get(slug=slug)
    return set(group.members_on(day).values_list("code", flat=True))


def test_there_are_exactly_57_participating_states():
    assert State.objects.count() == 57


def test_every_state_code_is_an_iso_alpha2_code():
    bad = []
    for code in State.objects.values_list("code", flat=True):
        try:
            validate_iso_alpha2(code)
        except ValidationError:
            bad.append(code)
    assert bad == []


def test_every_state_iso3_matches_its_alpha2_code():
    mismatched = {state.code: state.iso3 for state in State.objects.all() if countries.alpha3(state.code) != state.iso3}
    assert mismatched == {}


def test_every_state_passes_model_validation():
    for state in State.objects.all():
        state.full_clean()


def test_last_admitted_state_is_mongolia_on_2012_11_21():
    latest = State.objects.order_by("-admitted_on").first()
    assert (latest.code, latest.admitted_on) == ("MN", D(2012, 11, 21))


def test_no_state_is_dated_before_25_june_1973():
    # 25 June 1973: the deadline for telling Finland a State would attend the Conference. The Helsinki
    # Consultations (the preparatory talks) had ended on 8 June; the Conference opened on 3 July 1973.
    assert not State.objects.filter(admitted_on__lt=D(1973, 6, 25)).exists()


def test_every_original_state_note_says_what_25_june_1973_is():
    notes = State.objects.filter(admitted_on=D(1973, 6, 25)).values_list("note", flat=True)
    assert all("deadline" in note and "3 July 1973" in note for note in notes)


def test_groups_eu_nato_csto_cis_exist():
    assert {"eu", "nato", "csto", "cis"} <= set(StateGroup.objects.values_list("slug", flat=True))


def test_every_membership_passes_model_validation():
    for membership in Membership.objects.all():
        membership.full_clean()


@pytest.mark.parametrize(
    ("day", "count"),
    [(D(2010, 7, 1), 28), (D(2024, 3, 6), 31), (D(2024, 3, 7), 32)],
)
def test_nato_member_count_on_a_date(day, count):
    assert len(members("nato", day)) == count


def test_sweden_joined_nato_on_2024_03_07():
    assert "SE" not in members("nato", D(2024, 3, 6))
    assert "SE" in members("nato", D(2024, 3, 7))


def test_eu_has_27_members_today():
    assert len(members("eu", timezone.localdate())) == 27


def test_eu_had_28_members_on_2019_06_01():
    assert len(members("eu", D(2019, 6, 1))) == 28


def test_united_kingdom_left_the_eu_on_2020_02_01():
    assert "GB" in members("eu", D(2019, 6, 1))
    assert "GB" in members("eu", D(2020, 1, 31))
    assert "GB" not in members("eu", D(2020, 2, 1))
