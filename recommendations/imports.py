"""All-or-nothing bulk import of recommendations and of assessments from CSV or XLSX.

The same file handling, row errors and result as the report import (commitments/imports.py): every row
is checked with lookups in memory, one bad row and nothing is written, every bad row is listed by line
and column. Recommendations are written through `recommendation_create`; assessments arrive submitted,
with the importer as submitter, and wait for another reviewer.
"""

import datetime

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from commitments.imports import ImportFileError, ImportResult, RowError, dataset_from_file
from commitments.models import Commitment, Theme
from commitments.models.reports import http_url_validator
from states.models import State

from .models import (
    Addressee,
    AssessingSource,
    Assessment,
    AssessmentStatus,
    Institution,
    Rating,
    Recommendation,
    assessment_content_errors,
    recommendation_commitment_errors,
)
from .services import recommendation_create

__all__ = [
    "ASSESSMENT_COLUMNS",
    "RECOMMENDATION_COLUMNS",
    "ImportFileError",
    "assessments_import",
    "dataset_from_file",
    "recommendations_import",
    "template_dataset",
]

RECOMMENDATION_COLUMNS = {
    "required": [
        "code",
        "state",
        "institution",
        "source_title",
        "source_date",
        "source_url",
        "number",
        "text",
        "addressee",
        "commitments",
    ],
    "optional": ["priority", "themes"],
}
ASSESSMENT_COLUMNS = {
    "required": ["recommendation", "rating", "assessed_on", "source", "summary"],
    "optional": ["source_url"],
}
TRUE_VALUES = {"1", "true", "yes", "y"}
FALSE_VALUES = {"", "0", "false", "no", "n"}


def template_dataset(columns: dict) -> tablib.Dataset:
    """An empty sheet with the header row: the template staff download and fill in."""
    return tablib.Dataset(headers=[*columns["required"], *columns["optional"]])


def _parse_date(raw) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    return datetime.date.fromisoformat(str(raw).strip())


def _rows(dataset: tablib.Dataset, columns: dict, result: ImportResult):
    headers = [str(h).strip().lower() for h in (dataset.headers or [])]
    missing = [column for column in columns["required"] if column not in headers]
    if missing:
        result.errors = [RowError(1, column, "Required column is missing from the header.") for column in missing]
        return
    for offset, values in enumerate(dataset):
        yield offset + 2, {key: ("" if value is None else value) for key, value in zip(headers, values, strict=False)}


def _text(row: dict, column: str) -> str:
    return str(row.get(column, "")).strip()


def _codes(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace(",", ";").split(";") if part.strip()]


def recommendations_import(*, dataset: tablib.Dataset, user, dry_run: bool = False) -> ImportResult:
    """Check every row, then create every recommendation, or none."""
    if not user.has_perm("recommendations.add_recommendation"):
        raise PermissionDenied("Only catalogue editors can import recommendations.")
    result = ImportResult(rows=dataset.height, dry_run=dry_run)
    states = {state.code: state for state in State.objects.all()}
    institutions = {institution.slug: institution for institution in Institution.objects.all()}
    commitments = {commitment.code: commitment for commitment in Commitment.objects.all()}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    taken = set(Recommendation.objects.values_list("code", flat=True))
    today = timezone.localdate()
    parsed = []
    for line, row in _rows(dataset, RECOMMENDATION_COLUMNS, result):
        errors = []

        def fail(column: str, message: str, line=line, errors=errors) -> None:
            errors.append(RowError(line, column, message))

        code = _text(row, "code")
        if not code:
            fail("code", "A code is required.")
        elif code in taken:
            fail("code", f"Code “{code}” is already used.")
        state = states.get(_text(row, "state").upper())
        if state is None:
            fail("state", f"Unknown State code “{_text(row, 'state')}”.")
        institution = institutions.get(_text(row, "institution").lower())
        if institution is None:
            fail("institution", f"Unknown institution “{_text(row, 'institution')}”.")
        source_date = None
        try:
            source_date = _parse_date(row.get("source_date"))
            if source_date > today:
                fail("source_date", f"Source date {source_date} is in the future.")
                source_date = None
        except (TypeError, ValueError):
            fail("source_date", f"“{_text(row, 'source_date')}” is not a date (YYYY-MM-DD).")
        try:
            http_url_validator(_text(row, "source_url"))
        except ValidationError:
            fail("source_url", f"“{_text(row, 'source_url')}” is not an http(s) link.")
        for column in ("source_title", "number", "text"):
            if not _text(row, column):
                fail(column, f"A {column.replace('_', ' ')} is required.")
        addressee = _text(row, "addressee").lower()
        if addressee not in Addressee.values:
            fail("addressee", f"Unknown addressee “{addressee}”: use one of {', '.join(Addressee.values)}.")
        chosen = []
        for commitment_code in _codes(_text(row, "commitments")):
            if commitment_code not in commitments:
                fail("commitments", f"Unknown commitment code “{commitment_code}”.")
            else:
                chosen.append(commitments[commitment_code])
        if not any(error.column == "commitments" for error in errors):
            for column, message in recommendation_commitment_errors(
                commitments=chosen, source_date=source_date
            ).items():
                fail(column, message)
        chosen_themes = []
        for slug in _codes(_text(row, "themes")):
            if slug not in themes:
                fail("themes", f"Unknown theme “{slug}”.")
            else:
                chosen_themes.append(themes[slug])
        priority = _text(row, "priority").lower()
        if priority not in TRUE_VALUES | FALSE_VALUES:
            fail("priority", f"“{priority}” is not yes or no.")
        if errors:
            result.errors.extend(errors)
            continue
        taken.add(code)
        parsed.append(
            {
                "code": code,
                "state": state,
                "institution": institution,
                "source_title": _text(row, "source_title"),
                "source_date": source_date,
                "source_url": _text(row, "source_url"),
                "number": _text(row, "number"),
                "text": _text(row, "text"),
                "addressee": addressee,
                "priority": priority in TRUE_VALUES,
                "commitments": chosen,
                "themes": chosen_themes,
            }
        )
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for fields in parsed:
            recommendation_create(user=user, **fields)
    result.created = len(parsed)
    return result


def assessments_import(*, dataset: tablib.Dataset, user, dry_run: bool = False) -> ImportResult:
    """Check every row, then create every assessment as submitted by `user`, or none."""
    if not user.has_perm("recommendations.add_assessment"):
        raise PermissionDenied("Only reporters and reviewers can import assessments.")
    result = ImportResult(rows=dataset.height, dry_run=dry_run)
    recommendations = {r.code: r for r in Recommendation.objects.all()}
    sources = {value: value for value in AssessingSource.values if value != AssessingSource.SYNTHETIC_DEMO}
    today = timezone.localdate()
    parsed = []
    for line, row in _rows(dataset, ASSESSMENT_COLUMNS, result):
        errors = []

        def fail(column: str, message: str, line=line, errors=errors) -> None:
            errors.append(RowError(line, column, message))

        recommendation = recommendations.get(_text(row, "recommendation"))
        if recommendation is None:
            fail("recommendation", f"Unknown recommendation code “{_text(row, 'recommendation')}”.")
        rating = _text(row, "rating").lower()
        if rating not in Rating.values:
            fail("rating", f"Unknown rating “{rating}”: use one of {', '.join(Rating.values)}.")
        assessed_on = None
        try:
            assessed_on = _parse_date(row.get("assessed_on"))
        except (TypeError, ValueError):
            fail("assessed_on", f"“{_text(row, 'assessed_on')}” is not a date (YYYY-MM-DD).")
        for column, message in assessment_content_errors(
            assessed_on=assessed_on, recommendation=recommendation, today=today
        ).items():
            fail(column, message)
        source = sources.get(_text(row, "source").lower())
        if source is None:
            fail("source", f"Unknown assessing source “{_text(row, 'source')}”: use one of {', '.join(sources)}.")
        source_url = _text(row, "source_url")
        if source_url:
            try:
                http_url_validator(source_url)
            except ValidationError:
                fail("source_url", f"“{source_url}” is not an http(s) link.")
        if not _text(row, "summary"):
            fail("summary", "A summary is required.")
        if errors:
            result.errors.extend(errors)
            continue
        parsed.append(
            Assessment(
                recommendation=recommendation,
                rating=rating,
                assessed_on=assessed_on,
                source=source,
                source_url=source_url,
                summary=_text(row, "summary"),
            )
        )
    if result.errors or dry_run:
        return result
    now = timezone.now()
    for assessment in parsed:
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.created_by = assessment.submitted_by = user
        assessment.submitted_at = now
    with transaction.atomic():
        bulk_create_with_history(parsed, Assessment, batch_size=1000, default_user=user)
    result.created = len(parsed)
    return result
