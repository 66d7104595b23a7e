"""`manage.py load_reference` loads the reference fixtures and is safe to rerun."""

import pytest
from django.core.management import call_command

from commitments.models import Commitment, CommitmentRelation, Dimension, SourceDocument, Theme
from states.models import Membership, State, StateGroup

pytestmark = pytest.mark.django_db

MODELS = [State, StateGroup, Membership, Dimension, Theme, SourceDocument, Commitment, CommitmentRelation]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_reference_loads_every_kind_of_reference_data():
    call_command("load_reference", verbosity=0)
    assert all(counts().values()), counts()


def test_loading_twice_adds_no_rows():
    call_command("load_reference", verbosity=0)
    first = counts()
    call_command("load_reference", verbosity=0)
    assert counts() == first


def test_loading_twice_keeps_the_same_primary_keys():
    call_command("load_reference", verbosity=0)
    keys = {model.__name__: set(model.objects.values_list("pk", flat=True)) for model in MODELS}
    call_command("load_reference", verbosity=0)
    assert {model.__name__: set(model.objects.values_list("pk", flat=True)) for model in MODELS} == keys


def test_loading_twice_keeps_field_values_and_links():
    call_command("load_reference", verbosity=0)
    commitment = Commitment.objects.filter(themes__isnull=False).select_related("document", "dimension").first()
    before = (commitment.document.code, commitment.dimension.slug, set(commitment.themes.all()))
    call_command("load_reference", verbosity=0)
    commitment.refresh_from_db()
    assert (commitment.document.code, commitment.dimension.slug, set(commitment.themes.all())) == before
    assert State.objects.get(code="MN").admitted_on.isoformat() == "2012-11-21"


def test_reloading_restores_an_edited_reference_value():
    call_command("load_reference", verbosity=0)
    State.objects.filter(code="AT").update(name="Edited by hand")
    call_command("load_reference", verbosity=0)
    assert State.objects.get(code="AT").name == "Austria"
