"""Emails: one helper renders `emails/<name>-subject.txt`, `-body.txt` and `-body.html`; one function per kind.

The functions build messages and leave sending to the caller (a service), so
that the caller decides what a failure means.
"""

from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .digests import Digest
from .models import Subscription

ONE_CLICK = "List-Unsubscribe=One-Click"


def make_message(name: str, to: str, context: dict, *, headers: dict | None = None) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def confirm_message(
    *, subscription: Subscription, confirm_url: str, unsubscribe_url: str, valid_for: str
) -> EmailMultiAlternatives:
    context = {
        "subscription": subscription,
        "states": [str(state) for state in subscription.states.order_by("name")],
        "dimensions": [dimension.name for dimension in subscription.dimensions.order_by("position", "name")],
        "confirm_url": confirm_url,
        "unsubscribe_url": unsubscribe_url,
        "valid_for": valid_for,
        "site_url": settings.SITE_URL,
    }
    return make_message("confirm", subscription.email, context)


def digest_message(*, digest: Digest) -> EmailMultiAlternatives:
    """The digest with one inline PNG chart per State (multipart/related, referenced as cid:)."""
    headers = {
        # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs here.
        "List-Unsubscribe": f"<{digest.unsubscribe_url}>",
        "List-Unsubscribe-Post": ONE_CLICK,
        "Auto-Submitted": "auto-generated",
    }
    message = make_message("digest", digest.email, {"digest": digest}, headers=headers)
    message.mixed_subtype = "related"
    for state in digest.states:
        image = MIMEImage(state.chart_png, "png")
        image.add_header("Content-ID", f"<{state.content_id}>")
        image.add_header("Content-Disposition", "inline", filename=state.chart_filename)
        message.attach(image)
    return message
