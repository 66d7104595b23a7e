"""All-or-nothing bulk import of reports from CSV or XLSX.

Every row is checked against the same rules as the model (`report_content_errors`,
the fields' own limits and validators, no NUL characters) with States and
commitments looked up in memory, so 100,000 rows cost a handful of queries. The dry
run and the import run the very same checks: what the dry run accepts, the database
accepts. One bad row and nothing is written; every bad row is listed.

Untrusted files are bounded before they are parsed: upload size
(IMPORT_MAX_UPLOAD_BYTES), rows (IMPORT_MAX_ROWS), columns (IMPORT_MAX_COLUMNS) and,
for XLSX, the uncompressed size of the zip's entries (IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
read from the zip directory before anything is inflated) and the sheet's declared
dimension. XLSX is read with openpyxl in read-only (streaming) mode.

The columns are defined once, in IMPORT_COLUMNS: the parser reads them, the admin's import
page lists them, the template (`import_template`) holds them with an example row, and the
report exports (the admin's and the API's `layout=import`) write them with `report_import_row`,
so an exported file imports again unchanged. What the exports add for spreadsheets is undone
here: the `'` before text a spreadsheet would run as a formula, and XLSX `_xHHHH_` escapes.
"""

import csv
import datetime
import functools
import io
import logging
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from corfu_tracker.spreadsheets import spreadsheet_original, xlsx_text_original
from states.models import State

from .bulk import reports_bulk_write
from .models import (
    Commitment,
    ImportJob,
    ImportJobStatus,
    Report,
    ReportKind,
    ReportLevel,
    ReportSeverity,
    ReportSource,
    ReportStatus,
)
from .models.reports import (
    SAME_REPORT,
    duplicate_message,
    http_url_validator,
    identity_of,
    report_content_errors,
    staff_source_error,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportColumn:
    """One column of the import file: what the parser reads, the template shows and the export writes."""

    name: str
    required: bool
    description: str
    example: str
    # The report's cell in the format the import reads (the export writes it).
    value: Callable[[Report], object]


# The one definition of the import's columns, in the order the template and the export write them.
IMPORT_COLUMNS = [
    ImportColumn("state", True, "ISO code of the State, e.g. AT.", "AT", lambda r: r.state_id),
    ImportColumn(
        "commitment", True, "Code of the commitment, e.g. COP-1990-7.3.", "COP-1990-7.3", lambda r: r.commitment.code
    ),
    ImportColumn("kind", True, "implementation or violation.", "violation", lambda r: r.kind),
    ImportColumn(
        "level_or_severity",
        True,
        "full, partial or none for an implementation report; minor, serious or grave for a violation report.",
        "serious",
        lambda r: r.level or r.severity,
    ),
    ImportColumn("observed_on", True, "Date observed, YYYY-MM-DD.", "2010-05-04", lambda r: r.observed_on),
    ImportColumn(
        "source",
        True,
        "Code of the source: " + ", ".join(v for v in ReportSource.values if v != ReportSource.SYNTHETIC_DEMO) + ".",
        ReportSource.ODIHR.value,
        lambda r: r.source,
    ),
    ImportColumn(
        "summary",
        True,
        "What was observed, in your own words.",
        "Example: observers found that voters abroad could not register in time.",
        lambda r: r.summary,
    ),
    ImportColumn(
        "source_url",
        False,
        "Link to the source, http(s).",
        "https://www.osce.org/odihr/elections",
        lambda r: r.source_url,
    ),
    ImportColumn(
        "citation",
        False,
        "Where in the source: document, page, paragraph.",
        "Final report, p. 12",
        lambda r: r.citation,
    ),
]
IMPORT_COLUMN_NAMES = [column.name for column in IMPORT_COLUMNS]
REQUIRED_COLUMNS = [column.name for column in IMPORT_COLUMNS if column.required]
OPTIONAL_COLUMNS = [column.name for column in IMPORT_COLUMNS if not column.required]
SUPPORTED_FORMATS = {"csv", "xlsx"}
MAX_XLSX_ENTRIES = 1000  # files inside the zip: a workbook has a few dozen


class ImportedReport(NamedTuple):
    """A checked row: what differs from row to row (workflow fields are the same for the whole import)."""

    state_id: str
    commitment_id: int
    kind: str
    level: str
    severity: str
    observed_on: datetime.date
    summary: str
    source: str
    source_url: str
    citation: str


IMPORTED_FIELDS = list(ImportedReport._fields)  # the columns the COPY writes per row
# Model fields that a column's error is reported against, when they differ.
FIELD_TO_COLUMN = {"level": "level_or_severity", "severity": "level_or_severity"}
# Fields whose model validation the import runs per row (the others are checked, or set, otherwise).
CLEAN_FIELDS = ["kind", "level", "severity", "observed_on", "summary", "source", "source_url", "citation"]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    preview: list[Report] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(ValueError):
    """The file itself cannot be read (format, encoding, header)."""


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        f"The file has more than {settings.IMPORT_MAX_ROWS:,} data rows: split it into smaller files."
    )


def _too_many_columns(count: int) -> ImportFileError:
    return ImportFileError(f"The file has {count:,} columns; at most {settings.IMPORT_MAX_COLUMNS} are read.")


def _bounded_rows(rows, *, width_of: Callable[[Sequence], int]) -> list[list]:
    """Header and data rows, refusing more than IMPORT_MAX_ROWS data rows or IMPORT_MAX_COLUMNS columns.

    Blank rows (spreadsheets keep formatted empty rows) are skipped but counted, so a sheet
    of a million empty rows is refused, not read to the end.
    """
    kept: list[list] = []
    max_rows, max_columns = settings.IMPORT_MAX_ROWS + 1, settings.IMPORT_MAX_COLUMNS  # + the header
    for seen, row in enumerate(rows, start=1):
        if seen > max_rows:
            raise _too_many_rows()
        if len(row) > max_columns and width_of(row) > max_columns:  # a row is never wider than its length
            raise _too_many_columns(width_of(row))
        values = ["" if value is None else value for value in row] if None in row else list(row)
        if values.count("") != len(values):
            kept.append(values)
    return kept


def _csv_rows(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("The CSV file is not UTF-8 encoded.") from exc
    try:
        return _bounded_rows(csv.reader(io.StringIO(text, newline="")), width_of=_width)
    except csv.Error as exc:
        raise ImportFileError(f"The file could not be read as CSV: {exc}") from exc


def _check_xlsx_zip(content: bytes) -> None:
    """Refuse a zip bomb from the zip directory alone: declared sizes, nothing inflated.

    zipfile never inflates an entry past its declared size, so these sizes bound the work.
    """
    try:
        entries = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFileError("The file could not be read as XLSX: it is not a valid .xlsx (zip) file.") from exc
    if len(entries) > MAX_XLSX_ENTRIES:
        raise ImportFileError(f"The XLSX file holds {len(entries):,} parts; a spreadsheet needs far fewer.")
    limit = settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES
    total = sum(entry.file_size for entry in entries)
    if total > limit:
        raise ImportFileError(
            f"The XLSX file unpacks to {total / 1_000_000:,.0f} MB; at most {limit / 1_000_000:,.0f} MB are read. "
            "Save it again without unused sheets, images or formatting, or export it as CSV."
        )


def _xlsx_rows(content: bytes) -> list[list]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_xlsx_zip(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFileError(f"The file could not be read as XLSX: {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        # The declared dimension (<dimension ref="A1:XFD1048576"/>) would have openpyxl pad every
        # row to it: refuse it from the numbers alone, then read without trusting it.
        declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
        if declared_columns > settings.IMPORT_MAX_COLUMNS:
            raise _too_many_columns(declared_columns)
        if declared_rows > settings.IMPORT_MAX_ROWS + 1:
            raise _too_many_rows()
        sheet.reset_dimensions()
        rows = (
            [xlsx_text_original(value) if isinstance(value, str) else value for value in row]
            for row in sheet.iter_rows(max_col=settings.IMPORT_MAX_COLUMNS + 1, values_only=True)
        )
        # A row wider than the limit shows as a value in the one extra column read.
        return _bounded_rows(rows, width_of=_width)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a corrupt sheet
        raise ImportFileError(f"The file could not be read as XLSX: {exc}") from exc
    finally:
        workbook.close()


def _width(row) -> int:
    """Columns up to the last non-empty cell."""
    for index in range(len(row) - 1, -1, -1):
        if row[index] not in (None, ""):
            return index + 1
    return 0


def dataset_from_file(*, content: bytes, filename: str) -> tablib.Dataset:
    """Read an uploaded CSV or XLSX into a dataset, within the limits above (ImportFileError otherwise)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in SUPPORTED_FORMATS:
        raise ImportFileError(f"Unsupported file type “.{extension}”: use .csv or .xlsx.")
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise ImportFileError(f"The file is {len(content) / 1_000_000:,.1f} MB; at most {limit / 1_000_000:,.0f} MB.")
    rows = _csv_rows(content) if extension == "csv" else _xlsx_rows(content)
    if not rows:
        raise ImportFileError("The file is empty: the first row must name the columns.")
    header, data = rows[0], rows[1:]
    width = len(header)
    # Rows padded or cut to the header's width, given at once: appending them one by one re-checks each.
    padded = (row if len(row) == width else (row + [""] * width)[:width] for row in data)
    return tablib.Dataset(*padded, headers=[str(name) for name in header])


def report_import_row(report: Report) -> list:
    """The report as a row of an import file (IMPORT_COLUMNS), for exports and the import page's preview."""
    return [column.value(report) for column in IMPORT_COLUMNS]


TEMPLATE_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def import_template(*, file_format: str) -> bytes:
    """A file to fill in: the import's header and one example row, which itself imports cleanly."""
    dataset = tablib.Dataset(headers=IMPORT_COLUMN_NAMES)
    dataset.append([column.example for column in IMPORT_COLUMNS])
    content = dataset.export(file_format)
    return content.encode("utf-8") if isinstance(content, str) else content


def _source_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in ReportSource.choices:
        lookup[value] = value
        lookup[str(label).lower()] = value
        lookup[value.replace("_", " ")] = value
    return lookup


# The model's choices as plain sets, read once: asking the enum per row costs more than the import's COPY.
KINDS = frozenset(ReportKind.values)
LEVELS = frozenset(ReportLevel.values)
SEVERITIES = frozenset(ReportSeverity.values)
IMPLEMENTATION, VIOLATION = ReportKind.IMPLEMENTATION.value, ReportKind.VIOLATION.value


def _parse_date(raw) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    return datetime.date.fromisoformat(str(raw).strip())


def _cell_text(value) -> str:
    if value is None:
        return ""
    text = value.strip() if type(value) is str else str(value).strip()
    # An exported cell keeps its formula-neutralising quote; it is not part of the text.
    return spreadsheet_original(text) if text[:1] == "'" else text


class _FieldChecks:
    """The model fields' own limits and validators (citation 300 characters, link 500, choices ...), as
    `Model.clean_fields` runs them for the admin form and the API, on a row's values.

    A field with choices, or a date, has few distinct values: its verdict is kept per value, not
    recomputed per row.
    """

    def __init__(self):
        fields = [Report._meta.get_field(name) for name in CLEAN_FIELDS]
        # Per field: where its value is in a row, its name, whether blank skips it, and whether to keep verdicts.
        self.plan = [
            (
                ImportedReport._fields.index(f.attname),
                f,
                f.blank,
                f.empty_values,
                bool(f.choices) or f.get_internal_type() == "DateField",
            )
            for f in fields
        ]
        self.verdicts: dict[tuple[str, object], list[str]] = {}

    def errors(self, values: ImportedReport) -> dict[str, list[str]]:
        errors = {}
        for index, model_field, blank, empty_values, few_values in self.plan:
            value = values[index]
            if blank and value in empty_values:
                continue  # as clean_fields: a blank allowed field is not validated
            if few_values:
                key = (model_field.attname, value)
                messages = self.verdicts.get(key)
                if messages is None:
                    messages = self.verdicts[key] = self._messages(model_field, value)
            else:
                messages = self._messages(model_field, value)
            if messages:
                errors[model_field.name] = messages
        return errors

    @staticmethod
    def _messages(model_field, value) -> list[str]:
        try:
            model_field.clean(value, None)
        except ValidationError as exc:
            return exc.messages
        return []


class _RowParser:
    """Turns rows into checked values (content only: the import sets the workflow fields for all)."""

    def __init__(self, *, today: datetime.date):
        self.today = today
        self.states = {state.code: state for state in State.objects.all()}
        self.commitments = {c.code: c for c in Commitment.objects.all()}
        self.commitments_by_id = {c.pk: c for c in self.commitments.values()}
        self.sources = _source_lookup()
        self.field_checks = _FieldChecks()

    def report(self, values: ImportedReport) -> Report:
        """An unsaved report of checked values, with its State and commitment (for the preview)."""
        fields = values._asdict()
        state, commitment = self.states[fields.pop("state_id")], self.commitments_by_id[fields.pop("commitment_id")]
        return Report(state=state, commitment=commitment, **fields)

    def parse(self, row: dict, line: int) -> tuple[ImportedReport | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(column: str, message: str) -> None:
            errors.append(RowError(line, column, message))

        texts = {column: _cell_text(row.get(column)) for column in IMPORT_COLUMN_NAMES}
        for column, value in texts.items():
            if "\x00" in value:
                # PostgreSQL cannot store it: refused here, so the dry run says what the import would meet.
                fail(column, "Contains a NUL character (\\x00); remove it.")
        if errors:
            return None, errors

        state = self.states.get(texts["state"].upper())
        if state is None:
            fail("state", f"Unknown State code “{texts['state']}”.")
        commitment = self.commitments.get(texts["commitment"])
        if commitment is None:
            fail("commitment", f"Unknown commitment code “{texts['commitment']}”.")

        kind = texts["kind"].lower()
        level = severity = ""
        grade = texts["level_or_severity"].lower()
        if kind == IMPLEMENTATION:
            if grade in SEVERITIES:
                fail("level_or_severity", f"“{grade}” is a severity; an implementation report needs a level.")
            elif grade and grade not in LEVELS:
                fail("level_or_severity", f"Unknown level “{grade}”: use full, partial or none.")
            else:
                level = grade
        elif kind == VIOLATION:
            if grade in LEVELS:
                fail("level_or_severity", f"“{grade}” is a level; a violation report needs a severity.")
            elif grade and grade not in SEVERITIES:
                fail("level_or_severity", f"Unknown severity “{grade}”: use minor, serious or grave.")
            else:
                severity = grade
        else:
            fail("kind", f"Unknown kind “{texts['kind']}”: use implementation or violation.")

        observed_on = None
        try:
            observed_on = _parse_date(row.get("observed_on"))
        except (TypeError, ValueError):
            fail("observed_on", f"“{texts['observed_on']}” is not a date (YYYY-MM-DD).")

        source = self.sources.get(texts["source"].lower())
        if source is None:
            fail("source", f"Unknown source “{texts['source']}”.")
        elif refusal := staff_source_error(source=source):  # synthetic demo data: seed_demo only
            fail("source", refusal)
        source_url = texts["source_url"]
        if source_url:
            try:
                http_url_validator(source_url)
            except ValidationError:
                fail("source_url", f"“{source_url}” is not an http(s) link.")
        summary = texts["summary"]
        if not summary:
            fail("summary", "A summary is required.")

        if kind in KINDS and not any(e.column == "level_or_severity" for e in errors):
            content_errors = report_content_errors(
                kind=kind,
                level=level,
                severity=severity,
                observed_on=observed_on,
                state=state,
                commitment=commitment,
                today=self.today,
            )
            for field_name, message in content_errors.items():
                fail(FIELD_TO_COLUMN.get(field_name, field_name), message)
        if errors:
            return None, errors
        values = ImportedReport(
            state_id=state.pk,
            commitment_id=commitment.pk,
            kind=kind,
            level=level,
            severity=severity,
            observed_on=observed_on,
            summary=summary,
            source=source,
            source_url=source_url,
            citation=texts["citation"],
        )
        # Foreign keys were checked above against the loaded catalogue.
        for field_name, messages in self.field_checks.errors(values).items():
            fail(FIELD_TO_COLUMN.get(field_name, field_name), " ".join(messages))
        if errors:
            return None, errors
        return values, []


def duplicate_row_errors(*, reports: Sequence[ImportedReport], lines: Sequence[int]) -> list[RowError]:
    """A line per row that repeats a standing report in the database or an earlier line of the file.

    "The same report" is Report's identity (REPORT_IDENTITY_FIELDS); the database is asked once per
    chunk of rows (`standing_by_identity`), not once per row.
    """
    identities = [identity_of(report) for report in reports]
    existing = Report.objects.standing_by_identity(identities)
    first_line: dict[tuple, int] = {}
    errors = []
    for identity, line in zip(identities, lines, strict=True):
        if identity in existing:
            pk, status = existing[identity]
            errors.append(RowError(line, "row", duplicate_message(existing_pk=pk, existing_status=status)))
        elif identity in first_line:
            errors.append(RowError(line, "row", f"Duplicate of line {first_line[identity]}: {SAME_REPORT}."))
        else:
            first_line[identity] = line
    return errors


PROGRESS_EVERY = 1000


def reports_import(
    *,
    dataset: tablib.Dataset,
    user,
    dry_run: bool = False,
    preview_size: int = 20,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check every row, then create all reports as submitted by `user`, or none.

    `progress(rows_checked)` is called every PROGRESS_EVERY rows and once at the end (import jobs).
    """
    result = ImportResult(rows=dataset.height, dry_run=dry_run)
    headers = [str(h).strip().lower() for h in (dataset.headers or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        result.errors = [RowError(1, column, "Required column is missing from the header.") for column in missing]
        return result

    parser = _RowParser(today=timezone.localdate())
    reports: list[ImportedReport] = []
    lines: list[int] = []
    for offset, values in enumerate(dataset):
        row = dict(zip(headers, values, strict=False))
        report, errors = parser.parse(row, line=offset + 2)
        result.errors.extend(errors)
        if report is not None:
            reports.append(report)
            lines.append(offset + 2)
        if progress is not None and (offset + 1) % PROGRESS_EVERY == 0:
            progress(offset + 1)
    duplicates = duplicate_row_errors(reports=reports, lines=lines)
    result.errors = sorted([*result.errors, *duplicates], key=attrgetter("line"))

    result.preview = [parser.report(values) for values in reports[:preview_size]]
    if result.errors or dry_run:
        if progress is not None:
            progress(dataset.height)
        return result
    now = timezone.now()
    try:
        result.created = _write(reports=reports, user=user, now=now)
    except DatabaseError as exc:
        # Identical reports written by someone else since the check are refused by the unique index: name them.
        if isinstance(exc, IntegrityError):
            result.errors = duplicate_row_errors(reports=reports, lines=lines)
        if not result.errors:
            # Should not happen (the rows passed the model's checks); if it does, a clear error, nothing saved.
            logger.exception("import by %s refused by the database", user)
            result.errors = [RowError(0, "file", f"The database refused the import, nothing was saved: {exc}")]
    if progress is not None:
        progress(dataset.height)
    return result


def _write(*, reports: list[ImportedReport], user, now) -> int:
    with transaction.atomic():
        return reports_bulk_write(
            varying=IMPORTED_FIELDS,
            rows=iter(reports),
            count=len(reports),
            constants={
                "status": ReportStatus.SUBMITTED,
                "created_by_id": user.pk,
                "submitted_by_id": user.pk,
                "submitted_at": now,
                "created_at": now,
                "updated_at": now,
            },
            history_user=user,
            change_reason="bulk import",
            now=now,
        )


# Import jobs: imports over IMPORT_ASYNC_ROWS rows run in a Celery worker ---------------------------

MAX_JOB_ERRORS = 1000


def import_runs_as_job(*, dataset: tablib.Dataset) -> bool:
    return dataset.height > settings.IMPORT_ASYNC_ROWS


def import_job_create(*, content: bytes, filename: str, user, dry_run: bool, rows_total: int) -> ImportJob:
    """Keep the file and queue the job once the transaction commits; the admin shows its progress."""
    from django.core.files.base import ContentFile

    from .tasks import run_import_job

    job = ImportJob(filename=filename[:255], dry_run=dry_run, rows_total=rows_total, created_by=user)
    job.file.save(filename.rsplit("/", 1)[-1][:100], ContentFile(content), save=False)
    job.save()
    transaction.on_commit(functools.partial(run_import_job.delay, job.pk))
    return job


def import_job_run(*, job_id: int) -> str:
    """Run a queued job once: claimed with a conditional UPDATE, so a second delivery does nothing."""
    now = timezone.now()
    if not ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, started_at=now, updated_at=now
    ):
        return "not-queued"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)

    def progress(rows: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=min(rows, job.rows_total), updated_at=timezone.now())

    errors: list[str] = []
    created = 0
    try:
        with job.file.open("rb") as stored:
            content = stored.read(settings.IMPORT_MAX_UPLOAD_BYTES + 1)
        dataset = dataset_from_file(content=content, filename=job.filename)
        ImportJob.objects.filter(pk=job.pk).update(rows_total=dataset.height)
        job.rows_total = dataset.height
        result = reports_import(dataset=dataset, user=job.created_by, dry_run=job.dry_run, progress=progress)
        errors = [str(error) for error in result.errors]
        created = result.created
    except ImportFileError as exc:
        errors = [str(exc)]
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        errors = [f"The import failed, nothing was saved: {type(exc).__name__}: {exc}"]
    if len(errors) > MAX_JOB_ERRORS:
        errors = [*errors[:MAX_JOB_ERRORS], f"... and {len(errors) - MAX_JOB_ERRORS:,} more."]
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.FAILED if errors else ImportJobStatus.SUCCEEDED,
        errors=errors,
        created_count=created,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
        file="",
    )
    job.file.delete(save=False)  # the upload is not kept once the job has run
    return "failed" if errors else "succeeded"
