"""Header cells: their canonical names and where a table's header may be."""

from __future__ import annotations

import re

# A table's header is looked for in its first rows (a title may stand above it).
HEADER_SEARCH_ROWS = 10


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a zero-based column index (0 -> A)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def canonical_column(header: str) -> str:
    """Return a header's canonical name: casefolded, spaces and hyphens as _."""
    return _canonical(header)


def _canonical(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().casefold())
