"""The shape of a paragraph reference (commitments/references.py)."""

import pytest

from commitments.references import is_numbered_reference, is_paragraph_reference, reference_error


@pytest.mark.parametrize(
    "reference",
    [
        "5.6",
        "25",
        "Chapter III, 4.2",
        "Section II, A.3",
        "28.7",
        "23.1 (ii)",
        "Decisions, Chapter V, (21)",
        "(9)",
        "Human Dimension of the CSCE, paras 1-4",
    ],
)
def test_a_numbered_paragraph_is_a_paragraph_reference(reference):
    assert is_numbered_reference(reference)
    assert is_paragraph_reference(reference)


@pytest.mark.parametrize(
    "reference", ["Chapter I", "Declaration on Principles, Principle VII", "Basket III, Section 1: Human contacts"]
)
def test_a_numbered_section_is_numbered_but_not_a_paragraph(reference):
    assert is_numbered_reference(reference)
    assert not is_paragraph_reference(reference)


@pytest.mark.parametrize(
    "reference", ["Operative part", "Declaration text: good governance", "Chapter IX, Inspection", ""]
)
def test_a_section_title_is_not_a_numbered_reference(reference):
    assert not is_numbered_reference(reference)


def test_a_document_with_numbered_paragraphs_refuses_a_section_title():
    assert reference_error("Operative part", has_numbered_paragraphs=True)


def test_a_document_without_numbered_paragraphs_accepts_a_section_title():
    assert reference_error("A New Era: Human Rights, Democracy and Rule of Law", has_numbered_paragraphs=False) is None


def test_the_preamble_is_accepted_in_a_numbered_document():
    assert reference_error("Preamble", has_numbered_paragraphs=True) is None


def test_an_empty_reference_is_refused_everywhere():
    assert reference_error(" ", has_numbered_paragraphs=False)
