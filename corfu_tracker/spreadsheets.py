"""Cells that a spreadsheet would run as a formula are neutralised in every export.

The OWASP rule (CSV injection): a text cell starting with `=`, `+`, `-`, `@`, a tab
or a carriage return is prefixed with a single quote, so Excel, LibreOffice and
Google Sheets show it as text. Only text is touched: numbers, dates and empty
cells pass as they are, so a trend of -3.5 stays the number -3.5. The stored data
never changes; only what leaves in a CSV or XLSX file does.

Every writer applies the one rule below. Python writers call `spreadsheet_safe`: the
admin's CSV and XLSX exports (`SpreadsheetSafeResource`) and the recommendations CSV.
Exports read straight from the database (`corfu_tracker.exporting`: the API's
`?format=csv` and the export jobs, whose CSV PostgreSQL's COPY writes) select each text
column through `SpreadsheetSafe`, the same rule in SQL, built from the same triggers
(tests/test_spreadsheets.py checks both agree on any text).
"""

from django.db import models
from import_export.resources import ModelResource

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """`value` unchanged, unless it is text a spreadsheet would read as a formula: then `'` + value."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SpreadsheetSafe(models.Func):
    """`spreadsheet_safe` in SQL: `'` + the value when it is text starting with a trigger; otherwise the value.

    Wraps any expression; on a column that is not text (a number, a date) it is the column itself.
    """

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        return self._neutralised(compiler, "SUBSTR({}, 1, 1)", FORMULA_TRIGGERS)

    def as_postgresql(self, compiler, connection, **extra_context):
        # The first character's code against integers: a COPY of a million reports spends a third of the
        # time it spends comparing one-character texts (10 text columns a row).
        return self._neutralised(compiler, "ASCII({})", tuple(ord(trigger) for trigger in FORMULA_TRIGGERS))

    def _neutralised(self, compiler, first_character: str, triggers: tuple):
        source = self.get_source_expressions()[0]
        sql, params = compiler.compile(source)
        if not is_text_field(source.output_field):
            return sql, params
        placeholders = ", ".join(["%s"] * len(triggers))
        return (
            f"CASE WHEN {first_character.format(sql)} IN ({placeholders}) THEN %s || {sql} ELSE {sql} END",
            (*params, *triggers, "'", *params, *params),
        )


def is_text_field(field) -> bool:
    """A column holding text: CharField and its kinds (slug, URL...), TextField, or a key to such a column."""
    while field.is_relation:
        field = field.target_field
    return isinstance(field, models.CharField | models.TextField)


class SpreadsheetSafeResource(ModelResource):
    """django-import-export resource whose exported cells (CSV, XLSX, ...) are all `spreadsheet_safe`.

    For XLSX this also means no text cell is written as a formula: openpyxl only makes a
    formula of a string that starts with `=`, and none does any more.
    """

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))
