"""The heatmap at /: each cell is the State's method-2 row, coloured, with its interval and evidence."""

import re

import pytest
from django.core.cache import cache

from public_site import colours
from tests.factories import MembershipFactory, StateFactory, StateGroupFactory

from .conftest import card, group_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(dims):
    """Austria and France in 2025-Q3 and 2025-Q4, with method 1 rows that must not show."""
    austria = StateFactory(code="AT", name="Austria")
    france = StateFactory(code="FR", name="France")
    for label, shift in (("2025-Q3", 0), ("2025-Q4", 5)):
        card(austria, label, dims["human"], score=71.8 + shift, low=64.0, high=79.6)
        card(austria, label, dims["politico-military"], score=40.0 + shift, low=30.0, high=50.0, evidence="limited")
        card(austria, label, dims["economic-environmental"], score=55.0, evidence="insufficient")
        card(austria, label, None, score=60.0 + shift, low=50.0, high=70.0)
        card(france, label, dims["human"], score=80.5 + shift, low=75.0, high=86.0)
        card(france, label, None, score=66.6 + shift, low=60.0, high=72.0)
        card(austria, label, dims["human"], score=12.3, method=1)
    return {"AT": austria, "FR": france}


def row_of(html: str, code: str) -> str:
    match = re.search(rf'<tr>\s*<th scope="row"><a href="/states/{code}/">.*?</tr>', html, re.DOTALL)
    assert match, f"no row for {code}"
    return match.group(0)


def test_cells_show_the_method_2_scores_of_the_period(client, scored):
    html = client.get("/?period=2025-Q3").content.decode()
    austria = row_of(html, "AT")
    assert ">71.8<" in austria and ">60.0<" in austria and ">40.0<" in austria
    assert "12.3" not in html  # the method-1 row


def test_default_period_is_the_latest_that_has_ended(client, scored):
    html = client.get("/").content.decode()
    assert "Scores for 2025-Q4" in html
    assert ">76.8<" in row_of(html, "AT")


def test_interval_is_in_the_title_and_in_text_for_screen_readers(client, scored):
    austria = row_of(client.get("/?period=2025-Q3").content.decode(), "AT")
    assert 'title="90% interval 64.0–79.6"' in austria
    assert '<span class="visually-hidden"> (90% interval 64.0 to 79.6)</span>' in austria


def test_thin_evidence_is_hatched_and_says_so(client, scored):
    austria = row_of(client.get("/?period=2025-Q3").content.decode(), "AT")
    limited = re.search(r'<td class="cell thin"[^>]*>.*?</td>', austria).group(0)
    assert ">40.0<" in limited and '<span class="evidence">limited</span>' in limited
    assert '<td class="cell thin insufficient"><span class="num">insufficient evidence</span></td>' in austria
    assert ">55.0<" not in austria  # insufficient evidence is not shown as a number


def test_cell_colour_is_the_viridis_colour_of_its_score(client, scored):
    austria = row_of(client.get("/?period=2025-Q3").content.decode(), "AT")
    background, text = colours.score_colours(71.8)
    assert f'style="background-color:{background};color:{text}"' in austria


def test_a_state_without_a_row_shows_a_dash_with_text(client, scored):
    france = row_of(client.get("/?period=2025-Q3").content.decode(), "FR")
    assert 'class="cell none">–<span class="visually-hidden"> nothing assessed</span>' in france


def test_each_state_links_to_its_page(client, scored):
    html = client.get("/").content.decode()
    assert '<a href="/states/AT/">Austria</a>' in html and '<a href="/states/FR/">France</a>' in html


def test_sort_by_a_dimension_descending_puts_the_best_first_and_unscored_last(client, scored, dims):
    StateFactory(code="DE", name="Germany")
    html = client.get("/?period=2025-Q3&sort=-human").content.decode()
    order = re.findall(r'<a href="/states/(\w\w)/">', html)
    assert order == ["FR", "AT", "DE"]
    assert re.search(r'<th scope="col" aria-sort="descending" class="col-human">', html)


def test_sort_link_reverses_the_current_order_and_keeps_period_and_group(client, scored):
    html = client.get("/?period=2025-Q3&sort=-human").content.decode()
    header = re.search(r'class="col-human">\s*<a href="([^"]+)"', html).group(1)
    assert header == "?period=2025-Q3&amp;group=all&amp;sort=human"


def test_sort_by_name_is_the_default(client, scored):
    html = client.get("/?period=2025-Q3").content.decode()
    assert re.findall(r'<a href="/states/(\w\w)/">', html) == ["AT", "FR"]
    assert 'aria-sort="ascending" class="col-name"' in html


def test_group_filter_shows_members_and_the_groups_own_row(client, scored, dims):
    eu = StateGroupFactory(slug="eu", name="European Union")
    MembershipFactory(group=eu, state=scored["FR"])
    group_card(eu, "2025-Q3", dims["human"], score=80.5, low=75.0, high=86.0)
    html = client.get("/?period=2025-Q3&group=eu").content.decode()
    assert re.findall(r'<a href="/states/(\w\w)/">', html) == ["FR"]
    group_row = re.search(r'<tbody class="group-row">.*?</tbody>', html, re.DOTALL).group(0)
    assert "European Union (mean of members)" in group_row and ">80.5<" in group_row


@pytest.mark.parametrize(
    ("query", "field"), [("period=1999", "Period"), ("group=nowhere", "States"), ("sort=x", "Sort by")]
)
def test_bad_choice_is_a_400_naming_the_field(client, scored, query, field):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert f"{field}: " in response.content.decode()


def test_period_picker_lists_the_computed_periods(client, scored):
    html = client.get("/").content.decode()
    assert '<option value="2025-Q4" selected>' in html and '<option value="2025-Q3">' in html


def test_text_colours_contrast_with_every_cell_colour():
    for tenths in range(0, 1001, 5):
        background, text = colours.score_colours(tenths / 10)
        red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
        luminance = colours._luminance((red, green, blue))
        other = 0.0 if text == "#000000" else 1.0
        assert colours._contrast(luminance, other) >= 4.5


def test_queries_do_not_grow_with_states(client, dims, django_assert_max_num_queries):
    codes = ["AT", "BE", "CH", "DK", "FI", "IE", "NO", "SE", "PT", "ES", "IT", "FR"]
    for first, last in ((0, 2), (2, 12)):
        for code in codes[first:last]:
            state = StateFactory(code=code)
            for dimension in [*dims.values(), None]:
                card(state, "2025-Q3", dimension, score=50, low=40, high=60)
        cache.clear()
        with django_assert_max_num_queries(10):
            assert client.get("/?sort=-overall").status_code == 200


def test_a_warm_page_reads_only_the_data_version(client, scored, django_assert_num_queries):
    client.get("/?period=2025-Q3")
    with django_assert_num_queries(1):
        client.get("/?period=2025-Q3")


def test_the_scale_reads_in_greyscale_lighter_is_higher():
    """Viridis's lightness rises with the score, so a greyscale print keeps the order."""
    lightness = []
    for score in range(0, 101, 5):
        background, _ = colours.score_colours(score)
        rgb = tuple(int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
        lightness.append(colours._luminance(rgb))
    assert lightness == sorted(lightness) and len(set(lightness)) == len(lightness)
