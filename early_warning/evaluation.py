"""Synthetic evaluation of the rule (`manage.py evaluate_early_warning`, docs/early-warning.md).

Series are daily Poisson counts of violation reports with a fixed severity mix; a spike
multiplies the rate for a number of weeks from a known day. Every day after a year's
burn-in the figures of the window ending that day are computed from cumulative sums and
passed to `detector.decide`, the function the production evaluation calls.
"""

import datetime
import statistics
from dataclasses import asdict, dataclass, field

import numpy as np

from .detector import DEFAULT, SEVERITY_WEIGHTS, Figures, Parameters, decide

SEVERITY_MIX = {"minor": 0.5, "serious": 0.35, "grave": 0.15}
RATES = (1.0, 2.0, 5.0, 10.0)  # reports per week
BURN_IN_DAYS = 364 + 28


@dataclass
class Settings:
    seed: int = 2
    rates: tuple[float, ...] = RATES
    stable_series_per_rate: int = 60  # stable series per rate, each `years` long after the burn-in
    years: int = 2
    spike_series_per_rate: int = 100
    spike_factor: float = 3.0
    spike_weeks: int = 4
    grace_days: int = 14  # a trigger up to this long after the spike ends still counts as its detection


@dataclass
class RateResult:
    rate_per_week: float
    spikes: int
    detected: int
    false_alarms: int
    series_years: float
    delays_days: list[int] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.detected / self.spikes if self.spikes else 0.0

    @property
    def false_alarms_per_series_year(self) -> float:
        return self.false_alarms / self.series_years if self.series_years else 0.0


def _daily(rng: np.random.Generator, rates_per_day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per day: the report count, the weighted sum and the sum of squared weights."""
    names = list(SEVERITY_MIX)
    probabilities = np.array([SEVERITY_MIX[name] for name in names])
    weights = np.array([SEVERITY_WEIGHTS[name] for name in names])
    by_severity = rng.poisson(np.outer(rates_per_day, probabilities))  # days x severities
    return by_severity.sum(axis=1), by_severity @ weights, by_severity @ (weights * weights)


def _cumulative(values: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(values, dtype=float)])


def triggers(
    counts: np.ndarray, weight: np.ndarray, squares: np.ndarray, params: Parameters = DEFAULT, *, first_day: int
) -> list[int]:
    """The days (indexes, from `first_day`) on which the window ending that day triggers the spike rule."""
    c, w, s = _cumulative(counts), _cumulative(weight), _cumulative(squares)
    window, baseline = params.window_days, params.baseline_days
    days = []
    for day in range(first_day, len(counts)):
        end, start = day + 1, day + 1 - window  # window = [start, end) in cumulative indexes
        base_start = max(0, start - baseline)
        figures = Figures(
            observed_weight=float(w[end] - w[start]),
            observed_reports=int(c[end] - c[start]),
            observed_weight_squares=float(s[end] - s[start]),
            baseline_weight=float(w[start] - w[base_start]),
            baseline_reports=int(c[start] - c[base_start]),
            baseline_weight_squares=float(s[start] - s[base_start]),
        )
        if decide(figures, params).triggered:
            days.append(day)
    return days


def episodes(days: list[int], *, gap: int) -> list[int]:
    """First days of runs of triggers separated by at least `gap` quiet days: an open alert absorbs the rest."""
    starts, last = [], None
    for day in days:
        if last is None or day - last > gap:
            starts.append(day)
        last = day
    return starts


def evaluate(settings: Settings, params: Parameters = DEFAULT) -> list[RateResult]:
    rng = np.random.default_rng(settings.seed)
    results = []
    days = BURN_IN_DAYS + 364 * settings.years
    for rate in settings.rates:
        per_day = rate / 7
        false_alarms = 0
        for _ in range(settings.stable_series_per_rate):
            counts, weight, squares = _daily(rng, np.full(days, per_day))
            false_alarms += len(
                episodes(triggers(counts, weight, squares, params, first_day=BURN_IN_DAYS), gap=params.window_days)
            )
        result = RateResult(
            rate, settings.spike_series_per_rate, 0, false_alarms, settings.stable_series_per_rate * settings.years
        )
        spike_days = 7 * settings.spike_weeks
        span = BURN_IN_DAYS + 2 * 364  # spike anywhere in the year after the burn-in, then watched to its end
        for _ in range(settings.spike_series_per_rate):
            start = int(rng.integers(BURN_IN_DAYS, BURN_IN_DAYS + 364))
            rates = np.full(span, per_day)
            rates[start : start + spike_days] *= settings.spike_factor
            counts, weight, squares = _daily(rng, rates)
            hits = [
                day
                for day in triggers(counts, weight, squares, params, first_day=start)
                if day < start + spike_days + settings.grace_days
            ]
            if hits:
                result.detected += 1
                result.delays_days.append(hits[0] - start)
        results.append(result)
    return results


def summary(results: list[RateResult], settings: Settings, params: Parameters = DEFAULT) -> dict:
    spikes = sum(r.spikes for r in results)
    delays = [d for r in results for d in r.delays_days]
    years = sum(r.series_years for r in results)
    return {
        "seed": settings.seed,
        "generated_on": datetime.date.today().isoformat(),
        "parameters": asdict(params),
        "settings": {k: v for k, v in asdict(settings).items() if k != "seed"},
        "recall": round(sum(r.detected for r in results) / spikes, 3) if spikes else None,
        "false_alarms_per_state_dimension_year": round(sum(r.false_alarms for r in results) / years, 3),
        "median_delay_days": statistics.median(delays) if delays else None,
        "by_rate": [
            {
                "rate_per_week": r.rate_per_week,
                "recall": round(r.recall, 3),
                "false_alarms_per_state_dimension_year": round(r.false_alarms_per_series_year, 3),
                "median_delay_days": statistics.median(r.delays_days) if r.delays_days else None,
                "spikes": r.spikes,
                "stable_series_years": r.series_years,
            }
            for r in results
        ],
    }
