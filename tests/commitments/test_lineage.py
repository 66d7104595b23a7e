"""Lineage between commitments, weight reasons and reference checks on the model, the service, admin and API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from commitments import services
from commitments.models import Commitment, CommitmentRelation, RelationKind
from tests.admin_forms import empty_inline
from tests.factories import CommitmentFactory, DimensionFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def vd1999():
    document = SourceDocumentFactory(code="VD-1999", adopted_on=D(1999, 11, 16))
    return CommitmentFactory(code="VD-1999-I", document=document, paragraph="Chapter I", in_force_from=D(2000, 1, 1))


@pytest.fixture
def vd2011():
    document = SourceDocumentFactory(code="VD-2011", adopted_on=D(2011, 11, 30))
    return CommitmentFactory(code="VD-2011-I", document=document, paragraph="Chapter I", in_force_from=D(2011, 12, 1))


def test_superseding_ends_the_earlier_commitment_the_day_before_its_successor(vd1999, vd2011):
    services.commitment_relation_create(source=vd2011, target=vd1999, kind=RelationKind.SUPERSEDES)
    vd1999.refresh_from_db()
    assert vd1999.in_force_until == D(2011, 11, 30)


def test_reaffirming_leaves_the_earlier_commitment_in_force(vd1999, vd2011):
    services.commitment_relation_create(source=vd2011, target=vd1999, kind=RelationKind.REAFFIRMS)
    vd1999.refresh_from_db()
    assert vd1999.in_force_until is None


def test_a_commitment_cannot_supersede_a_later_one(vd1999, vd2011):
    with pytest.raises(ValidationError) as error:
        services.commitment_relation_create(source=vd1999, target=vd2011, kind=RelationKind.SUPERSEDES)
    assert "target" in error.value.message_dict
    assert not CommitmentRelation.objects.exists()


def test_a_commitment_cannot_be_related_to_itself(vd2011):
    with pytest.raises(ValidationError) as error:
        services.commitment_relation_create(source=vd2011, target=vd2011, kind=RelationKind.REAFFIRMS)
    assert "target" in error.value.message_dict


def test_the_database_refuses_a_self_relation(vd2011):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentRelation.objects.create(source=vd2011, target=vd2011, kind=RelationKind.REAFFIRMS)


def test_the_same_relation_cannot_be_recorded_twice(vd1999, vd2011):
    services.commitment_relation_create(source=vd2011, target=vd1999, kind=RelationKind.ELABORATES)
    with pytest.raises(ValidationError):
        services.commitment_relation_create(source=vd2011, target=vd1999, kind=RelationKind.ELABORATES)


def test_a_relation_is_recorded_in_the_history(vd1999, vd2011):
    relation = services.commitment_relation_create(source=vd2011, target=vd1999, kind=RelationKind.ELABORATES)
    assert relation.history.count() == 1


def test_a_weight_other_than_1_needs_a_reason(vd2011):
    vd2011.weight = Decimal("2")
    with pytest.raises(ValidationError) as error:
        vd2011.full_clean()
    assert "weight_reason" in error.value.message_dict


def test_the_database_refuses_a_weight_other_than_1_without_a_reason(vd2011):
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=vd2011.pk).update(weight=2)


def test_a_new_commitment_of_a_numbered_document_must_cite_a_numbered_paragraph(vd2011):
    commitment = Commitment(
        code="VD-2011-X",
        document=vd2011.document,
        paragraph="Operative part",
        title="t",
        summary="s",
        dimension=vd2011.dimension,
    )
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "paragraph" in error.value.message_dict


def test_a_document_without_numbered_paragraphs_lets_a_commitment_cite_a_section_title():
    document = SourceDocumentFactory(code="PAR-1990", adopted_on=D(1990, 11, 21), has_numbered_paragraphs=False)
    commitment = Commitment(
        code="PAR-1990-HRD",
        document=document,
        paragraph="A New Era: Human Rights, Democracy and Rule of Law",
        title="t",
        summary="s",
        dimension=DimensionFactory(slug="human"),
    )
    commitment.full_clean()


def test_an_unchanged_older_reference_does_not_block_other_edits(vd2011):
    Commitment.objects.filter(pk=vd2011.pk).update(paragraph="Operative part")
    commitment = Commitment.objects.get(pk=vd2011.pk)
    commitment.title = "Annual exchange of military information"
    commitment.full_clean()


def test_the_admin_adds_a_supersession_inline_and_ends_the_earlier_commitment(client, admin_user, vd1999, vd2011):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/commitments/commitment/{vd2011.pk}/change/",
        {
            "code": vd2011.code,
            "document": vd2011.document_id,
            "paragraph": vd2011.paragraph,
            "title": vd2011.title,
            "summary": vd2011.summary,
            "dimension": vd2011.dimension_id,
            "weight": "1",
            "weight_reason": "",
            "in_force_from": "2011-12-01",
            "in_force_until": "",
            **empty_inline("relations_out"),
            "relations_out-TOTAL_FORMS": "1",
            "relations_out-0-kind": "supersedes",
            "relations_out-0-target": vd1999.pk,
            **empty_inline("relations_in"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    vd1999.refresh_from_db()
    assert vd1999.in_force_until == D(2011, 11, 30)
    assert CommitmentRelation.objects.filter(source=vd2011, target=vd1999, kind="supersedes").exists()


def test_the_admin_page_of_the_earlier_commitment_lists_its_successor(client, admin_user, vd1999, vd2011):
    services.commitment_relation_create(source=vd2011, target=vd1999, kind=RelationKind.SUPERSEDES)
    client.force_login(admin_user)
    response = client.get(f"/admin/commitments/commitment/{vd1999.pk}/change/")
    assert response.status_code == 200
    assert "VD-2011-I" in response.content.decode()


def test_the_api_commitment_detail_shows_relations_out_and_in(vd1999, vd2011):
    services.commitment_relation_create(source=vd2011, target=vd1999, kind=RelationKind.SUPERSEDES)
    anon = APIClient()
    newer = anon.get("/api/v1/commitments/VD-2011-I/").json()
    older = anon.get("/api/v1/commitments/VD-1999-I/").json()
    assert newer["relations_out"] == [{"kind": "supersedes", "commitment": "VD-1999-I"}]
    assert older["relations_in"] == [{"kind": "supersedes", "commitment": "VD-2011-I"}]
    assert older["in_force_until"] == "2011-11-30"
