"""Every row of a queryset, as CSV chunks or typed batches, at the speed the database can give them.

One selection (`export_rows`) serves the API's `?format=csv` and the export jobs alike:
the columns of a values map, in a given order, each text column selected through
`SpreadsheetSafe`, so formulas are neutralised by the database on every engine.

CSV: on PostgreSQL the database writes it, `COPY (SELECT ...) TO STDOUT WITH (FORMAT csv)`,
gathered into chunks of about 64 KB; that is about as fast as `psql`'s `\\copy` of the same
rows. On other engines (SQLite, the embedded default) Python's csv module writes the same
columns in the same chunks. PostgreSQL's CSV quotes an empty text (`""`) and leaves NULL
empty, ends lines with `\\n` and writes timestamps as `2025-01-31 12:00:00+00`.
"""

import csv
import decimal
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connections
from django.db.models import DecimalField, F, Field, QuerySet

from corfu_tracker.spreadsheets import SpreadsheetSafe

CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class ExportRows:
    """A values_list queryset whose columns are `names`, in that order, text neutralised; and each column's field."""

    queryset: QuerySet
    names: list[str]
    fields: list[Field]


def export_rows(queryset: QuerySet, *, values_map: dict, names: list[str]) -> ExportRows:
    aliases = {name: f"export_{name}" for name in names}
    annotations = {
        aliases[name]: SpreadsheetSafe(F(values_map[name]) if isinstance(values_map[name], str) else values_map[name])
        for name in names
    }
    annotated = queryset.annotate(**annotations)
    fields = [annotated.query.annotations[aliases[name]].output_field for name in names]
    return ExportRows(queryset=annotated.values_list(*aliases.values()), names=list(names), fields=fields)


def header_line(names: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(names)
    return buffer.getvalue().encode()


def csv_chunks(rows: ExportRows, *, chunk_bytes: int = CHUNK_BYTES, on_rows=None) -> Iterator[bytes]:
    """The header line, then every row, in chunks of about `chunk_bytes` (the last one shorter).

    `on_rows(count)` is called with the number of rows written, once they all are.
    """
    connection = connections[rows.queryset.db]
    on_rows = on_rows or (lambda count: None)
    if connection.vendor == "postgresql":
        body = _copy_chunks(rows, connection, on_rows)
    else:
        body = _python_csv_chunks(rows, on_rows)
    buffer = bytearray(header_line(rows.names))
    for data in body:
        buffer += data
        if len(buffer) >= chunk_bytes:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def copy_statement(rows: ExportRows) -> str:
    """`COPY (<the queryset's SELECT>) TO STDOUT WITH (FORMAT csv)`, its parameters merged in as literals.

    COPY takes no bound parameters; Django's debug cursor (DEBUG on) takes the statement alone.
    """
    connection = connections[rows.queryset.db]
    sql, params = rows.queryset.query.get_compiler(using=rows.queryset.db).as_sql()
    return f"COPY ({connection.ops.compose_sql(sql, params)}) TO STDOUT WITH (FORMAT csv)"


def _copy_chunks(rows: ExportRows, connection, on_rows) -> Iterator[bytes]:
    # COPY is one statement: one snapshot, whatever commits meanwhile. A consumer that stops early (a
    # client hanging up) closes this generator; psycopg then cancels the COPY and the connection stays usable.
    with connection.cursor() as cursor:
        with cursor.copy(copy_statement(rows)) as copy:
            for data in copy:
                yield bytes(data)
        on_rows(cursor.rowcount)


def _python_csv_chunks(rows: ExportRows, on_rows) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = 0
    decimals = _decimal_columns(rows.fields)
    for row in rows.queryset.iterator(chunk_size=5000):
        if decimals:
            row = _with_decimal_places(row, decimals)
        writer.writerow(row)
        count += 1
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()
    on_rows(count)


def _decimal_columns(fields: list[Field]) -> dict[int, decimal.Decimal]:
    """Column index -> quantum, for the decimal columns (`50.0` as PostgreSQL writes a numeric(4,1))."""
    return {
        index: decimal.Decimal(1).scaleb(-field.decimal_places)
        for index, field in enumerate(fields)
        if isinstance(field, DecimalField) and field.decimal_places is not None
    }


def _with_decimal_places(row: tuple, decimals: dict[int, decimal.Decimal]) -> tuple:
    # SQLite hands an annotated decimal back as it stored it (50, not 50.0): give it the field's places.
    return tuple(
        decimal.Decimal(str(value)).quantize(decimals[index]) if index in decimals and value is not None else value
        for index, value in enumerate(row)
    )
