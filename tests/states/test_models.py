import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from states.models import Membership, State, validate_iso_alpha2
from tests.factories import MembershipFactory, StateFactory, StateGroupFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def new_state(**overrides) -> State:
    fields = {"code": "AT", "iso3": "AUT", "name": "Austria", "admitted_on": D(1973, 6, 25)}
    return State(**{**fields, **overrides})


# --- State: ISO codes -------------------------------------------------------------


def test_known_iso_code_passes_validation():
    new_state().full_clean()


def test_unknown_iso_code_fails_validation_on_code():
    with pytest.raises(ValidationError) as excinfo:
        new_state(code="XX", iso3="XXX", name="Nowhere").full_clean()
    assert "code" in excinfo.value.message_dict
    assert "ISO 3166-1 alpha-2" in excinfo.value.message_dict["code"][0]


def test_validate_iso_alpha2_rejects_lowercase_code():
    with pytest.raises(ValidationError):
        validate_iso_alpha2("at")


def test_iso3_that_does_not_match_the_alpha2_code_fails_validation_on_iso3():
    with pytest.raises(ValidationError) as excinfo:
        new_state(iso3="AUS").full_clean()
    assert "iso3" in excinfo.value.message_dict
    assert "AUT" in excinfo.value.message_dict["iso3"][0]


def test_clean_upper_cases_iso3():
    state = new_state(iso3="aut")
    state.full_clean()
    assert state.iso3 == "AUT"


@pytest.mark.parametrize("code", ["at", "A", "A1"])
def test_database_rejects_code_that_is_not_two_capital_letters(code):
    with transaction.atomic(), pytest.raises(IntegrityError):
        new_state(code=code).save()


def test_database_rejects_three_letter_code():
    # PostgreSQL refuses it for the column length (varchar(2)) before the check
    # constraint; SQLite has no length limit, so the check constraint refuses it.
    with transaction.atomic(), pytest.raises((IntegrityError, DataError)):
        new_state(code="AUT").save()


def test_database_rejects_lowercase_code_written_by_update():
    StateFactory(code="AT")
    with transaction.atomic(), pytest.raises(IntegrityError):
        State.objects.filter(code="AT").update(code="at")


def test_database_rejects_malformed_iso3():
    with transaction.atomic(), pytest.raises(IntegrityError):
        new_state(iso3="au1").save()


# --- State: participation -------------------------------------------------------------


def test_state_participates_from_its_admission_day():
    mongolia = StateFactory(code="MN", iso3="MNG", name="Mongolia", admitted_on=D(2012, 11, 21))
    assert not mongolia.is_participating_on(D(2012, 11, 20))
    assert mongolia.is_participating_on(D(2012, 11, 21))


def test_participating_on_excludes_states_admitted_later():
    austria = StateFactory(code="AT", admitted_on=D(1973, 6, 25))
    StateFactory(code="MN", iso3="MNG", name="Mongolia", admitted_on=D(2012, 11, 21))
    assert list(State.objects.participating_on(D(2010, 1, 1))) == [austria]


# --- Membership: validation -------------------------------------------------------------


@pytest.mark.parametrize("left_on", [D(1999, 12, 31), D(2000, 1, 1)])
def test_membership_ending_on_or_before_its_start_fails_validation_on_left_on(left_on):
    membership = MembershipFactory.build(
        group=StateGroupFactory(), state=StateFactory(), joined_on=D(2000, 1, 1), left_on=left_on
    )
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "left_on" in excinfo.value.message_dict


def test_membership_ending_after_its_start_passes_validation():
    membership = MembershipFactory.build(
        group=StateGroupFactory(), state=StateFactory(), joined_on=D(2000, 1, 1), left_on=D(2000, 1, 2)
    )
    membership.full_clean()


def test_database_rejects_membership_ending_before_it_starts():
    group, state = StateGroupFactory(), StateFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Membership.objects.create(group=group, state=state, joined_on=D(2000, 1, 1), left_on=D(1999, 1, 1))


def test_database_rejects_membership_ending_on_the_day_it_starts_by_update():
    membership = MembershipFactory(joined_on=D(2000, 1, 1))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Membership.objects.filter(pk=membership.pk).update(left_on=D(2000, 1, 1))


def test_overlapping_membership_of_the_same_group_fails_validation_on_joined_on():
    first = MembershipFactory(joined_on=D(2000, 1, 1), left_on=D(2010, 1, 1))
    second = Membership(group=first.group, state=first.state, joined_on=D(2005, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    assert "joined_on" in excinfo.value.message_dict


def test_rejoining_a_group_after_leaving_passes_validation():
    first = MembershipFactory(joined_on=D(2000, 1, 1), left_on=D(2010, 1, 1))
    Membership(group=first.group, state=first.state, joined_on=D(2010, 1, 1)).full_clean()


def test_database_rejects_two_memberships_starting_the_same_day():
    first = MembershipFactory(joined_on=D(2000, 1, 1))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Membership.objects.create(group=first.group, state=first.state, joined_on=D(2000, 1, 1))


# --- Membership: members as of a date ------------------------------------------------------


def test_member_counts_from_joined_on_until_the_day_before_left_on():
    membership = MembershipFactory(joined_on=D(2000, 1, 1), left_on=D(2020, 2, 1))
    group, state = membership.group, membership.state
    assert list(group.members_on(D(1999, 12, 31))) == []
    assert list(group.members_on(D(2000, 1, 1))) == [state]
    assert list(group.members_on(D(2020, 1, 31))) == [state]
    assert list(group.members_on(D(2020, 2, 1))) == []


def test_members_of_does_not_count_members_of_other_groups():
    eu, nato = StateGroupFactory(slug="eu"), StateGroupFactory(slug="nato")
    austria, belgium = StateFactory(code="AT"), StateFactory(code="BE")
    MembershipFactory(group=eu, state=austria)
    MembershipFactory(group=eu, state=belgium)
    MembershipFactory(group=nato, state=belgium)
    assert list(State.objects.members_of(nato, D(2020, 1, 1))) == [belgium]
