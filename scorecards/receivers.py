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
    transaction.on_commit(lambda: _enqueue_recompute(state_code, observed_on.isoformat()))


def _enqueue_recompute(state_code: str, observed_on: str) -> None:
    # Runs after the report is committed: a broker outage must not turn a saved review into
    # an error for the reviewer. The nightly recompute of recent periods catches up.
    try:
        tasks.recompute_state_for_report.delay(state_code, observed_on)
    except BrokerUnavailable:
        logger.exception("could not queue the scorecard recompute for %s (report observed %s)", state_code, observed_on)


@receiver(followup_inputs_changed, dispatch_uid="scorecards_recompute_followup_on_assessment_change")
def recompute_followup_on_assessment_change(sender, *, state_code, since, **kwargs):
    transaction.on_commit(lambda: _enqueue_followup(state_code, since.isoformat()))


def _enqueue_followup(state_code: str, since: str) -> None:
    # As for reports: after the commit, and a broker outage leaves it to the nightly stale sweep.
    try:
        tasks.recompute_followup_since.delay(state_code, since)
    except BrokerUnavailable:
        logger.exception("could not queue the follow-up recompute for %s (assessment of %s)", state_code, since)
