"""The COPY text formatter of the bulk writer (`copy_text`, `copy_lines`): whatever it formats, PostgreSQL
reads back unchanged."""

import datetime

from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commitments.bulk import copy_lines

# Any text PostgreSQL stores (no NUL, no lone surrogates), often holding COPY's own special characters.
SPECIAL = st.sampled_from(["\\", "\t", "\n", "\r", "\\N", "\\t", ".", "\\.", "\r\n"])
TEXT = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=8), SPECIAL),
    max_size=6,
).map("".join)
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def copied_back(create: str, columns: int, rows: list[tuple]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE copy_probe (n int, {create}) ON COMMIT DROP")
        with cursor.cursor.copy("COPY copy_probe FROM STDIN") as copy:
            copy.write("".join(line + "\n" for line in copy_lines((n, *row) for n, row in enumerate(rows))))
        cursor.execute(f"SELECT {', '.join(f'c{i}' for i in range(columns))} FROM copy_probe ORDER BY n")
        found = [tuple(row) for row in cursor.fetchall()]
        cursor.execute("DROP TABLE copy_probe")
    return found


@EXAMPLES
@given(rows=st.lists(st.tuples(TEXT, st.one_of(st.none(), TEXT)), min_size=1, max_size=10))
def test_any_text_or_null_reads_back_unchanged(db, rows):
    assert copied_back("c0 text, c1 text", 2, rows) == rows


@EXAMPLES
@given(
    rows=st.lists(
        st.tuples(
            st.integers(-(2**63), 2**63 - 1),
            st.booleans(),
            st.dates(),
            st.datetimes(timezones=st.just(datetime.UTC), min_value=datetime.datetime(1, 1, 2)),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_numbers_booleans_dates_and_times_read_back_unchanged(db, rows):
    assert copied_back("c0 bigint, c1 boolean, c2 date, c3 timestamptz", 4, rows) == rows
