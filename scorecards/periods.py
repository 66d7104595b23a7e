"""Reporting periods: calendar quarters ("2010-Q2") and years ("2010")."""

import datetime
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

QUARTER = "quarter"
YEAR = "year"
LABEL_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4]))?$")
# How far back an implementation report still counts (scoring method v1).
IMPLEMENTATION_LOOKBACK = relativedelta(months=36)


@dataclass(frozen=True, order=True)
class PeriodSpan:
    start: datetime.date
    end: datetime.date
    kind: str
    label: str

    @classmethod
    def parse(cls, label: str) -> "PeriodSpan":
        match = LABEL_PATTERN.match((label or "").strip())
        if not match:
            raise ValueError(f"“{label}” is not a period: use YYYY for a year or YYYY-Qn for a quarter.")
        year = int(match["year"])
        if year < 1973:
            raise ValueError(f"“{label}” is before the CSCE existed (1973).")
        if match["quarter"]:
            return cls.quarter(year, int(match["quarter"]))
        return cls.year(year)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "PeriodSpan":
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = start + relativedelta(months=3, days=-1)
        return cls(start, end, QUARTER, f"{year}-Q{quarter}")

    @classmethod
    def year(cls, year: int) -> "PeriodSpan":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), YEAR, str(year))

    @classmethod
    def containing(cls, day: datetime.date, kind: str) -> "PeriodSpan":
        if kind == YEAR:
            return cls.year(day.year)
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @property
    def lookback_start(self) -> datetime.date:
        """Earliest observed_on of an implementation report that still counts for this period."""
        return self.end - IMPLEMENTATION_LOOKBACK

    def previous(self) -> "PeriodSpan":
        return self.containing(self.start - datetime.timedelta(days=1), self.kind)

    def next(self) -> "PeriodSpan":
        return self.containing(self.end + datetime.timedelta(days=1), self.kind)

    def quarters(self) -> list["PeriodSpan"]:
        if self.kind == QUARTER:
            return [self]
        return [self.quarter(self.start.year, q) for q in range(1, 5)]

    def is_complete_on(self, day: datetime.date) -> bool:
        return self.end < day


def periods_of_year(year: int) -> list[PeriodSpan]:
    """The four quarters and the year itself."""
    return [*PeriodSpan.year(year).quarters(), PeriodSpan.year(year)]


def periods_affected_by(observed_on: datetime.date, *, until: datetime.date) -> list[PeriodSpan]:
    """Periods whose scores a report observed on that day can change.

    A violation counts in the period it falls in; an implementation report
    counts for every period ending within the following 36 months.
    """
    last_end = min(observed_on + IMPLEMENTATION_LOOKBACK, until)
    spans = []
    for kind in (QUARTER, YEAR):
        span = PeriodSpan.containing(observed_on, kind)
        while span.start <= last_end:
            spans.append(span)
            span = span.next()
    return spans
