from django.apps import AppConfig

from .staff_groups import STAFF_GROUP_PERMISSIONS


class ScorecardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scorecards"
    # Read by commitments.staff_groups.all_staff_groups(): staff groups read scorecards.
    staff_group_permissions = STAFF_GROUP_PERMISSIONS

    def ready(self):
        from . import receivers  # noqa: F401
