"""The admin's chart of an alert's series: weekly severity-weighted violations, the baseline rate and the window."""

import base64
import io

import matplotlib
from matplotlib.figure import Figure

from .selectors import WeeklySeries

matplotlib.use("Agg")


def series_chart_png(series: WeeklySeries, *, title: str) -> bytes:
    figure = Figure(figsize=(6.4, 2.4), dpi=100)
    axes = figure.add_subplot()
    count = len(series.weights)
    in_window = [index >= count - series.window_weeks for index in range(count)]
    axes.bar(
        range(count),
        series.weights,
        color=["#b2182b" if flag else "#8c96a0" for flag in in_window],
        width=0.8,
    )
    axes.axhline(series.baseline_weekly_rate, color="#1f5f8b", linewidth=1.5, linestyle="--", label="baseline rate")
    axes.axhline(2 * series.baseline_weekly_rate, color="#1f5f8b", linewidth=0.8, linestyle=":", label="2 × baseline")
    ticks = list(range(0, count, 8)) + [count - 1]
    axes.set_xticks(ticks, [series.weeks[index].strftime("%d %b %y") for index in ticks], fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.set_ylabel("weighted / week", fontsize=7)
    axes.set_title(title, fontsize=9, loc="left")
    axes.legend(fontsize=7, frameon=False, loc="upper left")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.subplots_adjust(left=0.08, right=0.99, top=0.88, bottom=0.15)
    rendered = io.BytesIO()
    figure.savefig(rendered, format="png", facecolor="white")
    return rendered.getvalue()


def as_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
