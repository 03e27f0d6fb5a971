"""Column parsers shared by the case tables: each turns text cells into values and
adds a located problem for every cell it cannot read."""

from __future__ import annotations

import re

import pandas as pd

from ...core.dates import (
    PRECISIONS,
    RELATIVE_ORIGIN,
    RELATIVE_PRECISION,
    RELATIVE_UNITS,
    UNTIMED_UNITS,
    check_precision,
    named_time_unit,
    parse_date,
    parse_relative,
)
from ...core.errors import Problem
from .cells import (
    AmbiguousMarkError,
    ColumnMark,
    column_mark,
    decided_note,
    mixed_marks,
    parse_number,
    reads_two_ways,
)

TRUE_WORDS = {"yes", "y", "true", "1", "x", "prior"}
FALSE_WORDS = {"", "no", "n", "false", "0"}
# Doses (Gy) and fractions above this are typos, whatever the technique.
MAX_COUNT = 1000


def text_column(table, column) -> pd.Series:
    """Return a column's cells, or empty strings where the column is absent."""
    frame = table.frame
    if column in frame:
        # Plain Python strings: iterating pandas' Arrow strings is far slower.
        return frame[column].astype(object)
    return pd.Series("", index=frame.index, dtype=object)


def column_decimals(table, column, declared, *, by="patient_id") -> list[tuple]:
    """Return, for each row, the decimal mark to read ``column`` with and the
    :class:`~plotting.reading.tables.cells.ColumnMark` its cells show.

    A declared mark (``[files] decimal``) always wins. Without one, the
    column's own cells show it (:func:`~plotting.reading.tables.cells.column_mark`):
    in a table with a ``by`` column (a cohort's ``patient_id``), each patient's
    cells, as a table pooled from several sources may write one patient's
    results otherwise than another's. Cells the file stores as numbers (a
    workbook's numeric cells) show no mark of the author's and are no evidence.
    """
    rows = [int(row) for row in table.frame["row"]]
    if declared is not None:
        return [(declared, ColumnMark())] * len(rows)
    texts = text_column(table, column).tolist()
    groups = (
        text_column(table, by).tolist() if by in table.frame else [None] * len(rows)
    )
    written: dict = {}
    for row, text, group in zip(rows, texts, groups, strict=True):
        if (row, column) not in table.numeric:
            cells = written.setdefault(group, ([], []))
            cells[0].append(row)
            cells[1].append(text)
    marks = {group: column_mark(*cells) for group, cells in written.items()}
    shown = [marks.get(group, ColumnMark()) for group in groups]
    return [(mark.mark, mark) for mark in shown]


def mark_message(err: ValueError, shown: ColumnMark, what: str = "results") -> str:
    """Return a cell's message, naming both marks where its column shows both."""
    if isinstance(err, AmbiguousMarkError) and shown.mixed:
        return mixed_marks(str(err), shown, what)
    return str(err)


def decimal_notes(table, column, decimals, values, *, what="results") -> list:
    """Return ``(patient_id or None, note)`` for each patient whose cells that
    read two ways were read with the decimal mark their column shows."""
    decided: dict = {}
    groups = (
        text_column(table, "patient_id")
        if "patient_id" in table.frame
        else [None] * len(values)
    )
    for row, text, (mark, shown), value, group in zip(
        table.frame["row"],
        text_column(table, column),
        decimals,
        values,
        groups,
        strict=True,
    ):
        if shown.mark is None or mark != shown.mark or pd.isna(value):
            continue
        if reads_two_ways(text):
            decided.setdefault(group, (shown.evidence, []))[1].append(
                (int(row), text.strip(), float(value))
            )
    return [
        (
            group,
            decided_note(table.name, table.column_name(column), cells, evidence, what),
        )
        for group, (evidence, cells) in decided.items()
    ]


def _problem(table, message, row, column, text=None):
    return Problem(table.name, message, row, table.column_name(column), text)


def row_time_units(table, unit, problems, *, cycle_days=None) -> list:
    """Return the unit each row's times are written in: its ``time_unit``, or
    ``unit`` (the case's; None for calendar dates).

    A row may count in another unit than the case (weeks in a case of months):
    it converts exactly, as units of known length in days. Cycles convert only
    with ``[time] cycle_days``; a case counted in cycles of unknown length, or
    in order positions, takes no other unit, as nothing converts into it.
    """
    written = text_column(table, "time_unit")
    units = []
    for row, text in zip(table.frame["row"], written, strict=True):
        if not text.strip():
            units.append(unit)
            continue
        named = named_time_unit(text)
        message = None
        if unit is None:
            message = (
                "time_unit is for times counted from an origin or an event "
                "([time] relative in case.toml); in a calendar case write the date"
            )
        elif named not in RELATIVE_UNITS or named == "order":
            message = "not a unit of time; write days, weeks, months or years"
        elif unit in UNTIMED_UNITS and named != unit:
            message = (
                f"this case counts {unit}, which have no length in days, so a time "
                f"in {named} cannot be placed among them; write it in {unit}, or "
                "leave the row out and say why in your notes"
            )
        elif named == "cycles" and unit != "cycles" and cycle_days is None:
            message = (
                "a number of cycles converts to time only with their length; add "
                "[time] cycle_days = the stated length in days (such as 21), or "
                "write the time in days, weeks or months"
            )
        if message:
            problems.append(_problem(table, message, row, "time_unit", text))
            units.append(None if unit is None else unit)
            continue
        units.append(named)
    return units


def unit_days(unit: str, cycle_days: float | None = None) -> float:
    """Return the length in days of one ``unit`` (cycles: ``cycle_days``)."""
    if unit == "cycles" and cycle_days is not None:
        return cycle_days
    return RELATIVE_UNITS[unit]


def parse_dates(
    table,
    column,
    problems,
    *,
    order=None,
    required=True,
    unit=None,
    decimal=None,
    units=None,
    cycle_days=None,
):
    """Return draw positions and the precision each cell's text gives.

    With ``unit`` (relative times), cells are numbers of that unit since the origin;
    ``units`` gives each row's own (see :func:`row_time_units`). ``required`` is
    one flag for every row, or one per row.
    """
    positions, written = [], []
    cells = text_column(table, column)
    units = units if units is not None else [unit] * len(cells)
    needed = [required] * len(cells) if isinstance(required, bool) else list(required)
    for row, text, row_unit, need in zip(
        table.frame["row"], cells, units, needed, strict=True
    ):
        position, precision = pd.NaT, None
        if not text.strip():
            if need:
                how = (
                    f"the {row_unit} since the origin, such as 3"
                    if row_unit
                    else "a date (YYYY-MM-DD)"
                )
                problems.append(_problem(table, f"empty; write {how}", row, column))
        else:
            try:
                position, precision = _parse_time(
                    text, order, row_unit, decimal, cycle_days
                )
            except ValueError as err:
                message = str(err)
                if row_unit is None and re.fullmatch(r"[+\-]?\d{1,3}([.,]\d+)?", text):
                    message += (
                        '; for times counted from an origin, write relative = "months"'
                        ' (or "days", "weeks", "years") under [time] in case.toml'
                    )
                problems.append(_problem(table, message, row, column, text))
        positions.append(position)
        written.append(precision)
    index = table.frame.index
    return pd.Series(positions, index=index, dtype="datetime64[ns]"), written


def _parse_time(text, order, unit, decimal, cycle_days=None):
    if unit is not None:
        value = parse_relative(text, unit, decimal=decimal)
        if unit == "order" and not (value >= 1 and float(value).is_integer()):
            raise ValueError(
                "not an order position; write a whole number from 1 (1 for what the "
                "source reports first, equal numbers for the same moment)"
            )
        days = value * unit_days(unit, cycle_days)
        return RELATIVE_ORIGIN + pd.Timedelta(days=days), RELATIVE_PRECISION[unit]
    position, _, precision = parse_date(text, order=order)
    return position, precision


def period_starts(
    table, column, *, order=None, unit=None, decimal=None, units=None, cycle_days=None
) -> pd.Series:
    """Return the first day of the period each date cell names (NaT if unread).

    A relative time names an instant, not a period: its start is itself, read
    with the same decimal mark as :func:`parse_dates` reads it.
    """
    starts = []
    cells = text_column(table, column)
    units = units if units is not None else [unit] * len(cells)
    for text, row_unit in zip(cells, units, strict=True):
        try:
            starts.append(
                _parse_time(text, order, row_unit, decimal, cycle_days)[0]
                if row_unit is not None
                else parse_date(text, order=order)[1]
            )
        except ValueError:
            starts.append(pd.NaT)
    return pd.Series(starts, index=table.frame.index, dtype="datetime64[ns]")


def parse_precisions(table, written, problems, *, unit=None) -> list[str]:
    """Return each row's date precision, checked against what its date says."""
    result = []
    stated = text_column(table, "date_precision")
    for row, text, precision in zip(table.frame["row"], stated, written, strict=True):
        text = text.strip().casefold()
        if not text:
            result.append(precision or "day")
            continue
        message = check_precision(text, precision or "day")
        if message and unit is not None and text in PRECISIONS:
            message = (
                f"a time in {unit} is known only to the {precision}, not the {text}; "
                f"write date_precision {precision} (or approximate), or give the "
                'times in days (relative = "days")'
            )
        if message:
            problems.append(_problem(table, message, row, "date_precision", text))
        result.append(text)
    return result


def parse_numbers(table, column, problems, *, decimal=None, integer=False, notes=None):
    """Return an optional column of positive numbers (NaN or NA where empty).

    Numbers are read as results are (see
    :func:`plotting.reading.tables.cells.parse_number`), with the decimal mark
    the column shows when none is declared (:func:`column_decimals`; each cell
    so read adds a note to ``notes``), and must be finite and at most
    ``MAX_COUNT``: an ``inf`` dose is a typo.
    """
    values = []
    kind = "whole number" if integer else "number"
    decimals = column_decimals(table, column, decimal)
    for row, text, (mark, shown) in zip(
        table.frame["row"], text_column(table, column), decimals, strict=True
    ):
        cell = text.strip()
        if not cell:
            values.append(None)
            continue
        try:
            value = parse_number(cell, decimal=mark)
        except AmbiguousMarkError as err:
            if shown.mixed:
                problems.append(
                    _problem(
                        table, mark_message(err, shown, "numbers"), row, column, text
                    )
                )
                values.append(None)
                continue
            value = float("nan")
        except ValueError:
            value = float("nan")
        if not 0 < value <= MAX_COUNT or (integer and not value.is_integer()):
            example = "12" if integer else "30"
            problems.append(
                _problem(
                    table,
                    f"not a positive {kind} up to {MAX_COUNT:g}; write one such as "
                    f"{example}",
                    row,
                    column,
                    text,
                )
            )
            value = None
        values.append(int(value) if integer and value else value)
    if notes is not None:
        read = [float("nan") if v is None else v for v in values]
        notes += decimal_notes(table, column, decimals, read, what="numbers")
    dtype = "Int64" if integer else "float64"
    return pd.Series(values, index=table.frame.index, dtype=dtype)


def parse_flags(table, column, problems) -> pd.Series:
    """Return a yes/no column as booleans (empty is no)."""
    flags = []
    for row, text in zip(table.frame["row"], text_column(table, column), strict=True):
        word = text.strip().casefold()
        if word not in TRUE_WORDS | FALSE_WORDS:
            problems.append(
                _problem(table, "write yes or leave it empty", row, column, text)
            )
        flags.append(word in TRUE_WORDS)
    return pd.Series(flags, index=table.frame.index, dtype=bool)
