"""The one chart module: score charts as PNG (email digests) and SVG (the public pages).

Both draw with matplotlib's Figure API (never pyplot's global state) on the same
axes setup, so a State's line looks the same in an email and on its page. Every
chart comes with a text alternative built by `series_summary`; the pages and the
emails also show the numbers as a table.
"""

import functools
import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal

import matplotlib
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from PIL import Image

# No display in workers and commands.
matplotlib.use("Agg")

LINE_COLOUR = "#1f5f8b"
BAND_COLOUR = "#9cc3df"
COVERAGE_COLOUR = "#6b6b6b"
PNG_SIZE_PX = (480, 200)
SVG_SIZE_PX = (640, 240)
DPI = 100


@dataclass(frozen=True)
class Point:
    """One period of a series: its score, the 90% interval (method 2) and the coverage (0 to 1)."""

    label: str
    score: Decimal | None
    low: Decimal | None = None
    high: Decimal | None = None
    coverage: Decimal | None = None


def _nan(value) -> float:
    return float("nan") if value is None else float(value)


def series_summary(*, title: str, points: tuple[Point, ...]) -> str:
    """The text alternative: what the chart shows, its first and last score, and its range."""
    if not points:
        return _("%(title)s: no periods") % {"title": title}
    first, last = points[0].label, points[-1].label
    scored = [point for point in points if point.score is not None]
    if not scored:
        return _("%(title)s, %(first)s to %(last)s: no scores") % {"title": title, "first": first, "last": last}
    values = [point.score for point in scored]
    text = _("%(title)s, %(first)s to %(last)s: from %(start).1f to %(end).1f (lowest %(low).1f, highest %(high).1f)")
    return text % {
        "title": title,
        "first": first,
        "last": last,
        "start": values[0],
        "end": values[-1],
        "low": min(values),
        "high": max(values),
    }


def _draw(figure: Figure, *, title: str, points: tuple[Point, ...], band: bool, coverage: bool, fontsize: int):
    axes = figure.add_subplot()
    positions = list(range(len(points)))
    values = [_nan(point.score) for point in points]
    if coverage and any(point.coverage is not None for point in points):
        # Coverage as pale bars behind the line, on the same 0-100 scale (per cent of in-force commitments).
        axes.bar(
            positions,
            [_nan(point.coverage) * 100 for point in points],
            width=0.6,
            color=COVERAGE_COLOUR,
            alpha=0.18,
            label=_("coverage (%)"),
            zorder=1,
        )
    if band and any(point.low is not None for point in points):
        axes.fill_between(
            positions,
            [_nan(point.low) for point in points],
            [_nan(point.high) for point in points],
            color=BAND_COLOUR,
            alpha=0.6,
            linewidth=0,
            label=_("90% interval"),
            zorder=2,
        )
    axes.plot(positions, values, color=LINE_COLOUR, marker="o", markersize=4, linewidth=2, label=_("score"), zorder=3)
    labelled = range(len(values)) if len(values) <= 12 else [len(values) - 1]  # many points: label the last
    for index in labelled:
        value = values[index]
        if not math.isnan(value):
            axes.annotate(
                f"{value:.1f}",
                (index, value),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=fontsize,
                zorder=4,
            )
    axes.set_ylim(-5, 112)  # room for the marker and label of a 0 or a 100
    axes.set_yticks([0, 25, 50, 75, 100])
    step = max(1, math.ceil(len(points) / 12))  # at most a dozen x labels
    axes.set_xticks(positions[::step], [point.label.replace("-", "\n") for point in points][::step], fontsize=fontsize)
    axes.tick_params(axis="y", labelsize=fontsize)
    axes.set_title(title, fontsize=fontsize + 2, loc="left")
    axes.grid(axis="y", color="#dddddd", linewidth=0.5)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if band or coverage:
        axes.legend(loc="lower right", bbox_to_anchor=(1, 1), fontsize=fontsize, frameon=False, ncols=3)
    return axes


@functools.lru_cache(maxsize=256)
def chart_png(*, title: str, points: tuple[Point, ...]) -> bytes:
    """A 480x200 PNG line chart (for emails; cached: digests share them), about 4 KB."""
    width, height = PNG_SIZE_PX
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    _draw(figure, title=title, points=points, band=False, coverage=False, fontsize=7)
    figure.subplots_adjust(left=0.07, right=0.98, top=0.86, bottom=0.2)
    rendered = io.BytesIO()
    figure.savefig(rendered, format="png", dpi=DPI, facecolor="white")
    # A 32-colour palette keeps each chart near 4 KB instead of 16 KB: a digest of 57 States stays small.
    image = Image.open(rendered).convert("RGB").quantize(colors=32, method=Image.Quantize.MEDIANCUT)
    small = io.BytesIO()
    image.save(small, format="PNG", optimize=True)
    return small.getvalue()


_SVG_START = re.compile(r"^.*?(<svg\b)", re.DOTALL)


def chart_svg(*, title: str, points: tuple[Point, ...], chart_id: str) -> str:
    """An inline SVG chart with the interval as a band and coverage as bars, labelled for screen readers.

    Text stays text (not paths) and ids are stable (`svg.hashsalt`), so the same data gives the same
    markup. The caller caches the page fragment that holds it.
    """
    width, height = SVG_SIZE_PX
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": chart_id, "font.family": "sans-serif"}):
        figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
        _draw(figure, title=title, points=points, band=True, coverage=True, fontsize=8)
        figure.subplots_adjust(left=0.06, right=0.99, top=0.88, bottom=0.2)
        rendered = io.StringIO()
        figure.savefig(rendered, format="svg", facecolor="white", metadata={"Date": None})
    svg = _SVG_START.sub(r"\1", rendered.getvalue(), count=1)
    summary_id = f"{chart_id}-desc"
    label = series_summary(title=title, points=points)
    # role=img with a label: screen readers read the summary, not matplotlib's drawing.
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{summary_id}" class="chart" id="{chart_id}" ',
        1,
    )
    title_tag = f'<title id="{summary_id}">{_escape(label)}</title>'
    return re.sub(r"(<svg\b[^>]*>)", lambda match: match.group(1) + title_tag, svg, count=1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
