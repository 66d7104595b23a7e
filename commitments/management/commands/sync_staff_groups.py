from django.contrib.auth.models import Group, Permission
from django.core.management import BaseCommand

from commitments.staff_groups import STAFF_GROUPS, all_staff_groups, sync_staff_groups


class Command(BaseCommand):
    help = "Create the Reporters, Reviewers and Catalogue editors groups and reset their permissions. Safe to rerun."

    def handle(self, *args, **options):
        sync_staff_groups(group_model=Group, permission_model=Permission, groups=all_staff_groups())
        self.stdout.write(f"Synced groups: {', '.join(STAFF_GROUPS)}")
