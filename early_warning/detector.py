"""The early-warning rule, as pure functions on a series' figures (docs/early-warning.md).

The database gives the figures of every State x dimension series in one set-based
query (`early_warning.selectors.series_figures`); `evaluate_early_warning` computes the
same figures from synthetic series (`figures_from_events`). Both then call `decide`,
so production and the evaluation share the rule; a test checks the two figure paths agree.
"""

import datetime
import math
from dataclasses import dataclass

# Severity weights: the scoring method's penalty points (10, 25, 50) divided by ten.
SEVERITY_WEIGHTS = {"minor": 1.0, "serious": 2.5, "grave": 5.0}


@dataclass(frozen=True)
class Parameters:
    window_weeks: int = 4  # the recent window, ending today
    baseline_weeks: int = 52  # the State's own baseline, the weeks just before the window
    min_ratio: float = 2.0  # observed / expected at least this
    alpha: float = 0.02  # upper-tail probability under the baseline below this
    floor_weight: float = 5.0  # at least this much weighted violation in the window ...
    floor_reports: int = 2  # ... from at least this many reports: one report alone never alerts
    min_weekly_rate: float = 0.25  # a quiet baseline is taken as at least this weighted rate per week
    high_ratio: float = 4.0  # severity "high" from this ratio ...
    high_alpha: float = 0.0001  # ... with a tail probability below this

    @property
    def window_days(self) -> int:
        return 7 * self.window_weeks

    @property
    def baseline_days(self) -> int:
        return 7 * self.baseline_weeks


DEFAULT = Parameters()


@dataclass(frozen=True)
class Windows:
    """Both windows end on whole weeks counted back from `as_of` (today, in production); bounds inclusive."""

    window_start: datetime.date
    window_end: datetime.date
    baseline_start: datetime.date
    baseline_end: datetime.date


def windows_for(as_of: datetime.date, params: Parameters = DEFAULT) -> Windows:
    window_start = as_of - datetime.timedelta(days=params.window_days - 1)
    baseline_end = window_start - datetime.timedelta(days=1)
    baseline_start = baseline_end - datetime.timedelta(days=params.baseline_days - 1)
    return Windows(window_start, as_of, baseline_start, baseline_end)


def week_index(*, as_of: datetime.date, observed_on: datetime.date) -> int:
    """0 for the 7 days ending on `as_of`, 1 for the 7 before, ...: the weekly series is anchored on today."""
    return (as_of - observed_on).days // 7


@dataclass(frozen=True)
class Figures:
    """Sums over a series' verified violation reports in the window and in the baseline."""

    observed_weight: float
    observed_reports: int
    observed_weight_squares: float
    baseline_weight: float
    baseline_reports: int
    baseline_weight_squares: float
    grave_non_derogable: int = 0  # grave violations of non-derogable commitments in the window


def figures_from_events(
    events: list[tuple[datetime.date, str, bool]], *, as_of: datetime.date, params: Parameters = DEFAULT
) -> Figures:
    """The figures from (observed_on, severity, non_derogable) triples, in Python: the SQL's twin."""
    windows = windows_for(as_of, params)
    ow = bw = ows = bws = 0.0
    on = bn = grave = 0
    for observed_on, severity, non_derogable in events:
        weight = SEVERITY_WEIGHTS[severity]
        if windows.window_start <= observed_on <= windows.window_end:
            ow, ows, on = ow + weight, ows + weight * weight, on + 1
            grave += int(severity == "grave" and non_derogable)
        elif windows.baseline_start <= observed_on <= windows.baseline_end:
            bw, bws, bn = bw + weight, bws + weight * weight, bn + 1
    return Figures(ow, on, ows, bw, bn, bws, grave)


@dataclass(frozen=True)
class Decision:
    triggered: bool
    rule: str  # "spike", "non_derogable" or "" (not triggered)
    severity: str  # "critical", "high", "elevated" or ""
    expected_weight: float  # baseline weekly rate x window weeks
    baseline_weekly_rate: float
    ratio: float
    dispersion: float
    p_value: float


def _lower_regularized_gamma(a: float, x: float) -> float:
    """P(a, x) = γ(a, x) / Γ(a), by its series for x < a + 1 and Lentz's continued fraction otherwise."""
    if x <= 0:
        return 0.0
    log_prefix = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        denominator = a
        for _ in range(1000):
            denominator += 1
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return min(1.0, total * math.exp(log_prefix))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return max(0.0, 1.0 - math.exp(log_prefix) * h)


def poisson_upper_tail(*, observed: float, expected: float) -> float:
    """P(N >= observed), N ~ Poisson(expected), continuous in `observed`: regularised gamma P(observed, expected)."""
    if observed <= 0:
        return 1.0
    return _lower_regularized_gamma(observed, expected)


def decide(figures: Figures, params: Parameters = DEFAULT) -> Decision:
    """The rule. A weighted sum of Poisson counts is over-dispersed by the mean squared weight over the mean weight
    (the dispersion); dividing observed and expected by it gives the scaled Poisson whose tail is tested."""
    rate = max(figures.baseline_weight / params.baseline_weeks, params.min_weekly_rate)
    expected = rate * params.window_weeks
    ratio = figures.observed_weight / expected
    all_weight = figures.observed_weight + figures.baseline_weight
    dispersion = (figures.observed_weight_squares + figures.baseline_weight_squares) / all_weight if all_weight else 1.0
    dispersion = max(dispersion, 1.0)
    large = (
        figures.observed_weight >= params.floor_weight
        and figures.observed_reports >= params.floor_reports
        and ratio >= params.min_ratio
    )
    p_value = poisson_upper_tail(observed=figures.observed_weight / dispersion, expected=expected / dispersion)
    spike = large and p_value < params.alpha
    if figures.grave_non_derogable:
        rule, severity = "non_derogable", "critical"
    elif spike:
        rule = "spike"
        severity = "high" if ratio >= params.high_ratio and p_value < params.high_alpha else "elevated"
    else:
        rule, severity = "", ""
    return Decision(bool(rule), rule, severity, expected, rate, ratio, dispersion, p_value)
