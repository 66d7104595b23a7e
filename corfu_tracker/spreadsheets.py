"""Cells that a spreadsheet would run as a formula are neutralised in every export.

The OWASP rule (CSV injection): a text cell starting with `=`, `+`, `-`, `@`, a tab
or a carriage return is prefixed with a single quote, so Excel, LibreOffice and
Google Sheets show it as text. Only text is touched: numbers, dates and empty
cells pass as they are, so a trend of -3.5 stays the number -3.5. The stored data
never changes; only what leaves in a CSV or XLSX file does.

The prefix can be undone exactly (`spreadsheet_original`), so an exported file imports
back unchanged: text that already starts with quotes followed by a trigger (`'=x`) gets
one more quote too, and the import takes one quote off text that starts with quotes
followed by a trigger, and off nothing else (a summary typed as `'Quoted' words` keeps
its quote).

Every writer applies the one rule below. Python writers call `spreadsheet_safe`: the
admin's CSV and XLSX exports (`SpreadsheetSafeResource`) and the recommendations CSV.
Exports read straight from the database (`corfu_tracker.exporting`: the API's
`?format=csv` and the export jobs, whose CSV PostgreSQL's COPY writes) select each text
column through `SpreadsheetSafe`, the same rule in SQL, built from the same triggers
(tests/test_spreadsheets.py checks both agree on any text).
"""

import re

from django.db import models
from import_export.resources import ModelResource

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_prefix(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_TRIGGERS)


def spreadsheet_safe(value):
    """`value` unchanged, unless it is text a spreadsheet would read as a formula: then `'` + value.

    Text made of quotes and then a trigger (`'=x`) gets one too, so `spreadsheet_original` can tell
    the prefix from the text.
    """
    if isinstance(value, str) and _needs_prefix(value):
        return "'" + value
    return value


def spreadsheet_original(text: str) -> str:
    """The text `spreadsheet_safe` was given: its `'` prefix taken off, and nothing else changed."""
    if text.startswith("'") and _needs_prefix(text):
        return text[1:]
    return text


# XLSX text escapes (OOXML `_xHHHH_` stands for one character). XML turns a carriage return into a line
# feed when it is read and forbids the other control characters, so they are written escaped, as Excel
# writes them; a literal `_xHHHH_` in the text is escaped in turn (`_x005F_` is the underscore).
_XLSX_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f]")
_XLSX_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_text(text: str) -> str:
    """`text` as an XLSX cell holds it, so that a reader gets it back exactly (line ends included)."""
    return _XLSX_ESCAPE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def xlsx_text_original(text: str) -> str:
    """The text of an XLSX cell as openpyxl reads it, its `_xHHHH_` escapes undone."""
    return _XLSX_ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)


class SpreadsheetSafe(models.Func):
    """`spreadsheet_safe` in SQL: `'` + the value when it is text starting with a trigger, or with quotes and
    then a trigger; otherwise the value.

    Wraps any expression; on a column that is not text (a number, a date) it is the column itself.
    """

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        return self._neutralised(compiler, "SUBSTR({}, 1, 1)", FORMULA_TRIGGERS, quote="'")

    def as_postgresql(self, compiler, connection, **extra_context):
        # The first character's code against integers: a COPY of a million reports spends a third of the
        # time it spends comparing one-character texts (10 text columns a row).
        triggers = tuple(ord(trigger) for trigger in FORMULA_TRIGGERS)
        return self._neutralised(compiler, "ASCII({})", triggers, quote=ord("'"))

    def _neutralised(self, compiler, first_character: str, triggers: tuple, *, quote):
        source = self.get_source_expressions()[0]
        sql, params = compiler.compile(source)
        if not is_text_field(source.output_field):
            return sql, params
        placeholders = ", ".join(["%s"] * len(triggers))
        first = first_character.format(sql)
        # Only text that starts with a quote pays for the LTRIM (see `_needs_prefix`).
        first_after_quotes = first_character.format(f"LTRIM({sql}, %s)")
        condition = f"{first} IN ({placeholders}) OR ({first} = %s AND {first_after_quotes} IN ({placeholders}))"
        return (
            f"CASE WHEN {condition} THEN %s || {sql} ELSE {sql} END",
            (*params, *triggers, *params, quote, *params, "'", *triggers, "'", *params, *params),
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
