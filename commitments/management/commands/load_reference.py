from django.core.management import BaseCommand, call_command

# Order matters only for readability: loaddata loads all files in one
# transaction and checks constraints at the end.
REFERENCE_FIXTURES = ["states", "groups", "dimensions", "themes", "documents", "commitments", "commitment_relations"]


class Command(BaseCommand):
    help = "Load the reference data (States, groups, dimensions, themes, documents, commitments). Safe to rerun."

    def handle(self, *args, **options):
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=options["verbosity"])
