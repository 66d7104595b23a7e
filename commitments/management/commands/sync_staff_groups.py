from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import BaseCommand

from commitments.staff_groups import STAFF_GROUPS, staff_group_permissions, sync_staff_groups


class Command(BaseCommand):
    help = "Create the Reporters, Reviewers and Catalogue editors groups and reset their permissions. Safe to rerun."

    def handle(self, *args, **options):
        groups = staff_group_permissions(app_configs=apps.get_app_configs())
        sync_staff_groups(group_model=Group, permission_model=Permission, groups=groups)
        self.stdout.write(f"Synced groups: {', '.join(STAFF_GROUPS)}")
