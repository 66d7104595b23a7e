"""List pages built from `.values()` rows for the endpoints that page through millions of rows.

The serializer still defines and documents each row; its `values_map` names the
column (or expression) behind each field. Rows then skip model instances and
per-field serializer calls, which are most of a list request's cost. A test
(tests/api/test_values_lists.py) checks that both paths give the same JSON.
"""


def values_map_columns(values_map: dict) -> tuple[dict, list[str]]:
    """Annotations needed for the expressions of a values map, and the column of each field."""
    annotations = {f"values_{name}": source for name, source in values_map.items() if not isinstance(source, str)}
    columns = [source if isinstance(source, str) else f"values_{name}" for name, source in values_map.items()]
    return annotations, columns


def values_page_response(view, queryset, values_map: dict):
    """A paginated response of `queryset` (already filtered) with one dict per row, shaped by `values_map`."""
    annotations, columns = values_map_columns(values_map)
    if annotations:
        queryset = queryset.annotate(**annotations)
    page = view.paginate_queryset(queryset.values(*columns))
    names = list(values_map)
    rows = [{name: row[column] for name, column in zip(names, columns, strict=True)} for row in page]
    return view.get_paginated_response(rows)
