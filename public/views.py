from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.throttling import ScopedRateThrottle

from scorecards import subscriptions

from .documents import document_html
from .forms import SubscribeForm


@require_safe
def home(request):
    return render(request, "public/home.html")


@require_safe
def methodology(request):
    return render(request, "public/document.html", {"document": mark_safe(document_html("methodology"))})


class _SubscribeThrottleScope:
    # The same scope and rate as POST /api/v1/subscriptions/: one budget per address, whichever door it uses.
    throttle_scope = "subscribe"


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if not ScopedRateThrottle().allow_request(request, _SubscribeThrottleScope()):
            return render(request, "public/subscribe.html", {"form": form, "throttled": True}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            subscriptions.subscription_subscribe(
                email=data["email"],
                state_codes=[state.code for state in data["states"]],
                dimension_slugs=[dimension.slug for dimension in data["dimensions"]],
                frequency=data["frequency"],
            )
            return render(request, "public/subscribe_done.html")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "public/subscribe.html", {"form": form}, status=status)
