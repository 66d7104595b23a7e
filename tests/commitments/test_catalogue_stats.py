"""`manage.py catalogue_stats` prints the catalogue's size, balance and reference precision."""

import io
import re

import pytest
from django.core.management import call_command

from tests.factories import CommitmentFactory, DimensionFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db


def test_stats_count_commitments_per_dimension_document_and_reference_precision():
    human = DimensionFactory(slug="human", name="Human")
    copenhagen = SourceDocumentFactory(code="COP-1990", url="https://www.osce.org/odihr/elections/14304")
    paris = SourceDocumentFactory(code="PAR-1990", has_numbered_paragraphs=False)
    CommitmentFactory(code="COP-1990-9.1", document=copenhagen, paragraph="9.1", dimension=human)
    CommitmentFactory(code="COP-1990-II", document=copenhagen, paragraph="Chapter II", dimension=human)
    CommitmentFactory(code="PAR-1990-HRD", document=paris, paragraph="A New Era: Human Rights", dimension=human)
    out = io.StringIO()

    call_command("catalogue_stats", stdout=out)

    text = out.getvalue()
    assert "Commitments: 3 (target >= 450: BELOW TARGET)" in text
    assert re.search(r"human +3 ", text)
    assert re.search(r"numbered paragraph or section +2 +66.7 %", text)
    assert re.search(r"of which a paragraph +1 +33.3 %", text)
    assert re.search(r"section title \(no numbering\) +1 +33.3 %", text)
    assert "Documents linked to the official text: 1/2" in text
