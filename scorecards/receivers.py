from django.dispatch import receiver

from commitments.signals import verified_reports_changed

from . import tasks


@receiver(verified_reports_changed, dispatch_uid="scorecards_recompute_on_report_change")
def recompute_on_report_change(sender, *, state_code, observed_on, **kwargs):
    tasks.recompute_state_for_report.delay_on_commit(state_code, observed_on.isoformat())
