"""Project documents (docs/*.md) rendered for the public site with a Markdown library."""

from functools import lru_cache
from pathlib import Path

import markdown
from django.conf import settings

DOCS_DIR = Path(settings.BASE_DIR) / "docs"
MARKDOWN_EXTENSIONS = ["extra", "toc", "sane_lists"]


def document_html(name: str) -> str:
    """The HTML of docs/<name>.md; re-rendered only when the file changes."""
    path = DOCS_DIR / f"{name}.md"
    return _render(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _render(path: Path, mtime_ns: int) -> str:
    # The documents are the project's own, reviewed like code: their HTML is trusted.
    return markdown.markdown(path.read_text(encoding="utf-8"), extensions=MARKDOWN_EXTENSIONS, output_format="html")
