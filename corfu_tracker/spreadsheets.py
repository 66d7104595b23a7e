"""Cells that a spreadsheet would run as a formula are neutralised in every export.

The OWASP rule (CSV injection): a text cell starting with `=`, `+`, `-`, `@`, a tab
or a carriage return is prefixed with a single quote, so Excel, LibreOffice and
Google Sheets show it as text. Only text is touched: numbers, dates and empty
cells pass as they are, so a trend of -3.5 stays the number -3.5. The stored data
never changes; only what leaves in a CSV or XLSX file does.

Every writer uses `spreadsheet_safe`: the API's `?format=csv` (`corfu_tracker.api.csv`)
and the admin's CSV and XLSX exports (`SpreadsheetSafeResource`).
"""

from import_export.resources import ModelResource

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """`value` unchanged, unless it is text a spreadsheet would read as a formula: then `'` + value."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SpreadsheetSafeResource(ModelResource):
    """django-import-export resource whose exported cells (CSV, XLSX, ...) are all `spreadsheet_safe`.

    For XLSX this also means no text cell is written as a formula: openpyxl only makes a
    formula of a string that starts with `=`, and none does any more.
    """

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))
