from .scorecards import (
    DEFAULT_METHOD,
    Evidence,
    GroupScorecard,
    Method,
    Period,
    PeriodKind,
    Scorecard,
    format_score,
)

__all__ = [
    "DEFAULT_METHOD",
    "Evidence",
    "GroupScorecard",
    "Method",
    "Period",
    "PeriodKind",
    "Scorecard",
    "format_score",
]
from .subscriptions import DeliveryStatus, DigestDelivery, Frequency, Subscription  # noqa: E402

__all__ += ["DeliveryStatus", "DigestDelivery", "Frequency", "Subscription"]
