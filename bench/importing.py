"""Bulk import of 100,000 report rows from CSV: the project's importer against a plain COPY.

The CSV is made from reports already in the benchmark database (so every row
is valid), each row with a source link of its own (so none is a duplicate of the
report it was copied from). Both runs happen inside a transaction that is rolled
back, so no imported row, history row or user stays behind; the table is vacuumed
after.
"""

import csv
import io
import os
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from commitments.imports import dataset_from_file, reports_import
from commitments.models import Commitment, Report, ReportSource

HEADER = ["state", "commitment", "kind", "level_or_severity", "observed_on", "source", "summary", "source_url"]
# Each row gets a link of its own: a row copied from a standing report would otherwise be its duplicate.
SOURCE_URL = "https://example.org/bench-import/{id}"


class _Rollback(Exception):
    pass


def build_csv(rows: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.id, r.state_id, c.code, r.kind, r.level || r.severity, r.observed_on, r.source, r.summary
            FROM commitments_report r JOIN commitments_commitment c ON c.id = r.commitment_id
            WHERE r.status = 'verified' ORDER BY r.id LIMIT %s
            """,
            [rows],
        )
        records = cursor.fetchall()
    if len(records) < rows:
        raise RuntimeError(f"only {len(records)} reports to build the CSV from; seed at least {rows}")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for pk, state, commitment, kind, grade, observed_on, source, summary in records:
        # Seeded reports carry the synthetic-demo source, which only seed_demo may write: the file
        # names a source staff can choose, as a real import would.
        source = ReportSource.ODIHR.value if source == ReportSource.SYNTHETIC_DEMO else source
        link = SOURCE_URL.format(id=pk)
        writer.writerow([state, commitment, kind, grade, observed_on.isoformat(), source, summary, link])
    return buffer.getvalue().encode()


def _importer():
    user, _ = get_user_model().objects.get_or_create(username="bench-importer", defaults={"is_staff": True})
    return user


def time_project_import(content: bytes) -> dict:
    with transaction.atomic():
        user = _importer()
        before = Report.objects.count()
        started = time.perf_counter()
        dataset = dataset_from_file(content=content, filename="bench-import.csv")
        parsed = time.perf_counter()
        result = reports_import(dataset=dataset, user=user)
        finished = time.perf_counter()
        created = Report.objects.count() - before
        transaction.set_rollback(True)
    if not result.ok:
        raise RuntimeError(f"the import refused the rows: {[str(e) for e in result.errors[:5]]}")
    return {
        "rows": result.created,
        "rows_in_table": created,
        "parse_seconds": parsed - started,
        "import_seconds": finished - parsed,
        "seconds": finished - started,
        "rows_per_second": result.created / (finished - started),
    }


def _copy_layout(model, given: dict) -> tuple[list[str], list[str]]:
    """(columns, attnames) of `model` for a COPY: every concrete column except an auto primary key."""
    columns, attnames = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.attname not in given:
            continue
        columns.append(field.column)
        attnames.append(field.attname)
    return columns, attnames


def _copy(raw_cursor, model, rows: list[dict]) -> None:
    columns, attnames = _copy_layout(model, rows[0])
    defaults = {f.attname: f.get_default() for f in model._meta.concrete_fields}
    statement = "COPY {} ({}) FROM STDIN".format(model._meta.db_table, ", ".join(f'"{c}"' for c in columns))
    with raw_cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[name] if name in row else defaults[name] for name in attnames])


def time_copy(content: bytes) -> dict:
    """Parse the same CSV, map codes to ids, COPY the reports and then their history rows; roll back."""
    history = Report.history.model
    with transaction.atomic():
        user = _importer()
        commitments = dict(Commitment.objects.values_list("code", "id"))
        raw = connection.cursor().cursor
        raw.execute("SELECT pg_get_serial_sequence('commitments_report', 'id')")
        (sequence,) = raw.fetchone()
        started = time.perf_counter()
        now = timezone.now()
        reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
        rows = []
        for record in reader:
            implementation = record["kind"] == "implementation"
            rows.append(
                {
                    "state_id": record["state"],
                    "commitment_id": commitments[record["commitment"]],
                    "kind": record["kind"],
                    "level": record["level_or_severity"] if implementation else "",
                    "severity": "" if implementation else record["level_or_severity"],
                    "observed_on": record["observed_on"],
                    "source": record["source"],
                    "summary": record["summary"],
                    "source_url": record["source_url"],
                    "status": "submitted",
                    "created_by_id": user.pk,
                    "submitted_by_id": user.pk,
                    "submitted_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        raw.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, len(rows)])
        for row, (pk,) in zip(rows, raw.fetchall(), strict=True):
            row["id"] = pk
        parsed = time.perf_counter()
        _copy(raw, Report, rows)
        reports_done = time.perf_counter()
        for row in rows:
            row.update(history_date=now, history_type="+", history_user_id=user.pk, history_change_reason="bench")
        _copy(raw, history, rows)
        finished = time.perf_counter()
        transaction.set_rollback(True)
    return {
        "rows": len(rows),
        "parse_seconds": parsed - started,
        "copy_reports_seconds": reports_done - parsed,
        "copy_history_seconds": finished - reports_done,
        "seconds_reports_only": reports_done - started,
        "seconds_with_history": finished - started,
        "rows_per_second": len(rows) / (reports_done - started),
        "rows_per_second_with_history": len(rows) / (finished - started),
    }


def _vacuum() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE commitments_report")
        cursor.execute("VACUUM ANALYZE commitments_historicalreport")


def run(*, rows: int = 100_000, pairs: int = 3) -> dict:
    """`pairs` interleaved runs (project, COPY, COPY, project, ...); the ratio is the median of the pairs'.

    The target compares the project with COPY of the reports *and* their history rows, as the import writes both.
    """
    before = Report.objects.count()
    content = build_csv(rows)
    load_before = os.getloadavg()
    project_runs, copy_runs = [], []
    for pair in range(pairs):
        # Which side goes first alternates, and each run starts from vacuumed tables: the rows a
        # rolled-back run leaves dead in the tables and their indexes would slow the next run down.
        for side in ("project", "copy") if pair % 2 == 0 else ("copy", "project"):
            if side == "project":
                project_runs.append(time_project_import(content))
            else:
                copy_runs.append(time_copy(content))
            _vacuum()
    load_after = os.getloadavg()
    after = Report.objects.count()
    if after != before:
        raise RuntimeError(f"the import left rows behind: {before} reports before, {after} after")
    ratios = [p["seconds"] / c["seconds_with_history"] for p, c in zip(project_runs, copy_runs, strict=True)]
    median_pair = sorted(range(pairs), key=ratios.__getitem__)[(pairs - 1) // 2]
    return {
        "rows": rows,
        "csv_bytes": len(content),
        "pairs": pairs,
        "project": project_runs[median_pair],
        "copy": copy_runs[median_pair],
        "project_runs": project_runs,
        "copy_runs": copy_runs,
        "ratios": ratios,
        "ratio": statistics.median(ratios),
        "ratio_reports_only": statistics.median(
            p["seconds"] / c["seconds_reports_only"] for p, c in zip(project_runs, copy_runs, strict=True)
        ),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "reports_before": before,
        "reports_after": after,
    }
