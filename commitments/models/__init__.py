from .catalogue import Commitment, CommitmentRelation, Dimension, RelationKind, SourceDocument, Theme
from .imports import ImportJob, ImportJobStatus
from .reports import Report, ReportKind, ReportLevel, ReportSeverity, ReportSource, ReportStatus

__all__ = [
    "Commitment",
    "CommitmentRelation",
    "Dimension",
    "ImportJob",
    "ImportJobStatus",
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
