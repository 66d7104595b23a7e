"""A JSON parser that refuses bodies nested deeper than API_MAX_JSON_DEPTH, before parsing them.

Python's json module recurses once per level: `[` x 100,000 raised RecursionError,
a 500. The nesting is measured first with a flat scan (strings skipped, so a `[`
inside a string does not count), and a body past the limit is a 400 before any
object is built. The body's size is bounded by Django's DATA_UPLOAD_MAX_MEMORY_SIZE
(DRF reads it through `request.body`); over it, the exception handler answers 413.
"""

import re

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

# A whole JSON string (escapes included) or one bracket; anything else is skipped by finditer.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether any array or object in `text` is nested more than `limit` levels deep."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - the body is not valid {encoding}.") from exc
        limit = settings.API_MAX_JSON_DEPTH
        if json_depth_exceeds(text, limit):
            raise ParseError(f"JSON parse error - the body is nested deeper than {limit} levels.")
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
