"""Writing many reports and their history rows at once: COPY on PostgreSQL, bulk_create elsewhere.

Used by the bulk import and the demo seeder. Callers run it inside their own
transaction, so a failure leaves nothing behind.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.db import connection

from .models import Report

COPY_BLOCK = 10_000
BULK_BATCH = 5_000


def _columns(model, varying: list[str], constants: dict) -> tuple[list[str], str]:
    """Column names (varying first) and the constant tail of each row for `model`, as COPY text."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    names = [fields[attname].column for attname in varying]
    tail: list[str] = []
    for attname, field in fields.items():
        if attname in varying or (field.primary_key and attname not in constants and attname != "id"):
            continue  # e.g. history_id: the table's own sequence numbers it
        names.append(field.column)
        tail.append(copy_text(constants[attname] if attname in constants else field.get_default()))
    return names, "".join("\t" + text for text in tail) + "\n"


def copy_text(value) -> str:
    """`value` as one field of COPY's text format: backslash, tab, line feed and carriage return escaped, NULL as \\N.

    psycopg's `write_row` adapts every value through its type machinery, which costs more than the COPY
    itself; the few types a report row holds are formatted here instead. Text must hold no NUL character
    (PostgreSQL cannot store one; the import refuses it first).
    """
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is datetime.date:
        return str(value)
    if kind is datetime.datetime:
        return value.isoformat()
    if isinstance(value, str):  # a TextChoices member
        return copy_text(str.__str__(value))
    raise TypeError(f"copy_text does not format {kind.__name__} values")


def copy_lines(rows: Iterable[tuple]) -> list[str]:
    """The rows' fields in COPY text format, tab-separated, one string per row (no line end)."""
    return ["\t".join(map(copy_text, row)) for row in rows]


def _copy_statement(model, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    return f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"


def _copy(varying, rows, count, constants, history_constants) -> int:
    history_model = Report.history.model
    report_columns, report_tail = _columns(Report, ["id", *varying], constants)
    history_columns, history_tail = _columns(history_model, ["id", *varying], {**constants, **history_constants})
    report_copy = _copy_statement(Report, report_columns)
    history_copy = _copy_statement(history_model, history_columns)
    written = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Report._meta.db_table])
        (sequence,) = cursor.fetchone()
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        while written < count:
            size = min(COPY_BLOCK, count - written)
            # Ids reserved from the sequence (safe beside concurrent inserts): a report and its
            # history row share the id.
            raw.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, size])
            ids = [row[0] for row in raw.fetchall()]
            # The varying fields are formatted once and written twice, each with its table's constant tail.
            lines = copy_lines((pk, *row) for pk, row in zip(ids, (next(rows) for _ in range(size)), strict=True))
            with raw.copy(report_copy) as copy:
                copy.write(report_tail.join(lines) + report_tail)
            with raw.copy(history_copy) as copy:
                copy.write(history_tail.join(lines) + history_tail)
            written += size
    return written


def _bulk_create(varying, rows, constants, history_user, change_reason, now) -> int:
    written = 0
    batch: list[Report] = []

    def flush():
        nonlocal written
        created = Report.objects.bulk_create(batch, batch_size=BULK_BATCH)
        Report.history.bulk_history_create(
            created,
            batch_size=BULK_BATCH,
            default_user=history_user,
            default_change_reason=change_reason,
            default_date=now,
        )
        written += len(created)
        batch.clear()

    for row in rows:
        batch.append(Report(**dict(zip(varying, row, strict=True)), **constants))
        if len(batch) >= BULK_BATCH:
            flush()
    if batch:
        flush()
    return written


def reports_bulk_write(
    *, varying: list[str], rows: Iterator[tuple], count: int, constants: dict, history_user, change_reason: str, now
) -> int:
    """Insert `count` reports (values of `varying` attnames per row, `constants` for the rest) with history."""
    if connection.vendor == "postgresql":
        history_constants = {
            "history_date": now,
            "history_type": "+",
            "history_user_id": history_user.pk,
            "history_change_reason": change_reason,
        }
        return _copy(varying, rows, count, constants, history_constants)
    return _bulk_create(varying, rows, constants, history_user, change_reason, now)
