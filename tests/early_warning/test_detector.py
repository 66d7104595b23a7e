"""The rule as pure functions, and the worked example of docs/early-warning.md, number by number."""

import datetime
import math

import pytest

from early_warning.detector import (
    DEFAULT,
    Figures,
    decide,
    figures_from_events,
    poisson_upper_tail,
    week_index,
    windows_for,
)

D = datetime.date


def exact_poisson_tail(k: int, mean: float) -> float:
    return 1 - sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(k))


@pytest.mark.parametrize(("k", "mean"), [(1, 0.1), (3, 0.4), (10, 4.0), (8, 2.8), (50, 30.0)])
def test_tail_matches_the_exact_poisson_tail_at_whole_counts(k, mean):
    assert poisson_upper_tail(observed=k, expected=mean) == pytest.approx(exact_poisson_tail(k, mean), rel=1e-9)


def test_windows_end_today_and_the_baseline_is_the_52_weeks_before():
    windows = windows_for(D(2026, 11, 30))
    assert (windows.window_start, windows.window_end) == (D(2026, 11, 3), D(2026, 11, 30))
    assert (windows.baseline_start, windows.baseline_end) == (D(2025, 11, 4), D(2026, 11, 2))


def test_weeks_are_counted_back_from_today():
    assert week_index(as_of=D(2026, 11, 30), observed_on=D(2026, 11, 24)) == 0
    assert week_index(as_of=D(2026, 11, 30), observed_on=D(2026, 11, 23)) == 1


# The worked example (docs/early-warning.md) ------------------------------------------------------

AS_OF = D(2026, 11, 30)


def worked_example_events():
    baseline = [(D(2026, 10, 1) - datetime.timedelta(days=12 * i), "minor", False) for i in range(26)]
    baseline += [(D(2026, 3, 2) + datetime.timedelta(days=40 * i), "serious", False) for i in range(4)]
    window = [
        (D(2026, 11, 12), "minor", False),
        (D(2026, 11, 18), "serious", False),
        (D(2026, 11, 20), "serious", False),
        (D(2026, 11, 27), "serious", False),
        (D(2026, 11, 29), "grave", False),
    ]
    too_old = [(D(2025, 11, 3), "grave", False)]
    return baseline + window + too_old


def test_worked_example_figures():
    figures = figures_from_events(worked_example_events(), as_of=AS_OF)
    assert figures == Figures(
        observed_weight=13.5,
        observed_reports=5,
        observed_weight_squares=44.75,
        baseline_weight=36.0,
        baseline_reports=30,
        baseline_weight_squares=51.0,
        grave_non_derogable=0,
    )


def test_worked_example_decision():
    figures = figures_from_events(worked_example_events(), as_of=AS_OF)
    decision = decide(figures)
    assert decision.baseline_weekly_rate == pytest.approx(0.6923, abs=1e-4)
    assert decision.expected_weight == pytest.approx(2.7692, abs=1e-4)
    assert decision.ratio == pytest.approx(4.875, abs=1e-3)
    assert decision.dispersion == pytest.approx(1.9343, abs=1e-4)
    assert figures.observed_weight / decision.dispersion == pytest.approx(6.9791, abs=1e-4)
    assert decision.expected_weight / decision.dispersion == pytest.approx(1.4316, abs=1e-4)
    assert decision.p_value == pytest.approx(7.335e-4, rel=1e-3)
    assert (decision.triggered, decision.rule, decision.severity) == (True, "spike", "elevated")


# The floor and the non-derogable rule -------------------------------------------------------------


def test_one_minor_report_on_a_quiet_state_never_alerts():
    decision = decide(Figures(1.0, 1, 1.0, 0.0, 0, 0.0))
    assert not decision.triggered


def test_one_grave_report_alone_is_below_the_floor_of_two_reports():
    assert not decide(Figures(5.0, 1, 25.0, 0.0, 0, 0.0)).triggered


def test_two_serious_reports_on_a_quiet_state_are_not_unlikely_enough():
    decision = decide(Figures(5.0, 2, 12.5, 0.0, 0, 0.0))
    assert decision.p_value == pytest.approx(0.0616, abs=1e-4)
    assert not decision.triggered


def test_three_serious_reports_on_a_quiet_state_alert():
    assert decide(Figures(7.5, 3, 18.75, 0.0, 0, 0.0)).triggered


def test_a_rise_below_the_ratio_does_not_alert_however_unlikely():
    # 52 weeks at 10 a week, then 4 weeks at 19 a week: p is tiny but the ratio is 1.9.
    figures = Figures(76.0, 76, 76.0, 520.0, 520, 520.0)
    decision = decide(figures)
    assert decision.ratio == pytest.approx(1.9) and decision.p_value < DEFAULT.alpha
    assert not decision.triggered


def test_one_grave_violation_of_a_non_derogable_commitment_raises_at_once():
    decision = decide(Figures(5.0, 1, 25.0, 0.0, 0, 0.0, grave_non_derogable=1))
    assert (decision.triggered, decision.rule, decision.severity) == (True, "non_derogable", "critical")
