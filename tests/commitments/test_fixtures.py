"""The real reference catalogue in fixtures/: dimensions, themes, documents and commitments."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Upper

from commitments.models import Commitment, Dimension, SourceDocument

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


DIMENSIONS = ["politico-military", "economic-environmental", "human"]


def test_the_three_dimensions_exist_in_order():
    assert list(Dimension.objects.values_list("slug", flat=True)) == DIMENSIONS


def test_catalogue_holds_at_least_90_commitments():
    assert Commitment.objects.count() >= 90


@pytest.mark.parametrize("slug", DIMENSIONS)
def test_each_dimension_holds_at_least_20_commitments(slug):
    assert Commitment.objects.filter(dimension__slug=slug).count() >= 20


def test_commitment_codes_are_unique_ignoring_case():
    codes = Counter(Commitment.objects.annotate(upper=Upper("code")).values_list("upper", flat=True))
    assert [code for code, count in codes.items() if count > 1] == []


def test_every_commitment_code_starts_with_its_document_code():
    wrong = [c.code for c in Commitment.objects.select_related("document") if not c.code.startswith(c.document.code)]
    assert wrong == []


def test_every_commitment_dimension_is_one_its_document_touches():
    wrong = [
        c.code
        for c in Commitment.objects.select_related("document", "dimension").prefetch_related("document__dimensions")
        if c.dimension not in c.document.dimensions.all()
    ]
    assert wrong == []


def test_every_commitment_has_a_paragraph_title_and_summary():
    incomplete = Commitment.objects.filter(paragraph="") | Commitment.objects.filter(title="")
    incomplete |= Commitment.objects.filter(summary="")
    assert list(incomplete.values_list("code", flat=True)) == []


def test_no_commitment_is_in_force_before_its_document_was_adopted():
    too_early = Commitment.objects.filter(in_force_from__lt=F("document__adopted_on"))
    assert list(too_early.values_list("code", flat=True)) == []


def test_every_commitment_passes_model_validation():
    for commitment in Commitment.objects.select_related("document"):
        commitment.full_clean()


def test_every_document_passes_model_validation():
    for document in SourceDocument.objects.all():
        document.full_clean()


def test_every_document_touches_at_least_one_dimension():
    assert not SourceDocument.objects.filter(dimensions__isnull=True).exists()


def test_copenhagen_document_is_dated_1990_06_29():
    copenhagen = SourceDocument.objects.get(code="COP-1990")
    assert copenhagen.adopted_on.isoformat() == "1990-06-29"
    assert copenhagen.commitments.filter(dimension__slug="human").exists()
