from django.dispatch import Signal

# Sent, inside the writing transaction, when a report enters or leaves the verified set (verify, retract of a
# verified report). Arguments: report_id, state_code, observed_on.
# Apps that derive data from verified reports (scorecards) listen; this app
# does not know them.
verified_reports_changed = Signal()
