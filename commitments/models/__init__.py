from .catalogue import Commitment, Dimension, SourceDocument, Theme
from .reports import Report, ReportKind, ReportLevel, ReportSeverity, ReportSource, ReportStatus

__all__ = [
    "Commitment",
    "Dimension",
    "Report",
    "ReportKind",
    "ReportLevel",
    "ReportSeverity",
    "ReportSource",
    "ReportStatus",
    "SourceDocument",
    "Theme",
]
