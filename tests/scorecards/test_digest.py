"""The digest's content (scorecards/digests.py, scorecards/emails.py), both parts, against known numbers."""

import datetime
import email
import re
from email import policy

import pytest
import time_machine
from django.core.management import call_command

from scorecards import emails
from scorecards.digests import Edition, render_chart
from scorecards.subscriptions import digest_for_subscription, unsubscribe_url
from tests.factories import ReportFactory
from tests.scorecards.factories import SubscriptionFactory, dimensions, known_scores, scorecard

pytestmark = pytest.mark.django_db

Q3 = Edition.parse("2026-Q3")


@pytest.fixture
def known(db):
    return known_scores()


@pytest.fixture
def subscription(known):
    states, _ = known
    return SubscriptionFactory(email="ana@example.org", states=[states["AT"], states["FR"]])


@pytest.fixture
def message(subscription):
    return emails.digest_message(digest=digest_for_subscription(subscription=subscription, edition=Q3))


def parts(message):
    """(text, html) of a built message."""
    return message.body, message.alternatives[0][0]


def test_edition_for_quarterly_is_the_quarter_just_ended():
    assert Edition.latest("quarterly", datetime.date(2026, 10, 1)).label == "2026-Q3"


def test_monthly_edition_is_the_month_just_ended_carrying_the_last_complete_quarter():
    edition = Edition.latest("monthly", datetime.date(2026, 12, 1))
    assert (edition.label, edition.quarter.label) == ("2026-11", "2026-Q3")


def test_monthly_edition_for_december_carries_the_fourth_quarter():
    assert Edition.parse("2026-12").quarter.label == "2026-Q4"


def test_edition_rejects_a_year():
    with pytest.raises(ValueError, match="not a digest edition"):
        Edition.parse("2026")


@pytest.mark.parametrize("part", [0, 1], ids=["text", "html"])
def test_both_parts_name_each_state(message, part):
    content = parts(message)[part]
    assert "Austria" in content and "France" in content


@pytest.mark.parametrize("part", [0, 1], ids=["text", "html"])
def test_both_parts_have_scores_per_dimension_and_overall(message, part):
    content = parts(message)[part]
    for name in ["Politico-military", "Economic and environmental", "Human", "Overall"]:
        assert name in content
    for score in ["72.5", "60.0", "55.0", "62.5", "65.0", "70.0", "58.0", "64.3"]:
        assert score in content


@pytest.mark.parametrize("part", [0, 1], ids=["text", "html"])
def test_both_parts_show_trend_with_the_right_arrow(message, part):
    content = parts(message)[part]
    assert "▲ +2.5" in content  # AT politico-military up
    assert "▼ -3.0" in content  # AT economic down
    assert "▶ 0.0" in content  # AT human flat
    assert "▶ n/a" in content  # FR economic: no earlier score
    assert "▼ -0.7" in content  # FR overall


@pytest.mark.parametrize("part", [0, 1], ids=["text", "html"])
def test_both_parts_show_coverage_as_percent(message, part):
    content = parts(message)[part]
    for coverage in ["80%", "50%", "100%", "75%", "25%", "67%"]:
        assert coverage in content


@pytest.mark.parametrize("part", [0, 1], ids=["text", "html"])
def test_both_parts_show_rank_among_ranked_states(message, part):
    content = parts(message)[part]
    assert "1 of 2" in content and "2 of 2" in content


def test_text_part_shows_violation_count_on_each_row(message):
    text = parts(message)[0]
    austria = text[text.index("AUSTRIA") : text.index("FRANCE")]
    overall = next(line for line in austria.splitlines() if line.strip().startswith("Overall "))
    assert overall.split()[-1] == "3"
    pm = next(line for line in text[text.index("FRANCE") :].splitlines() if "Politico-military" in line)
    assert pm.split()[-1] == "4"


def test_html_part_shows_violation_count_on_each_row(message):
    html = parts(message)[1]
    austria = html[html.index("Austria") : html.index("France")]
    overall_row = austria[austria.index(">Overall<") :].split("</tr>")[0]
    assert re.findall(r">\s*(\d+)\s*</td>", overall_row)[-1] == "3"


@pytest.mark.parametrize("part", [0, 1], ids=["text", "html"])
def test_both_parts_link_to_the_states_scorecards_in_the_api(message, part, settings):
    content = parts(message)[part]
    assert f"{settings.SITE_URL}/api/v1/scorecards/?state=AT" in content.replace("&amp;", "&")


def test_html_references_each_chart_by_content_id(message):
    html = parts(message)[1]
    assert 'src="cid:chart-AT-2026-Q3@corfu-tracker"' in html
    assert 'src="cid:chart-FR-2026-Q3@corfu-tracker"' in html


def test_each_chart_is_an_inline_png_part_with_that_content_id(message):
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    images = {part["Content-ID"]: part for part in parsed.walk() if part.get_content_type() == "image/png"}
    assert set(images) == {"<chart-AT-2026-Q3@corfu-tracker>", "<chart-FR-2026-Q3@corfu-tracker>"}
    assert images["<chart-AT-2026-Q3@corfu-tracker>"].get_content().startswith(b"\x89PNG")
    assert parsed.get_content_type() == "multipart/related"


def test_chart_alt_text_describes_the_series(message):
    html = parts(message)[1]
    assert 'alt="Overall score of Austria, 2024-Q4 to 2026-Q3: 61.0 to 62.5"' in html
    # France has no score for 2024-Q4: the description starts at its first score.
    assert 'alt="Overall score of France, 2024-Q4 to 2026-Q3: 66.0 to 64.3"' in html


def test_chart_is_a_small_png():
    png = render_chart("Austria", (("2026-Q2", None), ("2026-Q3", 50)))
    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (480, 200)
    assert len(png) < 15_000


def test_text_part_lists_the_eight_quarter_series(message):
    assert "2024-Q4 61.0, 2025-Q1 60.0" in parts(message)[0]


def test_only_followed_dimensions_are_shown(known):
    states, dimensions = known
    subscription = SubscriptionFactory(states=[states["AT"]], dimensions=[dimensions["human"]])
    text, html = parts(emails.digest_message(digest=digest_for_subscription(subscription=subscription, edition=Q3)))
    assert "Human" in text and "Overall" in text
    assert "Politico-military" not in text and "Politico-military" not in html


def test_no_states_chosen_means_all_participating_states(known):
    digest = digest_for_subscription(subscription=SubscriptionFactory(), edition=Q3)
    assert [state.state.code for state in digest.states] == ["AT", "FR"]
    assert digest.all_states


def test_says_demo_data_when_a_verified_report_is_synthetic(subscription):
    ReportFactory(verified=True, source="synthetic_demo")
    message = emails.digest_message(digest=digest_for_subscription(subscription=subscription, edition=Q3))
    text, html = parts(message)
    assert "Includes synthetic demo data" in text and "Includes synthetic demo data" in html


def test_says_nothing_about_demo_data_without_synthetic_reports(message):
    assert "synthetic demo data" not in message.body


def test_digest_carries_the_unsubscribe_link_in_both_parts(message, subscription):
    link = unsubscribe_url(subscription)
    text, html = parts(message)
    assert link in text and link in html


def test_digest_has_list_unsubscribe_headers(message, subscription):
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url(subscription)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    rendered = message.message()
    assert rendered["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_subject_names_the_period_and_states(message):
    assert message.subject == "OSCE scorecards 2026-Q3, quarterly digest: Austria, France"


def test_subject_names_the_period_once(message):
    assert message.subject.count("2026-Q3") == 1


def test_monthly_subject_names_the_quarter_and_the_month_once_without_a_doubled_full_stop(subscription):
    subscription.frequency = "monthly"
    subscription.save()
    digest = digest_for_subscription(subscription=subscription, edition=Edition.parse("2026-11"))

    subject = emails.digest_message(digest=digest).subject

    assert subject == "OSCE scorecards 2026-Q3, November 2026 monthly digest: Austria, France"


@time_machine.travel(datetime.datetime(2026, 10, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_preview_digest_writes_html_with_inline_images_and_eml(subscription, tmp_path):
    call_command("preview_digest", "ana@example.org", "--out", str(tmp_path), stdout=None)
    html = (tmp_path / "digest-ana_example.org-2026-Q3.html").read_text()
    assert "data:image/png;base64," in html and "cid:" not in html
    eml = email.message_from_bytes((tmp_path / "digest-ana_example.org-2026-Q3.eml").read_bytes())
    assert eml["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (tmp_path / "digest-ana_example.org-2026-Q3-AT-2026-Q3.png").read_bytes().startswith(b"\x89PNG")


def test_preview_digest_for_an_unknown_address_follows_all_states_and_saves_nothing(known, tmp_path):
    from scorecards.models import Subscription

    call_command("preview_digest", "nobody@example.org", "--period", "2026-Q3", "--out", str(tmp_path))
    assert (tmp_path / "digest-nobody_example.org-2026-Q3-FR-2026-Q3.png").exists()
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("part", [0, 1], ids=["text", "html"])
def test_both_parts_show_method_2_with_its_interval_and_mark_insufficient_evidence(db, part):
    from tests.factories import StateFactory

    military, _, human = dimensions()
    netherlands = StateFactory(code="NL", name="Netherlands")
    scorecard(netherlands, "2026-Q3", human, score=71.8, score_low=64.0, score_high=79.6, evidence="sufficient")
    scorecard(netherlands, "2026-Q3", military, score=90.0, score_low=0, score_high=100, evidence="insufficient")
    scorecard(netherlands, "2026-Q3", None, score=80.9, score_low=32.0, score_high=89.8, evidence="insufficient")
    scorecard(netherlands, "2026-Q3", human, score=33.3, method=1)  # method 1: not in the digest
    subscription = SubscriptionFactory(email="nl@example.org", states=[netherlands])

    message = emails.digest_message(digest=digest_for_subscription(subscription=subscription, edition=Q3))

    content = parts(message)[part]
    assert "71.8 (64.0–79.6)" in re.sub(r"<[^>]+>", "", content)  # the HTML keeps the interval on one line
    assert content.count("insufficient evidence") == 2  # politico-military and overall, without their numbers
    for hidden in ["90.0", "80.9", "33.3"]:
        assert hidden not in content
