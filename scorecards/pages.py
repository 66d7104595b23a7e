"""Plain HTML pages for subscribers: confirm a subscription, unsubscribe. No login, never a 500."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import subscriptions
from .subscriptions import ConfirmOutcome, UnsubscribeOutcome

CONFIRM_STATUS = {
    ConfirmOutcome.CONFIRMED: 200,
    ConfirmOutcome.ALREADY_CONFIRMED: 200,
    ConfirmOutcome.EXPIRED: 400,
    ConfirmOutcome.INVALID: 400,
    ConfirmOutcome.CANCELLED: 400,
}
UNSUBSCRIBE_STATUS = {
    UnsubscribeOutcome.UNSUBSCRIBED: 200,
    UnsubscribeOutcome.ALREADY_UNSUBSCRIBED: 410,
    UnsubscribeOutcome.UNKNOWN: 404,
}
NO_INDEX = {"X-Robots-Tag": "noindex", "Cache-Control": "no-store"}


def mask_email(email: str) -> str:
    """a***@example.org: enough to recognise, not enough to harvest from a forwarded link."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _page(request: HttpRequest, template: str, context: dict, status: int) -> HttpResponse:
    context = {"subscribe_url": settings.SUBSCRIBE_PAGE_URL, **context}
    response = render(request, f"scorecards/{template}", context, status=status)
    for header, value in NO_INDEX.items():
        response[header] = value
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET confirms; POST (the button on the expired-link page) asks for a new link."""
    if request.method == "POST":
        sent = subscriptions.subscription_resend_confirmation(token=token)
        return _page(request, "confirm.html", {"outcome": "resent" if sent else "invalid"}, 200 if sent else 400)
    result = subscriptions.subscription_confirm(token=token)
    context = {"outcome": str(result.outcome), "subscription": result.subscription}
    return _page(request, "confirm.html", context, CONFIRM_STATUS[result.outcome])


@csrf_exempt  # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" with no cookie or token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET only asks (mail scanners prefetch links); POST unsubscribes, once."""
    if request.method == "POST":
        outcome = subscriptions.subscription_unsubscribe(token=token)
        return _page(request, "unsubscribe.html", {"outcome": str(outcome)}, UNSUBSCRIBE_STATUS[outcome])
    subscription = subscriptions.subscription_for_unsubscribe_token(token=token)
    if subscription is None:
        outcome = UnsubscribeOutcome.UNKNOWN
    elif subscription.unsubscribed_at:
        outcome = UnsubscribeOutcome.ALREADY_UNSUBSCRIBED
    else:
        context = {"outcome": "ask", "subscription": subscription, "masked_email": mask_email(subscription.email)}
        return _page(request, "unsubscribe.html", context, 200)
    return _page(request, "unsubscribe.html", {"outcome": str(outcome)}, UNSUBSCRIBE_STATUS[outcome])
