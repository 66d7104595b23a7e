from .scorecards import METHOD_VERSION, GroupScorecard, Period, PeriodKind, Scorecard

__all__ = ["METHOD_VERSION", "GroupScorecard", "Period", "PeriodKind", "Scorecard"]
