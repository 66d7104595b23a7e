"""Writing many reports and their history rows at once: COPY on PostgreSQL, bulk_create elsewhere.

Used by the bulk import and the demo seeder. Callers run it inside their own
transaction, so a failure leaves nothing behind.
"""

from collections.abc import Iterator

from django.db import connection

from .models import Report

COPY_BLOCK = 10_000
BULK_BATCH = 5_000


def _columns(model, varying: list[str], constants: dict) -> tuple[list[str], tuple]:
    """Column names (varying first) and the constant tail of each row for `model`."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    names = [fields[attname].column for attname in varying]
    tail = []
    for attname, field in fields.items():
        if attname in varying or (field.primary_key and attname not in constants and attname != "id"):
            continue  # e.g. history_id: the table's own sequence numbers it
        names.append(field.column)
        tail.append(constants[attname] if attname in constants else field.get_default())
    return names, tuple(tail)


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
            chunk = [(pk, *row) for pk, row in zip(ids, (next(rows) for _ in range(size)), strict=True)]
            with raw.copy(report_copy) as copy:
                for row in chunk:
                    copy.write_row(row + report_tail)
            with raw.copy(history_copy) as copy:
                for row in chunk:
                    copy.write_row(row + history_tail)
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
