from django.apps import AppConfig
from django.db.models.signals import pre_save


class CommitmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commitments"
    # Read by corfu_tracker.pending_work: what waits for a user, on the admin index.
    admin_pending_work = "commitments.admin_reports.pending_work"

    def ready(self):
        from .models import Commitment
        from .signals import set_commitment_sort_key

        pre_save.connect(set_commitment_sort_key, sender=Commitment, dispatch_uid="commitment_sort_key")
