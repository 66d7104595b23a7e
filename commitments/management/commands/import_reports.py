from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

from commitments.imports import (
    OPTIONAL_COLUMNS,
    PROGRESS_EVERY,
    REQUIRED_COLUMNS,
    ImportFileError,
    dataset_from_file,
    reports_import,
)
from corfu_tracker.progress import CommandProgress


class Command(BaseCommand):
    help = (
        "Import reports from a CSV or XLSX file, all or nothing. Rows arrive as submitted, with --user as submitter. "
        f"Columns: {', '.join(REQUIRED_COLUMNS)} [, {', '.join(OPTIONAL_COLUMNS)}]. "
        f"Files of more than {PROGRESS_EVERY:,} rows show their progress: a bar on a terminal, "
        "a line every tenth otherwise (none with --verbosity 0)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="User name of the submitter (a staff account).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and save nothing.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named “{options['user']}”.") from None
        try:
            dataset = dataset_from_file(content=path.read_bytes(), filename=path.name)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc

        progress = None
        if dataset.height > PROGRESS_EVERY and options["verbosity"] > 0:
            progress = CommandProgress(out=self.stdout, total=dataset.height)
        result = reports_import(dataset=dataset, user=user, dry_run=options["dry_run"], progress=progress)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(result.errors)} problem(s) in {result.rows} row(s).")
        if result.dry_run:
            self.stdout.write(f"Dry run: all {result.rows} row(s) are valid; nothing saved.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.created} report(s) as submitted by {user}."))
