"""The shared chart module: PNG for the digests, SVG for the pages, both with a text alternative."""

from decimal import Decimal

from scorecards.charts import Point, chart_png, chart_svg, series_summary

POINTS = (
    Point("2025-Q1", Decimal("60.0"), Decimal("50.0"), Decimal("70.0"), Decimal("0.25")),
    Point("2025-Q2", None),
    Point("2025-Q3", Decimal("64.5"), Decimal("55.0"), Decimal("74.0"), Decimal("0.5")),
)


def test_summary_names_the_span_and_the_first_last_lowest_and_highest_scores():
    assert series_summary(title="Austria: Overall", points=POINTS) == (
        "Austria: Overall, 2025-Q1 to 2025-Q3: from 60.0 to 64.5 (lowest 60.0, highest 64.5)"
    )


def test_summary_of_a_series_without_scores_says_so():
    assert series_summary(title="Malta: Human", points=(Point("2025-Q1", None),)) == (
        "Malta: Human, 2025-Q1 to 2025-Q1: no scores"
    )


def test_svg_is_an_image_labelled_by_its_summary_with_the_band_and_coverage():
    svg = chart_svg(title="Austria: Overall", points=POINTS, chart_id="chart-AT-overall")
    assert svg.startswith('<svg role="img" aria-labelledby="chart-AT-overall-desc"')
    assert '<title id="chart-AT-overall-desc">Austria: Overall, 2025-Q1 to 2025-Q3' in svg
    assert "90% interval" in svg and "coverage (%)" in svg  # legend entries, as text


def test_svg_is_the_same_for_the_same_data():
    first = chart_svg(title="A", points=POINTS, chart_id="c")
    assert chart_svg(title="A", points=POINTS, chart_id="c") == first


def test_png_is_small_and_sized_for_email():
    png = chart_png(title="Austria: overall score", points=POINTS)
    assert png.startswith(b"\x89PNG")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (480, 200)
    assert len(png) < 15_000
