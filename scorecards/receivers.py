import logging

from django.db import transaction
from django.dispatch import receiver
from kombu.exceptions import OperationalError as BrokerUnavailable

from commitments.signals import verified_reports_changed
from recommendations.signals import followup_inputs_changed

from . import tasks

logger = logging.getLogger(__name__)


@receiver(verified_reports_changed, dispatch_uid="scorecards_recompute_on_report_change")
def recompute_on_report_change(sender, *, state_code, observed_on, **kwargs):
    what = f"scorecard recompute for {state_code} (report observed {observed_on})"
    transaction.on_commit(
        lambda: _enqueue(tasks.recompute_state_for_report, state_code, observed_on.isoformat(), what=what)
    )


@receiver(followup_inputs_changed, dispatch_uid="scorecards_recompute_followup_on_assessment_change")
def recompute_followup_on_assessment_change(sender, *, state_code, since, **kwargs):
    what = f"follow-up recompute for {state_code} (assessment of {since})"
    transaction.on_commit(lambda: _enqueue(tasks.recompute_followup_since, state_code, since.isoformat(), what=what))


def _enqueue(task, *args, what: str) -> None:
    # Runs after the review is committed: a broker outage must not turn a saved review into
    # an error for the reviewer. The nightly recompute of stale periods catches up.
    try:
        task.delay(*args)
    except BrokerUnavailable:
        logger.exception("could not queue the %s", what)
