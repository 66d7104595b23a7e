from .catalogue import Commitment, Dimension, SourceDocument, Theme
from .imports import ImportJob, ImportJobStatus
from .reports import Report, ReportKind, ReportLevel, ReportSeverity, ReportSource, ReportStatus

__all__ = [
    "Commitment",
    "Dimension",
    "ImportJob",
    "ImportJobStatus",
    "Report",
    "ReportKind",
    "ReportLevel",
    "ReportSeverity",
    "ReportSource",
    "ReportStatus",
    "SourceDocument",
    "Theme",
]
