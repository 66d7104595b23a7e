from .scorecards import METHOD_VERSION, GroupScorecard, Period, PeriodKind, Scorecard

__all__ = ["METHOD_VERSION", "GroupScorecard", "Period", "PeriodKind", "Scorecard"]
from .subscriptions import DeliveryStatus, DigestDelivery, Frequency, Subscription  # noqa: E402

__all__ += ["DeliveryStatus", "DigestDelivery", "Frequency", "Subscription"]
