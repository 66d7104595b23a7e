"""Writing an export's file: CSV (PostgreSQL's COPY, or Python's csv elsewhere) or Parquet, hashed as written."""

import hashlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connections, models

from corfu_tracker.exporting import ExportRows, copy_statement, csv_chunks

PARQUET_BATCH_ROWS = 50_000
# PostgreSQL: the CSV that COPY writes is read back by pyarrow in blocks of this size (about 140,000 reports).
PARQUET_CSV_BLOCK_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class WrittenFile:
    name: str
    rows: int
    bytes: int
    sha256: str


def parquet_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


class _HashingWriter:
    """A write-only file that counts and hashes what passes through (pyarrow writes to it as to any file)."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0
        self.closed = False

    def write(self, data) -> int:
        self.raw.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self.raw.flush()

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True  # the caller closes the real file, after the rename is prepared


def write_export(rows: ExportRows, *, directory: Path, stem: str, file_format: str) -> WrittenFile:
    """Write to a temporary file beside the target, then rename it into place: no reader sees half a file."""
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{stem}.{file_format}"
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{stem}-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as raw:
            out = _HashingWriter(raw)
            if file_format == "parquet":
                count = _write_parquet(rows, out, scratch_directory=directory)
            else:
                count = _write_csv(rows, out)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, directory / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return WrittenFile(name=name, rows=count, bytes=out.size, sha256=out.digest.hexdigest())


def _write_csv(rows: ExportRows, out: _HashingWriter) -> int:
    counted = []
    for chunk in csv_chunks(rows, on_rows=counted.append):
        out.write(chunk)
    return counted[0]


def _write_parquet(rows: ExportRows, out: _HashingWriter, *, scratch_directory: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _arrow_type(pa, field)) for name, field in zip(rows.names, rows.fields, strict=True)])
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        if connections[rows.queryset.db].vendor == "postgresql":
            return _parquet_from_copy(rows, writer, schema, scratch_directory=scratch_directory)
        return _parquet_from_rows(rows, writer, schema)


def _parquet_from_copy(rows: ExportRows, writer, schema, *, scratch_directory: Path) -> int:
    """COPY's CSV to a scratch file, parsed back by pyarrow's CSV reader (C++): ten times the speed of Python rows.

    COPY writes NULL as an empty field and an empty text as `""`: read exactly so. Timestamps come in UTC (Django
    sets the connection's time zone), booleans as t/f.
    """
    import pyarrow.csv as pa_csv

    connection = connections[rows.queryset.db]
    count = 0
    with tempfile.TemporaryFile(dir=scratch_directory) as scratch:
        with connection.cursor() as cursor, cursor.copy(copy_statement(rows)) as copy:
            for data in copy:
                scratch.write(data)
        if not scratch.tell():
            writer.write_table(schema.empty_table())
            return 0
        scratch.seek(0)
        reader = pa_csv.open_csv(
            scratch,
            read_options=pa_csv.ReadOptions(column_names=rows.names, block_size=PARQUET_CSV_BLOCK_BYTES),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict(zip(schema.names, schema.types, strict=True)),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
                true_values=["t"],
                false_values=["f"],
            ),
        )
        for batch in reader:
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def _parquet_from_rows(rows: ExportRows, writer, schema) -> int:
    import pyarrow as pa

    count = 0
    batch = []
    for row in rows.queryset.iterator(chunk_size=PARQUET_BATCH_ROWS):
        batch.append(row)
        if len(batch) == PARQUET_BATCH_ROWS:
            writer.write_batch(_record_batch(pa, batch, schema))
            count += len(batch)
            batch = []
    if batch or not count:
        writer.write_batch(_record_batch(pa, batch, schema))
        count += len(batch)
    return count


def _record_batch(pa, batch: list[tuple], schema):
    columns = list(zip(*batch, strict=True)) if batch else [[] for _ in schema]
    return pa.RecordBatch.from_arrays(
        [pa.array(column, type=column_type) for column, column_type in zip(columns, schema.types, strict=True)],
        schema=schema,
    )


def _arrow_type(pa, field):
    """The Parquet column type of a Django field (keys take their target's type)."""
    while field.is_relation:
        field = field.target_field
    if isinstance(field, models.BooleanField):
        return pa.bool_()
    if isinstance(field, models.IntegerField | models.AutoField):
        return pa.int64()
    if isinstance(field, models.FloatField):
        return pa.float64()
    if isinstance(field, models.DecimalField):
        return pa.decimal128(field.max_digits, field.decimal_places)
    if isinstance(field, models.DateTimeField):
        return pa.timestamp("us", tz="UTC")
    if isinstance(field, models.DateField):
        return pa.date32()
    return pa.string()
