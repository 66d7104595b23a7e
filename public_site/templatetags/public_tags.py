from django import template
from django.utils.html import format_html

from public_site import colours

register = template.Library()


@register.simple_tag
def cell_style(cell):
    """Inline colours of a heatmap cell (viridis background, contrasting text)."""
    pair = colours.score_colours(cell.score) if cell is not None and cell.shows_number else None
    if pair is None:
        return ""
    background, text = pair
    return format_html('style="background-color:{};color:{}"', background, text)


@register.filter
def score(value) -> str:
    return "–" if value is None else f"{value:.1f}"


@register.filter
def percent(value) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


@register.filter
def signed(value) -> str:
    return "–" if value is None else f"{value:+.1f}"
