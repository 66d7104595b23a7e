"""The heatmap's colour scale: viridis (colour-blind safe, and its lightness rises steadily, so it
reads in greyscale too), with a text colour chosen per cell for contrast."""

from decimal import Decimal
from functools import lru_cache

from matplotlib import colormaps

SCALE = "viridis"
LEGEND_STOPS = (0, 20, 40, 60, 80, 100)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(first: float, second: float) -> float:
    lighter, darker = max(first, second), min(first, second)
    return (lighter + 0.05) / (darker + 0.05)


@lru_cache(maxsize=1024)
def _colours(score_tenths: int) -> tuple[str, str]:
    red, green, blue, _alpha = colormaps[SCALE](score_tenths / 1000)
    background = "#{:02x}{:02x}{:02x}".format(*(round(value * 255) for value in (red, green, blue)))
    luminance = _luminance((red, green, blue))
    # Black or white text, whichever contrasts more with the cell (WCAG relative luminance).
    text = "#000000" if _contrast(luminance, 0.0) >= _contrast(luminance, 1.0) else "#ffffff"
    return background, text


def score_colours(score: Decimal | float | None) -> tuple[str, str] | None:
    """(background, text) colours for a 0-100 score; None for no score."""
    if score is None:
        return None
    tenths = max(0, min(1000, round(float(score) * 10)))
    return _colours(tenths)


def legend() -> list[tuple[int, str, str]]:
    return [(stop, *score_colours(stop)) for stop in LEGEND_STOPS]
