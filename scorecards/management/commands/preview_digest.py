"""Write a digest to files so a person can look at it before subscribers do.

    manage.py preview_digest EMAIL [--period 2026-Q3|2026-11] [--out var/previews/]

Uses the subscription with that address, or an unsaved one following all States
and dimensions (quarterly). Writes the HTML (charts inlined as data: URIs), the
plain-text part, each chart as a PNG and the whole message as .eml. Sends nothing
and records no delivery.
"""

import base64
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from scorecards import emails
from scorecards.digests import Edition, scores_exist
from scorecards.models import Frequency, Scorecard, Subscription
from scorecards.subscriptions import digest_for_subscription


class Command(BaseCommand):
    help = "Write a subscriber's digest (HTML, text, PNG charts, .eml) to a directory instead of sending it."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--period", help="Edition: 2026-Q3 (quarterly) or 2026-11 (monthly). Default: the latest.")
        parser.add_argument(
            "--out",
            default=str(Path(settings.BASE_DIR) / "var" / "previews"),
            help="Directory to write the preview into (created if missing). Default: var/previews/.",
        )

    def handle(self, *args, email, period, out, **options):
        subscription = Subscription.objects.filter(email__iexact=email).first()
        if subscription is None:
            self.stdout.write(f"No subscription for {email}: previewing one that follows all States (not saved).")
            subscription = Subscription(email=email, frequency=Frequency.QUARTERLY)
        try:
            edition = self._edition(period, subscription.frequency)
        except ValueError as exc:
            raise CommandError(str(exc)) from None

        digest = digest_for_subscription(subscription=subscription, edition=edition)
        message = emails.digest_message(digest=digest)
        html = message.alternatives[0][0]
        for state in digest.states:
            data = base64.b64encode(state.chart_png).decode("ascii")
            html = html.replace(f"cid:{state.content_id}", f"data:image/png;base64,{data}")

        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        stem = f"digest-{re.sub(r'[^A-Za-z0-9.-]+', '_', subscription.email)}-{edition.label}"
        (directory / f"{stem}.html").write_text(html, encoding="utf-8")
        (directory / f"{stem}.txt").write_text(message.body, encoding="utf-8")
        (directory / f"{stem}.eml").write_bytes(message.message().as_bytes())
        for state in digest.states:
            (directory / f"{stem}-{state.chart_filename}").write_bytes(state.chart_png)
        self.stdout.write(f"Subject: {message.subject}")
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {stem}.html, .txt, .eml and {len(digest.states)} chart(s) to {directory}")
        )

    def _edition(self, label: str | None, frequency: str) -> Edition:
        if label:
            edition = Edition.parse(label)
            if not scores_exist(edition.quarter.label):
                self.stderr.write(f"Warning: no scorecards for {edition.quarter.label}; the digest will be empty.")
            return edition
        edition = Edition.latest(frequency, timezone.localdate())
        if scores_exist(edition.quarter.label):
            return edition
        latest = Scorecard.objects.filter(period__kind="quarter").order_by("-period__start").first()
        if latest is None:
            raise ValueError("There are no quarterly scorecards yet: run compute_scorecards first.")
        self.stdout.write(
            f"No scorecards for {edition.quarter.label} yet: previewing the latest scored quarter, {latest.period}."
        )
        return Edition.parse(latest.period.label)
