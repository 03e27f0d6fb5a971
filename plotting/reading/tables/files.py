"""Read the raw cells of a case table from CSV or Excel, as the user saw them.

No value is interpreted here: every cell comes back as text with its spreadsheet row
number, and the header is found even below a title row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ...core.dates import TIME_COLUMNS
from ...core.errors import Problem
from ...core.schema import DERIVED
from .headers import HEADER_SEARCH_ROWS, canonical_column, column_letter
from .paths import special_file
from .workbooks import read_workbook

_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class RawTable:
    """Text cells of one table, with canonical column names and spreadsheet rows.

    Attributes
    ----------
    name : str
        How messages name the file (with the sheet for a workbook).
    frame : DataFrame
        One text column per header cell (known columns under their canonical name)
        and ``row``, the spreadsheet row of each record.
    headers : dict
        Canonical column name to the header text as written.
    decimal : {".", ","} or None
        The decimal mark of numbers written as text; None: not known from the
        file (the case may declare it), so a number that reads two ways is
        refused unless the column's own cells show its decimal mark.
    numeric : frozenset of (int, str)
        The cells, as ``(row, column)``, that the file stores as numbers (a
        workbook's numeric cells, a Parquet or DataFrame number): their text is
        the package's, not the author's, so it shows no decimal mark.
    """

    name: str
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    decimal: str | None = None
    numeric: frozenset = frozenset()

    def column_name(self, column: str) -> str:
        """Return a column's header as the user wrote it."""
        return self.headers.get(column, column)


def read_raw_table(path: Path, *, required, known, problems, sheet=None):
    """Read a table's cells; on failure add problems and return None.

    Parameters
    ----------
    path : Path
        A ``.csv`` (comma, semicolon or tab separated; UTF-8 with or without BOM,
        UTF-16 or Windows-1252) or ``.xlsx`` file.
    required, known : sequence of str
        Canonical names of the required and of all recognised columns.
    problems : list of Problem
        Where problems are added.
    sheet : str, optional
        Worksheet name; by default the sheet named like the file, else the one
        visible sheet holding the table.

    Returns
    -------
    RawTable or None
    """
    if path.is_dir():
        problems.append(
            Problem(str(path), "a folder, not a file; put the table's file here")
        )
        return None
    if path.suffix.casefold() in EXCEL_SUFFIXES:
        read = read_workbook(path, sheet, required, problems)
    elif path.suffix.casefold() == ".parquet":
        special = special_file(path)
        if special is not None:
            problems.append(Problem(str(path), special))
            return None
        read = _read_parquet(path, problems)
    elif path.suffix.casefold() in (".xls", ".ods", ".numbers"):
        problems.append(
            Problem(
                str(path),
                "this spreadsheet format is not read; save it as .xlsx or as CSV UTF-8",
            )
        )
        return None
    else:
        read = _read_csv(path, required, problems)
    if read is None:
        return None
    name, records, decimal, *numeric = read
    table = _build(name, records, decimal, required, known, problems)
    if table is None or not numeric:
        return table
    return with_numeric(table, numeric[0])


def with_numeric(table: RawTable, cells) -> RawTable:
    """Return ``table`` knowing which cells were numbers: ``cells`` holds
    ``(spreadsheet row, column index)`` of each (the index in the header row)."""
    header = list(table.frame.columns[1:])
    numeric = frozenset(
        (row, header[index]) for row, index in cells if index < len(header)
    )
    return replace(table, numeric=numeric)


def _read_csv(path: Path, required, problems):
    if (special := special_file(path)) is not None:
        problems.append(Problem(str(path), special))
        return None
    try:
        data = path.read_bytes()
    except OSError as err:
        problems.append(
            Problem(
                str(path),
                f"cannot be read ({err.strerror or err}); check that the file exists "
                "and that you may read it",
            )
        )
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            problems.append(
                Problem(
                    str(path),
                    "starts like UTF-16 text but is not; export the table as CSV UTF-8",
                )
            )
            return None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            if _UTF8_SEQUENCE.search(data) and b"\x00" not in data:
                # Valid UTF-8 letters beside bytes that are not: decoding it all as
                # Windows-1252 would draw "RÃ©cidive" for "Récidive".
                problems.append(
                    Problem(
                        str(path),
                        "mixes UTF-8 with another encoding; save it again as CSV UTF-8",
                    )
                )
                return None
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        problems.append(
            Problem(
                str(path), "holds binary data, not text; export the table as CSV UTF-8"
            )
        )
        return None
    delimiter = _sniff_delimiter(text, required)
    # One object per distinct cell text: a cohort repeats "AFP", "ng/mL" and its
    # dates tens of thousands of times, and the texts are kept for messages.
    shared = {}
    try:
        records = [
            [shared.setdefault(cell, cell) for cell in record]
            for record in csv.reader(
                io.StringIO(text, newline=""), delimiter=delimiter, strict=True
            )
        ]
    except csv.Error as err:
        problems.append(
            Problem(
                str(path), f"cannot be read as CSV ({err}); check for an unclosed quote"
            )
        )
        return None
    return str(path), records, None


def _read_parquet(path: Path, problems):
    """Return a Parquet table's cells as text, as a CSV export would hold them."""
    from .text import cell_text, is_number

    try:
        frame = pd.read_parquet(path)
    except ImportError:
        problems.append(
            Problem(
                str(path),
                "reading Parquet needs pyarrow; pip install 'marker-trends[parquet]'",
            )
        )
        return None
    except Exception as err:
        problems.append(
            Problem(
                str(path), f"cannot be read as Parquet ({type(err).__name__}: {err})"
            )
        )
        return None
    records = [[str(c) for c in frame.columns]]
    records += [[cell_text(v) for v in row] for row in frame.itertuples(index=False)]
    numeric = {
        (number, index)
        for number, row in enumerate(frame.itertuples(index=False), start=2)
        for index, value in enumerate(row)
        if is_number(value)
    }
    return str(path), records, None, numeric


def _sniff_delimiter(text: str, required) -> str:
    """Return the separator that splits a row into the required column names.

    A title row above the header ("Lab report; printed 2020-01-05, page 1") must
    not decide the separator, so the header row is looked for under each
    candidate; without one, the first non-empty line decides.
    """
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    for sep in (",", ";", "\t"):
        try:
            rows = list(csv.reader(lines, delimiter=sep))
        except csv.Error:
            continue
        if any(set(required) <= _names(row) for row in rows):
            return sep
    first = next((line for line in lines if line.strip()), "")
    counts = {sep: _count_outside_quotes(first, sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _count_outside_quotes(line: str, sep: str) -> int:
    return len(re.sub(r'"[^"]*"', "", line).split(sep)) - 1


def _build(name, records, decimal, required, known, problems):
    header_at = _find_header(records, required, known)
    if header_at is None:
        first = next((r for r in records if any(c.strip() for c in r)), None)
        if first is None:
            problems.append(Problem(name, "empty; write a header row and results"))
        else:
            separated = "|" in "".join(first)
            hint = " (the file seems separated by '|'; use commas)" if separated else ""
            problems.append(
                Problem(
                    name,
                    f"no header row naming {', '.join(required)} in the first "
                    f"{HEADER_SEARCH_ROWS} rows; put the column names in one row"
                    + hint,
                )
            )
        return None
    header = [cell.strip() for cell in records[header_at]]
    row_number = header_at + 1
    canonical = [
        canonical_column(h) if canonical_column(h) in known else h for h in header
    ]
    _time_column(name, header, canonical, known, row_number, problems)
    for column in required:
        if column not in canonical:
            problems.append(
                Problem(
                    name, "missing; add this column to the header", row_number, column
                )
            )
    for column in canonical:
        if canonical_column(column) in DERIVED - set(known):
            problems.append(
                Problem(
                    name,
                    "a column name the package uses for what it reads; rename the "
                    "column (such as original_row) or delete it",
                    row_number,
                    column,
                )
            )
    seen = {}
    for index, column in enumerate(canonical):
        if column and column in seen:
            problems.append(
                Problem(
                    name,
                    f"appears twice (columns {column_letter(seen[column])} and "
                    f"{column_letter(index)}); keep one",
                    row_number,
                    header[index],
                )
            )
        seen.setdefault(column, index)
    body = []
    width = len(header)
    unnamed = [i for i, h in enumerate(header) if not h]
    for offset, record in enumerate(records[header_at + 1 :], start=header_at + 2):
        cells = [c.strip() for c in record]
        if not any(cells):
            continue
        extra = [i for i in unnamed if i < len(cells) and cells[i]] + [
            i for i in range(width, len(cells)) if cells[i]
        ]
        for index in extra:
            problems.append(
                Problem(
                    name,
                    f"a value in column {column_letter(index)}, which has no header; "
                    "a number like 2,160 needs quotes in a comma-separated file, or "
                    "name the column",
                    offset,
                    None,
                    record[index],
                )
            )
        cells = cells[:width]
        body.append([offset, *cells, *[""] * (width - len(cells))])
    if any(p.file == name for p in problems):
        return None
    columns = [
        "row",
        *[c if c else f"column {column_letter(i)}" for i, c in enumerate(canonical)],
    ]
    frame = pd.DataFrame(body, columns=columns, dtype=object)
    frame["row"] = frame["row"].astype(int)
    headers = {c: h for c, h in zip(canonical, header, strict=True) if c in known}
    return RawTable(name, frame, headers, decimal)


def _time_column(name, header, canonical, known, row_number, problems) -> None:
    """Read a ``month`` (``days``, ``weeks``...) column as the date column.

    Its header is kept as written, so messages name it and the case learns the
    unit of its relative times from it.
    """
    if "date" not in known:
        return
    named = [i for i, h in enumerate(header) if canonical_column(h) in TIME_COLUMNS]
    if named and ("date" in canonical or len(named) > 1):
        first = "date" if "date" in canonical else header[named[0]]
        problems.append(
            Problem(
                name,
                f"both a {first!r} column and a {header[named[-1]]!r} column say "
                "when; keep one",
                row_number,
                header[named[-1]],
            )
        )
    elif named:
        canonical[named[0]] = "date"


def _names(record) -> set:
    """Return a header row's canonical names, a time column (month) as date."""
    names = {canonical_column(cell) for cell in record}
    return names | {"date"} if names & set(TIME_COLUMNS) else names


def _find_header(records, required, known):
    wanted = set(required)
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        names = _names(record)
        if wanted <= names:
            return index
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        if {canonical_column(cell) for cell in record} & set(known):
            return index
    return None
