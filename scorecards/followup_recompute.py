"""The follow-up index alone, recomputed for one State when its verified assessments change.

The full recompute (services.scorecards_compute_periods) writes the follow-up rows with the scorecards.
A verified or retracted assessment moves no score, only the follow-up rows of the periods ending on or
after its date, so this rewrites those rows (the State's and the groups') in the periods already computed,
under the same period locks as the full recompute. The nightly stale sweep catches anything missed.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from recommendations.followup import followup_compute_periods
from states.models import State

from .models import DEFAULT_METHOD, Period


def followup_compute_since(*, state_code: str, since: datetime.date) -> list[str]:
    """Recompute one State's follow-up rows in every computed period ending on or after `since`."""
    if not State.objects.filter(code=state_code).exists():
        return []
    with transaction.atomic():
        periods = list(
            Period.objects.select_for_update()
            .filter(pk__in=Period.objects.filter(end__gte=since, scorecard__isnull=False).values("pk"))
            .order_by("pk")
        )
        followup_compute_periods(
            periods=periods, state_code=state_code, method_version=DEFAULT_METHOD, computed_at=timezone.now()
        )
    return sorted(period.label for period in periods)
