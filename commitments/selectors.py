"""Read paths over the catalogue and the review work."""

import dataclasses

from django.db.models import Count, Q

from .models import Commitment, CommitmentRelation, Dimension, Report, ReportStatus, SourceDocument
from .references import is_numbered_reference, is_paragraph_reference

# The balance issue 17 asks of the catalogue.
TARGET_COMMITMENTS = 450
TARGET_PER_DIMENSION = 120
TARGET_DOCUMENTS = 45
TARGET_NUMBERED_SHARE = 0.90


@dataclasses.dataclass
class DocumentStats:
    code: str
    symbol: str
    adopted_on: str
    commitments: int
    numbered: int
    linked: bool
    text_source: bool


@dataclasses.dataclass
class CatalogueStats:
    commitments: int
    documents: int
    documents_with_commitments: int
    per_dimension: dict[str, int]
    numbered: int  # cites a numbered paragraph or numbered section
    paragraph_precise: int  # of those, a paragraph rather than a whole chapter or section
    title_only: int  # documents without numbered paragraphs: a section title
    linked_documents: int
    documents_with_text_source: int
    documents_with_symbol: int
    non_derogable: int
    weighted: int
    relations: dict[str, int]
    per_document: list[DocumentStats]

    @property
    def numbered_share(self) -> float:
        return self.numbered / self.commitments if self.commitments else 0.0


def catalogue_stats() -> CatalogueStats:
    rows = list(Commitment.objects.values_list("paragraph", "document__code", "document__has_numbered_paragraphs"))
    numbered_by_doc: dict[str, int] = {}
    numbered = paragraph_precise = title_only = 0
    for paragraph, doc_code, has_numbers in rows:
        if is_numbered_reference(paragraph):
            numbered += 1
            numbered_by_doc[doc_code] = numbered_by_doc.get(doc_code, 0) + 1
            paragraph_precise += is_paragraph_reference(paragraph)
        elif not has_numbers:
            title_only += 1
    dimensions = Dimension.objects.annotate(n=Count("commitments")).order_by("position")
    documents = SourceDocument.objects.annotate(n=Count("commitments")).order_by("adopted_on", "code")
    per_document = [
        DocumentStats(
            code=d.code,
            symbol=d.symbol,
            adopted_on=d.adopted_on.isoformat(),
            commitments=d.n,
            numbered=numbered_by_doc.get(d.code, 0),
            linked=bool(d.url),
            text_source=bool(d.text_source),
        )
        for d in documents
    ]
    relation_counts = dict(CommitmentRelation.objects.values_list("kind").annotate(n=Count("id")))
    counts = Commitment.objects.aggregate(
        non_derogable=Count("id", filter=Q(non_derogable=True)), weighted=Count("id", filter=~Q(weight=1))
    )
    return CatalogueStats(
        commitments=len(rows),
        documents=len(per_document),
        documents_with_commitments=sum(1 for d in per_document if d.commitments),
        per_dimension={d.slug: d.n for d in dimensions},
        numbered=numbered,
        paragraph_precise=paragraph_precise,
        title_only=title_only,
        linked_documents=sum(1 for d in per_document if d.linked),
        documents_with_text_source=sum(1 for d in per_document if d.text_source),
        documents_with_symbol=sum(1 for d in per_document if d.symbol),
        non_derogable=counts["non_derogable"],
        weighted=counts["weighted"],
        relations={kind: relation_counts.get(kind, 0) for kind in ("reaffirms", "elaborates", "supersedes")},
        per_document=per_document,
    )


# Review work ----------------------------------------------------------------------------------------------------


def reports_awaiting_review_count(*, user) -> int:
    """Submitted reports this user may verify: submitted by someone else, and only for reviewers."""
    if not user.has_perm("commitments.review_report"):
        return 0
    return Report.objects.awaiting_review_by(user).count()


def report_drafts_count(*, user) -> int:
    """This user's drafts, not yet submitted (only for those who may submit)."""
    if not user.has_perm("commitments.add_report"):
        return 0
    return Report.objects.filter(status=ReportStatus.DRAFT, created_by=user).count()
