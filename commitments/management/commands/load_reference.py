from django.apps import apps
from django.core.management import BaseCommand, call_command

# Order matters only for readability: loaddata loads all files in one
# transaction and checks constraints at the end.
REFERENCE_FIXTURES = ["states", "groups", "dimensions", "themes", "documents", "commitments", "commitment_relations"]


def reference_fixtures() -> list[str]:
    """REFERENCE_FIXTURES, then those of installed apps above commitments (an app config's `reference_fixtures`)."""
    names = list(REFERENCE_FIXTURES)
    for config in apps.get_app_configs():
        names += [name for name in getattr(config, "reference_fixtures", []) if name not in names]
    return names


class Command(BaseCommand):
    help = (
        "Load the reference data (States, groups, dimensions, themes, documents, commitments, and what installed"
        " apps add, such as institutions and recommendations). Safe to rerun."
    )

    def handle(self, *args, **options):
        call_command("loaddata", *reference_fixtures(), verbosity=options["verbosity"])
