"""The decimal mark of a lab export's results, from the export's own cells.

An export without ``decimal`` is read with the mark its result column shows, by
the rule every table follows (:func:`plotting.reading.tables.cells.column_mark`):
one system prints the whole column, so the column, not each patient, is the unit.
"""

from __future__ import annotations

from ..tables.cells import (
    AmbiguousMarkError,
    ColumnMark,
    column_mark,
    decided_note,
    mixed_marks,
    reads_two_ways,
)
from .values import DECLARE_EXPORT, check_result


def export_decimal(table, column: str, declared: str | None):
    """Return the decimal mark to read the results with, and what their column
    shows (an empty :class:`ColumnMark` when ``declared`` is given)."""
    if declared is not None:
        return declared, ColumnMark()
    frame = table.frame
    written = [
        (row, text)
        for row, text in zip(frame["row"], frame[column].astype(str), strict=True)
        if (int(row), column) not in table.numeric
    ]
    shown = column_mark([row for row, _ in written], [text for _, text in written])
    return shown.mark, shown


def check_export_result(text: str, decimal, shown: ColumnMark):
    """Check a result as :func:`.values.check_result` does, naming both marks
    where the column shows both."""
    try:
        return check_result(text, decimal=decimal)
    except AmbiguousMarkError as err:
        if not shown.mixed:
            raise
        message = mixed_marks(str(err), shown, declare=DECLARE_EXPORT)
        raise ValueError(message) from None


def export_note(source: str, header: str, values, shown: ColumnMark) -> str | None:
    """Return the note naming the imported results the column's mark read, if any.

    ``values`` holds ``(row, text, value)`` of each imported result.
    """
    if shown.mark is None:
        return None
    decided = [
        (row, text, value) for row, text, value in values if reads_two_ways(text)
    ]
    if not decided:
        return None
    return decided_note(source, header, decided, shown.evidence)
