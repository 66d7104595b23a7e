"""All-or-nothing bulk import of reports from CSV or XLSX.

Every row is checked against the same rules as the model (`report_content_errors`)
with States and commitments looked up in memory, so 100,000 rows cost a handful
of queries. One bad row and nothing is written; every bad row is listed.
"""

import datetime
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from states.models import State

from .bulk import reports_bulk_write
from .models import Commitment, Report, ReportKind, ReportLevel, ReportSeverity, ReportSource, ReportStatus
from .models.reports import http_url_validator, report_content_errors

REQUIRED_COLUMNS = ["state", "commitment", "kind", "level_or_severity", "observed_on", "source", "summary"]
OPTIONAL_COLUMNS = ["source_url", "citation"]
SUPPORTED_FORMATS = {"csv", "xlsx"}
# What differs from row to row; workflow fields are the same for the whole import.
IMPORTED_FIELDS = [
    "state_id",
    "commitment_id",
    "kind",
    "level",
    "severity",
    "observed_on",
    "summary",
    "source",
    "source_url",
    "citation",
]
# Model fields that a column's error is reported against, when they differ.
FIELD_TO_COLUMN = {"level": "level_or_severity", "severity": "level_or_severity"}


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


def dataset_from_file(*, content: bytes, filename: str) -> tablib.Dataset:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in SUPPORTED_FORMATS:
        raise ImportFileError(f"Unsupported file type “.{extension}”: use .csv or .xlsx.")
    try:
        if extension == "csv":
            return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
        return tablib.Dataset().load(content, format="xlsx")
    except UnicodeDecodeError as exc:
        raise ImportFileError("The CSV file is not UTF-8 encoded.") from exc
    except Exception as exc:  # tablib raises many kinds for a corrupt file
        raise ImportFileError(f"The file could not be read as {extension.upper()}: {exc}") from exc


def _source_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in ReportSource.choices:
        lookup[value] = value
        lookup[str(label).lower()] = value
        lookup[value.replace("_", " ")] = value
    return lookup


def _parse_date(raw) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    return datetime.date.fromisoformat(str(raw).strip())


class _RowParser:
    """Turns rows into unsaved reports (content only: the import sets the workflow fields for all)."""

    def __init__(self, *, today: datetime.date):
        self.today = today
        self.states = {state.code: state for state in State.objects.all()}
        self.commitments = {c.code: c for c in Commitment.objects.all()}
        self.sources = _source_lookup()

    def parse(self, row: dict, line: int) -> tuple[Report | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(column: str, message: str) -> None:
            errors.append(RowError(line, column, message))

        def text(column: str) -> str:
            value = row.get(column)
            return "" if value is None else str(value).strip()

        state = self.states.get(text("state").upper())
        if state is None:
            fail("state", f"Unknown State code “{text('state')}”.")
        commitment = self.commitments.get(text("commitment"))
        if commitment is None:
            fail("commitment", f"Unknown commitment code “{text('commitment')}”.")

        kind = text("kind").lower()
        level = severity = ""
        grade = text("level_or_severity").lower()
        if kind == ReportKind.IMPLEMENTATION:
            if grade in ReportSeverity.values:
                fail("level_or_severity", f"“{grade}” is a severity; an implementation report needs a level.")
            elif grade and grade not in ReportLevel.values:
                fail("level_or_severity", f"Unknown level “{grade}”: use full, partial or none.")
            else:
                level = grade
        elif kind == ReportKind.VIOLATION:
            if grade in ReportLevel.values:
                fail("level_or_severity", f"“{grade}” is a level; a violation report needs a severity.")
            elif grade and grade not in ReportSeverity.values:
                fail("level_or_severity", f"Unknown severity “{grade}”: use minor, serious or grave.")
            else:
                severity = grade
        else:
            fail("kind", f"Unknown kind “{text('kind')}”: use implementation or violation.")

        observed_on = None
        try:
            observed_on = _parse_date(row.get("observed_on"))
        except (TypeError, ValueError):
            fail("observed_on", f"“{text('observed_on')}” is not a date (YYYY-MM-DD).")

        source = self.sources.get(text("source").lower())
        if source is None:
            fail("source", f"Unknown source “{text('source')}”.")
        source_url = text("source_url")
        if source_url:
            try:
                http_url_validator(source_url)
            except ValidationError:
                fail("source_url", f"“{source_url}” is not an http(s) link.")
        summary = text("summary")
        if not summary:
            fail("summary", "A summary is required.")

        if kind in ReportKind.values and not any(e.column == "level_or_severity" for e in errors):
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
        return (
            Report(
                state=state,
                commitment=commitment,
                kind=kind,
                level=level,
                severity=severity,
                observed_on=observed_on,
                summary=summary,
                source=source,
                source_url=source_url,
                citation=text("citation"),
            ),
            [],
        )


def reports_import(*, dataset: tablib.Dataset, user, dry_run: bool = False, preview_size: int = 20) -> ImportResult:
    """Check every row, then create all reports as submitted by `user`, or none."""
    result = ImportResult(rows=dataset.height, dry_run=dry_run)
    headers = [str(h).strip().lower() for h in (dataset.headers or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        result.errors = [RowError(1, column, "Required column is missing from the header.") for column in missing]
        return result

    parser = _RowParser(today=timezone.localdate())
    reports: list[Report] = []
    for offset, values in enumerate(dataset):
        row = dict(zip(headers, values, strict=False))
        report, errors = parser.parse(row, line=offset + 2)
        result.errors.extend(errors)
        if report is not None:
            reports.append(report)

    result.preview = reports[:preview_size]
    if result.errors or dry_run:
        return result
    now = timezone.now()
    with transaction.atomic():
        result.created = reports_bulk_write(
            varying=IMPORTED_FIELDS,
            rows=(tuple(getattr(report, name) for name in IMPORTED_FIELDS) for report in reports),
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
    return result
