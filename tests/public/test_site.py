"""What every page shares: navigation, licence, method version, the synthetic data banner; the about page;
and pages never stale after a recompute."""

import datetime

import pytest
from django.conf import settings

from commitments.models import ReportSource
from scorecards.services import scorecards_compute_period
from tests.factories import CommitmentFactory, ReportFactory, StateFactory

pytestmark = pytest.mark.django_db
BANNER = "Synthetic demo data."


@pytest.mark.parametrize("path", ["/", "/commitments/", "/about/", "/methodology/", "/subscribe/"])
def test_footer_gives_the_data_licence_and_method_version(client, dims, path):
    html = client.get(path).content.decode()
    assert "CC BY 4.0" in html and "scoring method 2" in html
    assert 'href="/commitments/"' in html and 'href="/about/"' in html


def test_about_says_who_runs_it_licence_and_synthetic_data(client, dims):
    html = client.get("/about/").content.decode()
    assert "independent project" in html and "not an OSCE publication" in html
    assert "CC BY 4.0" in html and 'id="demo-data"' in html


def test_locale_middleware_is_on():
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_a_recompute_changes_the_cached_pages(client, dims):
    """Pages are cached per data version; a recompute commits new rows and so a new version."""
    austria = StateFactory(code="AT", name="Austria")
    commitments = [CommitmentFactory(dimension=dims["human"]) for _ in range(4)]
    for commitment in commitments:
        ReportFactory(
            state=austria, commitment=commitment, level="full", observed_on=datetime.date(2025, 8, 1), verified=True
        )
    scorecards_compute_period(period="2025-Q3")
    human = 'class="col-human"'
    before_home = client.get("/?period=2025-Q3&sort=-human").content.decode()
    before_state = client.get("/states/AT/").content.decode()
    assert human in before_home and "<td>100.0</td>" in before_state
    ReportFactory(
        state=austria, commitment=commitments[0], level="none", observed_on=datetime.date(2025, 9, 1), verified=True
    )
    scorecards_compute_period(period="2025-Q3")
    after_home = client.get("/?period=2025-Q3&sort=-human").content.decode()
    after_state = client.get("/states/AT/").content.decode()
    assert "<td>75.0</td>" in after_state and "<td>100.0</td>" not in after_state
    assert after_home != before_home


def test_banner_follows_the_data_version(client, dims):
    """The check is cached per data version: a recompute (which follows every verified report) refreshes it."""
    state = StateFactory(code="AT", name="Austria")
    assert BANNER not in client.get("/about/").content.decode()
    ReportFactory(state=state, source=ReportSource.SYNTHETIC_DEMO, observed_on=datetime.date(2025, 8, 1), verified=True)
    scorecards_compute_period(period="2025-Q3")
    assert BANNER in client.get("/about/").content.decode()
