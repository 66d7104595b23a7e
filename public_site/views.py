from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.throttling import ScopedRateThrottle

from scorecards import subscriptions
from scorecards.charts import chart_svg
from scorecards.models import DEFAULT_METHOD

from . import colours, selectors
from .documents import document_html
from .forms import CommitmentFilterForm, HeatmapForm, SubscribeForm

FRAGMENT_SECONDS = 24 * 3600  # keyed by data version: a recompute changes the key, time only frees memory


def _fragment_key(*parts) -> str:
    return ":".join(["public", *(str(part) for part in parts), get_language() or ""])


def _heatmap_choices(version: str) -> dict:
    """Periods with scores, groups and sort keys: the same until the next recompute."""
    key = _fragment_key("heatmap-choices", version)
    choices = cache.get(key)
    if choices is None:
        periods = selectors.periods_computed(method=DEFAULT_METHOD)
        default = selectors.period_default(periods=periods)
        columns, _ids = selectors._columns()
        choices = {
            "periods": [period.label for period in periods],
            "default": default.label if default else None,
            "groups": selectors.groups_list(),
            "sort_keys": selectors.sort_keys(columns),
        }
        cache.set(key, choices, FRAGMENT_SECONDS)
    return choices


def _sort_headers(heatmap: selectors.Heatmap, *, group_slug: str) -> list[dict]:
    """Each sortable column: its label, aria-sort and the link that sorts by it (again: the other way)."""
    labels = [("name", _("State")), ("code", _("Code"))] + [(column.slug, column.name) for column in heatmap.columns]
    current = heatmap.sort.lstrip("-")
    descending = heatmap.sort.startswith("-")
    headers = []
    for key, label in labels:
        aria = None
        next_sort = key if key in ("name", "code") else f"-{key}"  # scores: best first on the first click
        if key == current:
            aria = "descending" if descending else "ascending"
            next_sort = key if descending else f"-{key}"
        query = urlencode({"period": heatmap.period.label, "group": group_slug, "sort": next_sort})
        headers.append({"key": key, "label": label, "aria_sort": aria, "href": f"?{query}"})
    return headers


def _cached_page(key: str, build) -> HttpResponse:
    """The whole page from the cache, or built, rendered and cached. Public pages carry nothing
    personal (no form token, no user), so one copy serves everybody."""
    content = cache.get(key)
    if content is None:
        response = build()
        if response.status_code == 200:
            cache.set(key, response.content, FRAGMENT_SECONDS)
        return response
    return HttpResponse(content)


@require_safe
def home(request):
    """The heatmap, cached whole per (period, method, group, sort, language, data version)."""
    version = request.data_version = selectors.data_version()
    choices = _heatmap_choices(version)
    form = HeatmapForm(
        request.GET, periods=choices["periods"], groups=choices["groups"], sort_keys=choices["sort_keys"]
    )
    context = {"form": form, "choices": choices, "version": version}
    if not form.is_valid():
        return render(request, "public/home.html", context, status=400)
    period_label = form.cleaned_data["period"] or choices["default"]
    group_slug = form.cleaned_data["group"] or selectors.ALL_STATES
    sort = form.cleaned_data["sort"] or "name"
    context.update(period_label=period_label, group_slug=group_slug, sort=sort)
    if period_label is None:
        return render(request, "public/home.html", context)

    def build() -> HttpResponse:
        period = selectors.period_get(label=period_label)
        group = selectors.group_get(slug=group_slug)
        heatmap = selectors.heatmap_build(period=period, group=group, sort=sort, method=DEFAULT_METHOD)
        table = render_to_string(
            "public/_heatmap.html",
            {
                "heatmap": heatmap,
                "headers": _sort_headers(heatmap, group_slug=group_slug),
                "legend": colours.legend(),
                "group_slug": group_slug,
            },
        )
        return render(request, "public/home.html", {**context, "table": mark_safe(table)})

    return _cached_page(_fragment_key("home", period_label, DEFAULT_METHOD, group_slug, sort, version), build)


@require_safe
def state_detail(request, code: str):
    """A State's page, cached whole per (State, method, language, data version)."""
    version = request.data_version = selectors.data_version()

    def build() -> HttpResponse:
        state = selectors.state_get(code=code)
        if state is None:
            raise Http404
        if code != state.code:
            # One address per State page: /states/at/ is /states/AT/.
            return redirect("public:state", code=state.code, permanent=True)
        choices = _heatmap_choices(version)
        period = selectors.period_get(label=choices["default"]) if choices["default"] else None
        profile = selectors.state_profile(state=state, period=period, method=DEFAULT_METHOD)
        charts = {
            series.slug: mark_safe(
                chart_svg(
                    title=f"{state.name}: {series.name}",
                    points=tuple(series.points),
                    chart_id=f"chart-{state.code}-{series.slug}",
                )
            )
            for series in profile.series
            if series.points
        }
        body = render_to_string("public/_state_body.html", {"profile": profile, "charts": charts})
        return render(request, "public/state.html", {"state": state, "body": mark_safe(body)})

    return _cached_page(_fragment_key("state", code, DEFAULT_METHOD, version), build)


@require_safe
def commitment_list(request):
    form = CommitmentFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "public/commitments.html", {"form": form, "commitments": []}, status=400)
    data = form.cleaned_data
    commitments = selectors.commitments_list(
        dimension=data["dimension"], document=data["document"], theme=data["theme"], search=data["q"]
    )
    return render(request, "public/commitments.html", {"form": form, "commitments": commitments})


@require_safe
def commitment_detail(request, code: str):
    commitment = selectors.commitment_get(code=code)
    if commitment is None:
        raise Http404
    grid = selectors.commitment_status_grid(commitment=commitment)
    return render(request, "public/commitment.html", {"commitment": commitment, "grid": grid})


@require_safe
def about(request):
    return render(request, "public/about.html")


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
