"""One rule against spreadsheet formulas, in Python (`spreadsheet_safe`) and in SQL (`SpreadsheetSafe`, used by
the COPY exports): for any text, both give the same cell."""

from django.db import connection
from django.db.models import TextField, Value
from django.db.models.sql import Query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corfu_tracker.spreadsheets import FORMULA_TRIGGERS, SpreadsheetSafe, spreadsheet_safe

# Any text PostgreSQL stores (no NUL, no lone surrogates), often starting with a trigger or a quote.
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)
CELLS = st.one_of(TEXT, st.tuples(st.sampled_from([*FORMULA_TRIGGERS, "'", " "]), TEXT).map("".join), st.none())


def sql_safe(values: list[str | None]) -> list[str | None]:
    query = Query(None)
    compiler = query.get_compiler(connection=connection)
    selects, params = [], []
    for value in values:
        sql, expression_params = compiler.compile(
            SpreadsheetSafe(Value(value, output_field=TextField())).resolve_expression(query)
        )
        selects.append(sql)
        params.extend(expression_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        return list(cursor.fetchone())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(CELLS, min_size=1, max_size=20))
def test_the_sql_rule_gives_the_same_cells_as_the_python_rule(db, values):
    assert sql_safe(values) == [spreadsheet_safe(value) for value in values]
