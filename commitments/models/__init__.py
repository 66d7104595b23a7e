from .catalogue import Commitment, CommitmentRelation, Dimension, RelationKind, SourceDocument, Theme
from .reports import Report, ReportKind, ReportLevel, ReportSeverity, ReportSource, ReportStatus

__all__ = [
    "Commitment",
    "CommitmentRelation",
    "Dimension",
    "RelationKind",
    "Report",
    "ReportKind",
    "ReportLevel",
    "ReportSeverity",
    "ReportSource",
    "ReportStatus",
    "SourceDocument",
    "Theme",
]
