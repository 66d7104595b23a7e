"""Every link in a subscriber email starts with SITE_URL, the public address, in both parts."""

import re

import pytest

from scorecards import emails
from scorecards.digests import Edition
from scorecards.subscriptions import confirm_url, confirm_valid_for, digest_for_subscription, unsubscribe_url
from tests.scorecards.factories import SubscriptionFactory, known_scores

pytestmark = pytest.mark.django_db
SITE = "https://tracker.example.org"
LINK = re.compile(r"https?://[^\s\"'<>)]+")


@pytest.fixture
def subscription(settings):
    settings.SITE_URL = SITE
    states, _ = known_scores()
    return SubscriptionFactory(email="ana@example.org", states=[states["AT"]])


def links(message) -> list[str]:
    return LINK.findall(message.body) + LINK.findall(message.alternatives[0][0].replace("&amp;", "&"))


def test_every_link_in_the_digest_starts_with_site_url(subscription):
    message = emails.digest_message(
        digest=digest_for_subscription(subscription=subscription, edition=Edition.parse("2026-Q3"))
    )

    found = links(message)

    assert len(found) >= 4  # API link and unsubscribe link, in each part
    assert [link for link in found if not link.startswith(f"{SITE}/")] == []


def test_every_link_in_the_confirmation_email_starts_with_site_url(subscription):
    message = emails.confirm_message(
        subscription=subscription,
        confirm_url=confirm_url(subscription),
        unsubscribe_url=unsubscribe_url(subscription),
        valid_for=confirm_valid_for(),
    )

    found = links(message)

    assert len(found) >= 2
    assert [link for link in found if not link.startswith(f"{SITE}/")] == []
