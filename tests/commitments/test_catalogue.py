"""The commitment catalogue: dimensions, documents and commitments, in the model and at the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.models import Commitment, SourceDocument
from tests.factories import CommitmentFactory, DimensionFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db

D = datetime.date
ADOPTED = D(1990, 6, 29)


@pytest.fixture
def document():
    return SourceDocumentFactory(code="COP-1990", adopted_on=ADOPTED)


def new_commitment(document, **overrides) -> Commitment:
    fields = {
        "code": "COP-1990-7.3",
        "document": document,
        "paragraph": "7.3",
        "title": "Free elections",
        "summary": "States hold free elections at reasonable intervals.",
        "dimension": DimensionFactory(slug="human"),
    }
    return Commitment(**{**fields, **overrides})


# --- in force from: model validation ------------------------------------------------


def test_commitment_in_force_on_its_document_adoption_day_passes_validation(document):
    new_commitment(document, in_force_from=ADOPTED).full_clean()


def test_commitment_in_force_before_its_document_was_adopted_fails_validation_on_in_force_from(document):
    commitment = new_commitment(document, in_force_from=ADOPTED - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        commitment.full_clean()
    assert "in_force_from" in excinfo.value.message_dict
    assert "1990-06-29" in excinfo.value.message_dict["in_force_from"][0]


def test_empty_in_force_from_defaults_to_document_adoption_on_save(document):
    commitment = new_commitment(document, in_force_from=None)
    commitment.save()
    commitment.refresh_from_db()
    assert commitment.in_force_from == ADOPTED


def test_empty_in_force_from_defaults_to_document_adoption_on_validation(document):
    commitment = new_commitment(document, in_force_from=None)
    commitment.full_clean()
    assert commitment.in_force_from == ADOPTED


def test_given_in_force_from_is_kept(document):
    commitment = new_commitment(document, in_force_from=D(1991, 1, 1))
    commitment.save()
    commitment.refresh_from_db()
    assert commitment.in_force_from == D(1991, 1, 1)


def test_commitment_leaving_force_before_entering_fails_validation_on_in_force_until(document):
    commitment = new_commitment(document, in_force_from=D(1995, 1, 1), in_force_until=D(1994, 12, 31))
    with pytest.raises(ValidationError) as excinfo:
        commitment.full_clean()
    assert "in_force_until" in excinfo.value.message_dict


def test_moving_document_adoption_after_a_commitment_enters_force_fails_validation_on_adopted_on(document):
    CommitmentFactory(document=document, in_force_from=ADOPTED)
    document.adopted_on = ADOPTED + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        document.full_clean()
    assert "adopted_on" in excinfo.value.message_dict


def test_moving_document_adoption_earlier_passes_validation(document):
    CommitmentFactory(document=document, in_force_from=ADOPTED)
    document.adopted_on = ADOPTED - datetime.timedelta(days=1)
    document.full_clean()


# --- in force from: database triggers -------------------------------------------------------


def test_database_rejects_inserting_commitment_in_force_before_adoption(document):
    commitment = new_commitment(document, in_force_from=D(1990, 6, 28))
    with transaction.atomic(), pytest.raises(IntegrityError):
        commitment.save()
    assert not Commitment.objects.exists()


def test_database_rejects_updating_commitment_to_be_in_force_before_adoption(document):
    commitment = CommitmentFactory(document=document)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Commitment.objects.filter(pk=commitment.pk).update(in_force_from=D(1990, 6, 28))
    commitment.refresh_from_db()
    assert commitment.in_force_from == ADOPTED


def test_database_rejects_moving_commitment_to_a_later_document(document):
    commitment = CommitmentFactory(document=document, in_force_from=ADOPTED)
    later = SourceDocumentFactory(code="PAR-1990", adopted_on=D(1990, 11, 21))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Commitment.objects.filter(pk=commitment.pk).update(document=later)


def test_database_rejects_moving_document_adoption_after_a_commitment_enters_force(document):
    CommitmentFactory(document=document, in_force_from=ADOPTED)
    with transaction.atomic(), pytest.raises(IntegrityError):
        SourceDocument.objects.filter(pk=document.pk).update(adopted_on=D(1990, 7, 1))
    document.refresh_from_db()
    assert document.adopted_on == ADOPTED


def test_database_allows_moving_document_adoption_up_to_its_earliest_commitment(document):
    CommitmentFactory(document=document, in_force_from=D(1991, 1, 1))
    SourceDocument.objects.filter(pk=document.pk).update(adopted_on=D(1991, 1, 1))
    document.refresh_from_db()
    assert document.adopted_on == D(1991, 1, 1)


# --- other constraints -------------------------------------------------------------------


def test_database_rejects_commitment_leaving_force_before_entering(document):
    with transaction.atomic(), pytest.raises(IntegrityError):
        new_commitment(document, in_force_from=D(1995, 1, 1), in_force_until=D(1994, 12, 31)).save()


@pytest.mark.parametrize("weight", [0, -1])
def test_database_rejects_weight_that_is_not_positive(document, weight):
    with transaction.atomic(), pytest.raises(IntegrityError):
        new_commitment(document, weight=weight).save()


def test_database_rejects_empty_commitment_code(document):
    with transaction.atomic(), pytest.raises(IntegrityError):
        new_commitment(document, code="").save()


def test_duplicate_commitment_code_fails_validation_on_code(document):
    CommitmentFactory(code="COP-1990-7.3", document=document)
    with pytest.raises(ValidationError) as excinfo:
        new_commitment(document, code="COP-1990-7.3").full_clean()
    assert "code" in excinfo.value.message_dict


# --- in force on a date ----------------------------------------------------------------------


def test_commitment_is_in_force_from_its_first_to_its_last_day_inclusive(document):
    commitment = CommitmentFactory(document=document, in_force_from=D(1991, 1, 1), in_force_until=D(1999, 12, 31))
    assert [commitment.is_in_force_on(day) for day in (D(1990, 12, 31), D(1991, 1, 1), D(1999, 12, 31))] == [
        False,
        True,
        True,
    ]
    assert not commitment.is_in_force_on(D(2000, 1, 1))


def test_in_force_on_lists_only_commitments_in_force_that_day(document):
    open_ended = CommitmentFactory(document=document, in_force_from=D(1991, 1, 1))
    CommitmentFactory(document=document, in_force_from=D(1991, 1, 1), in_force_until=D(1999, 12, 31))
    CommitmentFactory(document=document, in_force_from=D(2005, 1, 1))
    assert list(Commitment.objects.in_force_on(D(2000, 1, 1))) == [open_ended]


# --- natural keys (used by the fixtures) ---------------------------------------------------------


def test_commitment_is_found_by_its_natural_key(document):
    commitment = CommitmentFactory(code="COP-1990-7.3", document=document)
    assert Commitment.objects.get_by_natural_key(*commitment.natural_key()) == commitment


def test_document_is_found_by_its_natural_key(document):
    assert SourceDocument.objects.get_by_natural_key(*document.natural_key()) == document
