"""Everything `make demo` needs after migrate and load_reference. Safe to rerun."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, call_command
from django.utils import timezone

from scorecards.models import Period
from scorecards.periods import periods_of_year
from scorecards.services import scorecards_compute_periods

DEMO_ACCOUNTS = [
    # username, password, superuser, groups
    ("admin", "corfu-demo-admin", True, []),
    ("demo-reporter", "corfu-demo-reporter", False, ["Reporters"]),
    ("demo-reviewer", "corfu-demo-reviewer", False, ["Reviewers"]),
]


class Command(BaseCommand):
    help = "Create demo accounts, top up synthetic demo reports and compute scorecards. For local demos only."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=20000, help="Synthetic reports to have (default 20000).")
        parser.add_argument("--years", type=int, default=8, help="Years of scorecards to compute, up to this year.")
        parser.add_argument("--host", default="127.0.0.1:8000", help="Where the server will listen (for the message).")

    def handle(self, *args, **options):
        call_command("sync_staff_groups", verbosity=0)
        accounts = [self._ensure_account(*account) for account in DEMO_ACCOUNTS]
        call_command("seed_demo", reports=options["reports"], if_fewer=True, stdout=self.stdout)
        call_command("seed_demo_recommendations", recommendations=500, if_fewer=True, stdout=self.stdout)
        this_year = timezone.localdate().year
        years = range(this_year - options["years"] + 1, this_year + 1)
        # Every quarter and year in one statement and one transaction, as `compute_scorecards --year` does.
        scorecards_compute_periods(
            periods=[Period.objects.for_span(span) for year in years for span in periods_of_year(year)]
        )
        self.stdout.write(
            self.style.SUCCESS(f"Scorecards computed for {this_year - options['years'] + 1}-{this_year}.")
        )
        self.stdout.write("\nDemo accounts (local demo only; the reports are SYNTHETIC demo data):")
        for username, password in accounts:
            self.stdout.write(f"  {username:<15} password: {password}")
        host = options["host"]
        self.stdout.write(
            f"Site (heatmap): http://{host}/   Admin: http://{host}/admin/   API: http://{host}/api/v1/\n"
        )

    def _ensure_account(self, username, password, superuser, groups):
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = superuser
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
        return username, password
