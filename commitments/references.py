"""The shape of a paragraph reference, shared by the model, the staging merge and the catalogue checks.

A reference cites a numbered paragraph or section of its document: ``5.6``, ``25``,
``Chapter III, 4.2``, ``Section II, A.3``, ``Declaration on Principles, Principle VII``,
``Basket III, Section 1: Human contacts``, ``Decisions, Chapter V, (21)``. Leading comma-separated parts locate the
number (chapter or part titles); the last part carries it, optionally after a label
word (Chapter, Section, para, ...) and optionally followed by ``: title``.
A document without numbered paragraphs cites a section title instead, and says so
(``SourceDocument.has_numbered_paragraphs`` is False).
"""

import re

LABELS = (
    "Chapter",
    "Section",
    "Part",
    "Annex",
    "Appendix",
    "Principle",
    "Basket",
    "Article",
    "Paragraph",
    "Paragraphs",
    "para",
    "paras",
    "Measure",
    "Point",
)
_NUMBER = (
    r"(?:(?:\d+|[IVXLC]+|[A-Z])(?:[.\-](?:\d+|[IVXLC]+|[A-Za-z]))*(?:\s?\([A-Za-z0-9]+\))*"
    r"|\(\d+\)(?:\s?\([A-Za-z0-9]+\))*)"  # or a number in brackets, as in the Helsinki 1992 decisions: "(21)"
)
_LAST_PART = rf"(?:(?:{'|'.join(LABELS)})\s+)?{_NUMBER}"
NUMBERED_REFERENCE = re.compile(rf"^(?:[^,]+,\s*)*{_LAST_PART}(?::\s+\S.*)?$")
SECTION_LABELS = ("Chapter", "Section", "Part", "Annex", "Appendix", "Principle", "Basket", "Article")

PREAMBLE = "Preamble"


def is_numbered_reference(reference: str) -> bool:
    """True when the reference cites a numbered paragraph or numbered section."""
    return bool(NUMBERED_REFERENCE.match(reference.strip()))


def is_paragraph_reference(reference: str) -> bool:
    """True when the reference ends in a numbered paragraph (``5.6``, ``Chapter III, 16``), not a whole section."""
    reference = reference.strip()
    if not is_numbered_reference(reference):
        return False
    last = reference.split(":")[0].split(",")[-1].strip()
    return not last.startswith(SECTION_LABELS) and any(char.isdigit() for char in last)


def reference_error(reference: str, *, has_numbered_paragraphs: bool) -> str | None:
    """Why the reference does not fit its document, or None when it does."""
    reference = reference.strip()
    if not reference:
        return "Give the paragraph or section the commitment comes from."
    if has_numbered_paragraphs and not (is_numbered_reference(reference) or reference == PREAMBLE):
        return (
            "This document has numbered paragraphs: cite one, such as '5.6', '25' or 'Chapter III, 4.2'"
            f" (or '{PREAMBLE}')."
        )
    return None
