import logging

from django.db import transaction
from django.dispatch import receiver
from kombu.exceptions import OperationalError as BrokerUnavailable

from commitments.signals import verified_reports_changed

from . import tasks

logger = logging.getLogger(__name__)


@receiver(verified_reports_changed, dispatch_uid="early_warning_evaluate_on_report_change")
def evaluate_on_report_change(sender, *, report_id, **kwargs):
    # The same on-commit path as the scorecard recompute (scorecards/receivers.py).
    transaction.on_commit(lambda: _enqueue(report_id))


def _enqueue(report_id: int) -> None:
    # After the commit: a broker outage must not turn a saved review into an error; the nightly sweep catches up.
    try:
        tasks.evaluate_series_for_report.delay(report_id)
    except BrokerUnavailable:
        logger.exception("could not queue the early-warning evaluation for report %s", report_id)
