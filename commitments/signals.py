from django.dispatch import Signal

# Sent, inside the writing transaction, when a report enters or leaves the verified set (verify, retract of a
# verified report). Arguments: report_id, state_code, observed_on.
# Apps that derive data from verified reports (scorecards) listen; this app
# does not know them.
verified_reports_changed = Signal()


def set_commitment_sort_key(sender, instance, raw=False, **kwargs):
    """Fixtures save raw, skipping Commitment.save(): keep the natural sort key right for them too."""
    from .models.catalogue import natural_sort_key

    instance.sort_key = natural_sort_key(instance.code)
