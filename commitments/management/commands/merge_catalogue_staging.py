from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from commitments.catalogue_merge import merge_staging


class Command(BaseCommand):
    help = (
        "Check the research staging files (one JSON file per document) and merge what passes into"
        " fixtures/documents.json, commitments.json and commitment_relations.json. Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument("staging_dir", type=Path, help="Directory of <DOC-CODE>.json staging files.")
        parser.add_argument(
            "--fixtures", type=Path, default=Path(settings.BASE_DIR) / "fixtures", help="Fixture directory."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument("--strict", action="store_true", help="Fail (exit 1) when anything was refused.")

    def handle(self, *args, staging_dir, fixtures, dry_run, strict, **options):
        if not staging_dir.is_dir():
            raise CommandError(f"{staging_dir} is not a directory")
        result = merge_staging(staging_dir=staging_dir, fixtures_dir=fixtures, write=not dry_run)
        out = self.stdout
        out.write(f"Staging files read: {result.files}")
        out.write(f"Documents added: {len(result.documents_added)} {' '.join(result.documents_added)}".rstrip())
        out.write(f"Documents updated: {len(result.documents_updated)} {' '.join(result.documents_updated)}".rstrip())
        out.write(f"Commitments added: {len(result.commitments_added)}")
        out.write(f"Commitments updated: {len(result.commitments_updated)}")
        out.write(f"Relations added: {len(result.relations_added)}")
        for line in result.in_force_ends_set:
            out.write(f"Superseded, in force {line}")
        for problem in result.problems:
            self.stderr.write(f"REFUSED {problem}")
        out.write(f"Refused: {len(result.problems)}" + (" (dry run: nothing written)" if dry_run else ""))
        if strict and result.problems:
            raise CommandError(f"{len(result.problems)} entries refused")
