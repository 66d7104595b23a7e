"""States are found by their codes in either case, their names and the other names people use."""

import pytest
from django.core.management import call_command

from states.selectors import state_lookup


@pytest.fixture
def states(db):
    call_command("loaddata", "states", verbosity=0)


@pytest.mark.parametrize(
    ("term", "code"),
    [
        ("AT", "AT"),
        ("at", "AT"),
        ("AUT", "AT"),
        ("austria", "AT"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("USA", "US"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Moldova", "MD"),
        ("Republic of Moldova", "MD"),
        ("  russia ", "RU"),
    ],
)
def test_state_lookup_finds_codes_names_and_other_names(states, term, code):
    assert state_lookup(term=term).code == code


@pytest.mark.parametrize("term", ["XX", "Atlantis", "", "Republic", "U"])
def test_state_lookup_finds_nothing_for_unknown_or_partial_terms(states, term):
    assert state_lookup(term=term) is None
