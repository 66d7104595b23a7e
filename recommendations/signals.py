from django.dispatch import Signal

# Sent, inside the writing transaction, when the verified follow-up of a State changes: an assessment
# is verified, or a verified one is retracted. Arguments: state_code, since (the assessment's date: the
# follow-up index of every period ending on or after it can move).
# Apps that derive data from verified assessments (scorecards' recompute) listen; this app does not know them.
followup_inputs_changed = Signal()
