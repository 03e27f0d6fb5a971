"""Read the cells of a worksheet as Excel shows them, or say why they cannot be.

A workbook hides things a CSV cannot: hidden sheets and rows, censoring shown
only by a number format, formulas whose result was never saved. Each is read as
the author sees it on screen, or refused with the cell that needs attention.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ...core.errors import Problem
from .paths import special_file
from .text import exact_text

# Encrypted (password-protected) .xlsx files and old .xls files are OLE files.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LITERALS = re.compile(r'"([^"]*)"|\\(.)')
_CONDITION = re.compile(r"\[[<>=]")
# One section of a number format, up to its semicolon (none inside quotes).
_SECTION = re.compile(r'((?:"[^"]*"|\\.|[^;"\\])*);')
_SIGNS = {"<": "<", "≤": "<=", ">": ">", "≥": ">=", "<=": "<=", ">=": ">="}


def read_workbook(path: Path, sheet, required, problems):
    """Return ``(name, records, None, numeric)`` for one sheet, or None with
    problems added.

    Numeric cells are exact, and ``numeric`` holds ``(row, column index)`` of
    each: its text is the package's, so it shows no decimal mark of the author's.
    Text cells carry no decimal mark of the file's, so the decimal mark is left
    to the case (None) or to the column's own text cells.

    Parameters
    ----------
    path : Path
    sheet : str or None
        The sheet to read; by default the visible sheet named like the file, else
        the one visible sheet holding the ``required`` header.
    required : sequence of str
        Canonical names of the columns the table needs.
    problems : list of Problem
    """
    import openpyxl
    from openpyxl.utils import get_column_letter

    def refuse(message):
        problems.append(Problem(str(path), message))

    if (special := special_file(path)) is not None:
        refuse(special)
        return None
    try:
        with path.open("rb") as stream:
            signature = stream.read(8)
    except OSError as err:
        refuse(
            f"cannot be read ({err.strerror or err}); check that the file exists "
            "and that you may read it"
        )
        return None
    if signature == _OLE_SIGNATURE:
        refuse(
            "is password-protected or in the old .xls format; save it as .xlsx "
            "without a password"
        )
        return None
    try:
        book = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as err:
        refuse(
            f"cannot be opened as an Excel workbook ({type(err).__name__}); save it "
            "again as .xlsx"
        )
        return None
    chosen = _choose_sheet(book, path, sheet, required, refuse)
    if chosen is None:
        return None
    name = f"{path} [sheet {chosen}]"
    worksheet, cached = book[chosen], formulas[chosen]
    if not hasattr(worksheet, "iter_rows"):
        refuse(f"sheet {chosen!r} is a chart, not a table; name the sheet of results")
        return None
    hidden = {
        get_column_letter(number)
        for dimension in worksheet.column_dimensions.values()
        if dimension.hidden
        for number in range(dimension.min or 1, (dimension.max or dimension.min) + 1)
    }
    records, numeric = [], set()
    for row in worksheet.iter_rows():
        number = row[0].row
        while len(records) < number - 1:
            records.append([])
        cells = []
        for cell in row:
            text = _cell_text(cell)
            if isinstance(cell.value, int | float) and _CONDITION.search(
                str(cell.number_format)
            ):
                problems.append(
                    Problem(
                        name,
                        f"shown through a conditional number format "
                        f"({cell.number_format}); write the result as the lab "
                        "reported it, as text such as <1",
                        number,
                        cell.column_letter,
                        str(cell.value),
                    )
                )
            if cell.value is None and cached.cell(number, cell.column).data_type == "f":
                problems.append(
                    Problem(
                        name,
                        "a formula without a saved result; open the workbook in "
                        "Excel and save it, or paste the values",
                        number,
                        cell.column_letter,
                        str(cached.cell(number, cell.column).value),
                    )
                )
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                numeric.add((number, cell.column - 1))
            cells.append(text)
        for cell, text in zip(row, cells, strict=True):
            if text and cell.column_letter in hidden:
                hidden.discard(cell.column_letter)  # one problem per column
                problems.append(
                    Problem(
                        name,
                        "in a hidden column; unhide the column to use it, or delete it",
                        number,
                        cell.column_letter,
                        text,
                    )
                )
        if worksheet.row_dimensions[number].hidden and any(cells):
            problems.append(
                Problem(
                    name,
                    "hidden in the workbook; unhide the row to use it, or delete it",
                    number,
                )
            )
        records.append(cells)
    if any(p.file == name for p in problems):
        return None
    return name, records, None, numeric


def _choose_sheet(book, path, sheet, required, refuse):
    names = book.sheetnames
    if sheet is not None:
        if sheet not in names:
            refuse(f"has no sheet {sheet!r}; its sheets are {', '.join(names)}")
            return None
        return sheet
    visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
    by_stem = [n for n in visible if n.casefold() == path.stem.casefold()]
    if by_stem:
        return by_stem[0]
    holding = [n for n in visible if _has_header(book[n], required)]
    if len(holding) > 1:
        refuse(
            f"holds a table on several sheets ({', '.join(holding)}); put the rows "
            "on one sheet, or name the sheet to read under [files] in case.toml"
        )
        return None
    chosen = holding or visible or names
    if not chosen:
        refuse("holds no worksheet; save the table again as .xlsx from a spreadsheet")
        return None
    return chosen[0]


def _has_header(worksheet, required) -> bool:
    from .headers import HEADER_SEARCH_ROWS, canonical_column

    for row in worksheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True):
        names = {canonical_column(str(v)) for v in row if v is not None}
        if set(required) <= names:
            return True
    return False


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    shown = str(cell.number_format or "")
    if isinstance(value, dt.datetime | dt.date):
        folded = shown.casefold()
        # A date cell formatted without a day ("mmm yyyy") says only the month,
        # one formatted "yyyy" only the year.
        shown_parts = re.sub(r'"[^"]*"|\[[^\]]*\]', "", folded)
        if "d" not in shown_parts and "y" in shown_parts:
            return f"{value:%Y-%m}" if "m" in shown_parts else f"{value:%Y}"
        return f"{value:%Y-%m-%d}"
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        if value == 0 and (zero := _zero_shown(shown)) is not None:
            return zero
        return _shown_sign(shown) + exact_text(float(value))
    return str(value).strip()


def _zero_shown(number_format: str) -> str | None:
    """Return what a number format shows for 0 when it shows no digit, else None.

    A format's third section is for 0 (``0.0;-0.0;;@`` shows nothing, the
    accounting ``_-* #,##0_-;-* #,##0_-;_-* "-"_-`` a dash): on screen the cell is
    empty, or a dash, never 0, and it is read as shown, so an empty-looking cell
    never becomes a result of 0.
    """
    sections = _SECTION.findall(number_format + ";")
    if len(sections) < 3:
        return None
    zero = re.sub(r"\[[^\]]*\]", "", sections[2])
    if re.search(r"[0#?]", _LITERALS.sub("", zero)):
        return None
    shown = _LITERALS.sub(lambda m: m.group(2) or m.group(1), zero)
    return re.sub(r"[_*].|@", "", shown).strip()


def _shown_sign(number_format: str) -> str:
    """Return the censoring sign a number format prints before the number.

    ``"<"0.0``, ``\\<0.0``, ``<0.0`` and ``"<"0.0" ng/mL"`` all show 0.5 as a
    censored result, so it is read as one; text after the number (a unit) is
    ignored. Conditional formats are refused by the caller.
    """
    positive = number_format.split(";")[0]
    prefix, index = "", 0
    while index < len(positive) and positive[index] not in "0#?":
        char = positive[index]
        if char == '"':
            end = positive.find('"', index + 1)
            end = len(positive) if end < 0 else end
            prefix += positive[index + 1 : end]
            index = end + 1
            continue
        if char == "\\" and index + 1 < len(positive):
            prefix += positive[index + 1]
            index += 2
            continue
        if char not in "_*":
            prefix += char
        index += 1
    prefix = prefix.strip()
    for sign in sorted(_SIGNS, key=len, reverse=True):
        if prefix.startswith(sign):
            return _SIGNS[sign]
    return ""
