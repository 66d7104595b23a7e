"""The synthetic evaluation uses the production rule on the production figures."""

import datetime
import json

import numpy as np
import pytest
from django.core.management import call_command

from early_warning import evaluation
from early_warning.detector import DEFAULT, decide, figures_from_events
from early_warning.selectors import series_figures

D = datetime.date


def synthetic_days(seed: int, days: int, rate_per_week: float, spike: tuple[int, int] | None = None):
    rng = np.random.default_rng(seed)
    names = list(evaluation.SEVERITY_MIX)
    probabilities = [evaluation.SEVERITY_MIX[name] for name in names]
    rates = np.full(days, rate_per_week / 7)
    if spike:
        rates[spike[0] : spike[1]] *= 3
    by_severity = rng.poisson(np.outer(rates, probabilities))
    return names, by_severity


def test_the_evaluations_figures_and_decisions_equal_the_python_twin_of_the_sql():
    names, by_severity = synthetic_days(seed=7, days=500, rate_per_week=4, spike=(440, 468))
    weights = np.array([evaluation.SEVERITY_WEIGHTS[n] for n in names])
    counts, weight, squares = by_severity.sum(axis=1), by_severity @ weights, by_severity @ (weights * weights)
    start = D(2025, 1, 1)
    events = [
        (start + datetime.timedelta(days=day), names[s], False)
        for day in range(len(by_severity))
        for s in range(len(names))
        for _ in range(by_severity[day, s])
    ]
    first_day = 400
    expected = [
        day
        for day in range(first_day, 500)
        if decide(figures_from_events(events, as_of=start + datetime.timedelta(days=day))).triggered
    ]
    assert expected  # the spike triggers on some days, so the comparison means something
    assert evaluation.triggers(counts, weight, squares, first_day=first_day) == expected


@pytest.mark.django_db
def test_the_sql_figures_equal_the_python_twin_on_synthetic_reports(series):
    names, by_severity = synthetic_days(seed=3, days=420, rate_per_week=3)
    for day in range(420):
        for s, name in enumerate(names):
            if by_severity[day, s]:
                series.add(day, name, n=int(by_severity[day, s]))
    events = [(r.observed_on, r.severity, False) for r in series.state.reports.all()]
    for as_of in (series.today, series.today - datetime.timedelta(days=30)):
        sql = series_figures(as_of=as_of)[(series.state.code, series.dimension.pk)]
        assert sql == figures_from_events(events, as_of=as_of)


def test_episodes_count_a_run_of_trigger_days_once():
    assert evaluation.episodes([10, 11, 12, 30, 60], gap=DEFAULT.window_days) == [10, 60]


def test_the_command_prints_the_figures_and_writes_them(tmp_path, capsys):
    target = tmp_path / "early_warning.json"

    call_command(
        "evaluate_early_warning", "--stable-series", "2", "--spike-series", "3", "--years", "1", "--output", str(target)
    )

    figures = json.loads(target.read_text())
    assert figures["seed"] == 2 and figures["tuning_seed"] == 1
    assert {"recall", "false_alarms_per_state_dimension_year", "median_delay_days"} <= set(figures)
    assert [row["rate_per_week"] for row in figures["by_rate"]] == list(evaluation.RATES)
    assert "median delay" in capsys.readouterr().out
