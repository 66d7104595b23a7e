"""What goes into a scorecard digest: the edition, the rows per State, and the chart.

Scores are computed per quarter (and year), so both frequencies carry the scores
of the last complete quarter: a quarterly edition is named after that quarter
("2026-Q3", sent on 1 October); a monthly edition is named after the month that
just ended ("2026-11", sent on 1 December) and carries the last quarter complete
by that month's end (2026-Q3). A monthly subscriber thus gets the same quarter
three times, each time with the scores as recomputed since (late verified
reports move them).
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count

from commitments.models import Dimension, Report, ReportSource, ReportStatus
from recommendations.selectors import followup_overall_rows, status_changes_in
from states.models import State

from . import charts
from .models import DEFAULT_METHOD, Evidence, Frequency, Period, Scorecard, format_score
from .periods import QUARTER, PeriodSpan

MONTH_LABEL = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
CHART_QUARTERS = 8

UP, DOWN, FLAT = "▲", "▼", "▶"


@dataclass(frozen=True)
class Edition:
    """One issue of the digest for one frequency, and the quarter whose scores it carries."""

    label: str
    frequency: str
    quarter: PeriodSpan

    @classmethod
    def parse(cls, label: str) -> "Edition":
        """`2026-Q3` is a quarterly edition, `2026-11` a monthly one."""
        label = (label or "").strip()
        month = MONTH_LABEL.match(label)
        if month:
            first = datetime.date(int(month["year"]), int(month["month"]), 1)
            next_month = (first + datetime.timedelta(days=32)).replace(day=1)
            # The last quarter complete on the month's last day.
            return cls(label, Frequency.MONTHLY, PeriodSpan.containing(next_month, QUARTER).previous())
        try:
            span = PeriodSpan.parse(label)
        except ValueError:
            span = None
        if span is None or span.kind != QUARTER:
            raise ValueError(f"“{label}” is not a digest edition: use YYYY-Qn (quarterly) or YYYY-MM (monthly).")
        return cls(span.label, Frequency.QUARTERLY, span)

    @classmethod
    def latest(cls, frequency: str, today: datetime.date) -> "Edition":
        """The edition due on `today`: the last complete month or quarter."""
        if frequency == Frequency.MONTHLY:
            last_month = today.replace(day=1) - datetime.timedelta(days=1)
            return cls.parse(f"{last_month.year}-{last_month.month:02d}")
        if frequency == Frequency.QUARTERLY:
            return cls.parse(PeriodSpan.containing(today, QUARTER).previous().label)
        raise ValueError(f"Unknown frequency “{frequency}”.")

    @property
    def title(self) -> str:
        if self.frequency == Frequency.MONTHLY:
            month = datetime.date(int(self.label[:4]), int(self.label[5:]), 1)
            return f"{month:%B %Y} monthly digest"
        return f"{self.label} quarterly digest"


@dataclass
class ScoreRow:
    """One line of a State's table: a dimension, or overall."""

    name: str
    score: Decimal | None
    trend: Decimal | None
    coverage: Decimal | None
    rank: int | None
    ranked: int
    violations: int | None
    score_low: Decimal | None = None
    score_high: Decimal | None = None
    evidence: str | None = None

    @property
    def arrow(self) -> str:
        if self.trend is None or self.trend == 0:
            return FLAT
        return UP if self.trend > 0 else DOWN

    @property
    def score_text(self) -> str:
        """`71.8 (64.0–79.6)`; `insufficient evidence` instead of a number that rests on too little."""
        return format_score(self.score, self.score_low, self.score_high, self.evidence)

    @property
    def score_parts(self) -> tuple[str, str]:
        """`score_text` cut where a narrow screen may wrap it: `("71.8", "(64.0–79.6)")`, `("–", "")`."""
        value, _, interval = self.score_text.partition(" (")
        return value, f"({interval}" if interval else ""

    @property
    def trend_text(self) -> str:
        if self.trend is None:
            return f"{FLAT} n/a"
        if self.trend == 0:
            return f"{FLAT} 0.0"
        return f"{self.arrow} {self.trend:+.1f}"

    @property
    def coverage_text(self) -> str:
        return "–" if self.coverage is None else f"{self.coverage * 100:.0f}%"

    @property
    def rank_text(self) -> str:
        return "–" if self.rank is None else f"{self.rank} of {self.ranked}"

    @property
    def violations_text(self) -> str:
        return "–" if self.violations is None else str(self.violations)


@dataclass
class StateDigest:
    state: State
    rows: list[ScoreRow]
    series: list[tuple[str, Decimal | None]]
    chart_png: bytes
    content_id: str
    api_url: str
    has_scores: bool = True
    # The State's overall follow-up index row for the quarter (recommendations.FollowUpIndex), if any,
    # and the recommendations whose status changed in the quarter.
    followup: object = None
    status_changes: list = field(default_factory=list)

    @property
    def chart_alt(self) -> str:
        first, last = self.series[0][0], self.series[-1][0]
        values = [score for _, score in self.series if score is not None]
        if not values:
            return f"Overall score of {self.state.name}, {first} to {last}: no scores"
        return f"Overall score of {self.state.name}, {first} to {last}: {values[0]:.1f} to {values[-1]:.1f}"

    @property
    def series_text(self) -> str:
        return ", ".join(f"{label} {'–' if score is None else f'{score:.1f}'}" for label, score in self.series)

    @property
    def chart_filename(self) -> str:
        return f"{self.state.code}-{self.series[-1][0]}.png"


@dataclass
class Digest:
    email: str
    edition: Edition
    period: Period
    states: list[StateDigest]
    dimensions: list[Dimension]
    all_states: bool
    includes_demo_data: bool
    unsubscribe_url: str
    site_url: str = field(default_factory=lambda: settings.SITE_URL)

    @property
    def state_count(self) -> int:
        return len(self.states)


def includes_demo_data() -> bool:
    return Report.objects.filter(source=ReportSource.SYNTHETIC_DEMO, status=ReportStatus.VERIFIED).exists()


def scores_exist(period_label: str) -> bool:
    return Scorecard.objects.filter(period__label=period_label, method_version=DEFAULT_METHOD).exists()


def chart_quarters(quarter: PeriodSpan) -> list[PeriodSpan]:
    spans = [quarter]
    while len(spans) < CHART_QUARTERS:
        spans.insert(0, spans[0].previous())
    return spans


def render_chart(state_name: str, series: tuple[tuple[str, Decimal | None], ...]) -> bytes:
    """A 480x200 PNG line chart of one State's overall score per quarter, from the shared chart module."""
    points = tuple(charts.Point(label, score) for label, score in series)
    return charts.chart_png(title=f"{state_name}: overall score", points=points)


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def digest_build(
    *,
    email: str,
    edition: Edition,
    unsubscribe_url: str,
    state_codes: list[str] | None = None,
    dimension_slugs: list[str] | None = None,
) -> Digest:
    """The digest's content for the edition's quarter; no codes or slugs = all States or dimensions.

    A fixed number of queries whatever the number of States: the period's rows,
    the eight-quarter overall series, and the ranked count per dimension. Scores are
    method 2's (the API's default), with their 90% interval; plus the follow-up
    index rows and the recommendations' status changes.
    """
    period = Period.objects.for_span(edition.quarter)
    all_states = not state_codes
    states = State.objects.order_by("name")
    states = states.participating_on(period.end) if all_states else states.filter(code__in=state_codes)
    states = list(states)
    codes = [state.code for state in states]
    dimensions = Dimension.objects.order_by("position", "name")
    if dimension_slugs:
        dimensions = dimensions.filter(slug__in=dimension_slugs)
    dimensions = list(dimensions)

    scorecards = Scorecard.objects.filter(method_version=DEFAULT_METHOD)
    cards = scorecards.filter(period=period, state_id__in=codes)
    by_key = {(card.state_id, card.dimension_id): card for card in cards}
    scored_states = {state_id for state_id, _ in by_key}
    ranked = dict(
        scorecards.filter(period=period, rank__isnull=False)
        .values_list("dimension_id")
        .annotate(n=Count("id"))
        .values_list("dimension_id", "n")
    )
    spans = chart_quarters(edition.quarter)
    labels = [span.label for span in spans]
    # The chart and its text leave out overall scores on insufficient evidence, as the table does.
    overall = {
        (state_id, label): None if evidence == Evidence.INSUFFICIENT else score
        for state_id, label, score, evidence in scorecards.filter(
            state_id__in=codes, dimension__isnull=True, period__label__in=labels
        ).values_list("state_id", "period__label", "score", "evidence")
    }

    followup = followup_overall_rows(state_codes=codes, period_label=period.label, method_version=DEFAULT_METHOD)
    changes = status_changes_in(state_codes=codes, start=period.start, end=period.end)

    def row(name: str, card: Scorecard | None, dimension_id: int | None) -> ScoreRow:
        if card is None:
            return ScoreRow(name, None, None, None, None, ranked.get(dimension_id, 0), None)
        return ScoreRow(
            name,
            _decimal(card.score),
            _decimal(card.trend),
            _decimal(card.coverage),
            card.rank,
            ranked.get(dimension_id, 0),
            card.violation_count,
            _decimal(card.score_low),
            _decimal(card.score_high),
            card.evidence,
        )

    state_digests = []
    for state in states:
        rows = [row(dimension.name, by_key.get((state.code, dimension.pk)), dimension.pk) for dimension in dimensions]
        rows.append(row("Overall", by_key.get((state.code, None)), None))
        series = tuple((label, _decimal(overall.get((state.code, label)))) for label in labels)
        state_digests.append(
            StateDigest(
                state=state,
                rows=rows,
                series=list(series),
                chart_png=render_chart(state.name, series),
                content_id=f"chart-{state.code}-{edition.quarter.label}@corfu-tracker",
                api_url=f"{settings.SITE_URL}/api/v1/scorecards/?state={state.code}",
                has_scores=state.code in scored_states,
                followup=followup.get(state.code),
                status_changes=changes.get(state.code, []),
            )
        )
    return Digest(
        email=email,
        edition=edition,
        period=period,
        states=state_digests,
        dimensions=dimensions,
        all_states=all_states,
        includes_demo_data=includes_demo_data(),
        unsubscribe_url=unsubscribe_url,
    )
