"""Parse result cells and units as lab systems and spreadsheets print them."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

CENSOR_SIGNS = {"<": "<", "≤": "<", "<=": "<", ">": ">", "≥": ">", ">=": ">"}
# A censoring sign at the start of a cell, and the space after it.
LEADING_SIGN = re.compile(r"^(<=|>=|[<>≤≥])\s*")
_DIGITS = re.compile(r"^\d+$")
_SPACED_THOUSANDS = re.compile(r"^\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")
# Results outside these bounds are typos or scientific notation, not assays.
SMALLEST, LARGEST = 1e-6, 1e8
# A result of 0 as a lab prints it: 0, 0.0, 0,00 (and .0). Zeros in any other
# form (00, 000, 0 000, 0.000.000) are digits or separators gone astray, such as
# "1 000" that lost its 1, and are refused, never read as 0.
_ZERO = re.compile(r"^0?([.,]0+)?$")
NEGATIVE = (
    "negative: no assay reports a level below 0; write the result as the lab "
    "reported it, such as 0, or <2.0 below the detection limit"
)
BELOW_ZERO = (
    "below 0 is no detection limit; write the assay's limit, such as <0.01, or 0 "
    "if the lab reported 0"
)
ABOVE_ZERO = (
    "above 0 is no result: it says only that something was measured; write the "
    "result, or the limit the lab printed, such as >60000"
)
DECLARE = (
    'declare the number format with decimal = "," or "." under [files] in case.toml'
)


class AmbiguousMarkError(ValueError):
    """A number that reads two ways (``2,160``) without a decimal mark to settle it."""


def parse_result(text: str, *, decimal: str | None = None):
    """Parse a result cell into a number and a censoring qualifier.

    Parameters
    ----------
    text : str
        The cell as printed: ``2160``, ``2,160``, ``187.8``, ``<2.0``, ``> 60000``,
        ``0`` (also ``0.0``, ``0,00``: a literal zero, as papers print PSA after
        prostatectomy); with ``decimal=","`` also ``2,3`` and ``2.160,5``.
    decimal : {".", ","} or None
        The decimal mark, when the case declares it; None when it is not known:
        a number that reads differently under the two marks (``2,160`` and
        ``2.160``, a single mark followed by three digits) is then refused,
        never guessed.

    Returns
    -------
    value : float
        The number (0.0 for a result reported as 0), or the detection limit of a
        censored result.
    censor : {"", "<", ">"}
        ``"<"`` below the limit, ``">"`` above it, ``""`` an exact result.

    Raises
    ------
    ValueError
        With a message that says how to write the cell: a negative number, a
        censored 0 (``<0``, ``>0``), a 0 written otherwise than ``0``, ``0.0`` or
        ``0,0``, and any other number outside 10⁻⁶ to 10⁸.
    """
    return _parse_result(text, decimal)


# Results repeat across a cohort; parsing is a pure function of the cell.
@functools.lru_cache(maxsize=65536)
def _parse_result(text: str, decimal: str | None):
    cell = text.strip()
    if not cell:
        raise ValueError("empty; write the result as the lab reported it, e.g. 12.5")
    censor = ""
    if match := LEADING_SIGN.match(cell):
        censor = CENSOR_SIGNS[match.group(1)]
        cell = cell[match.end() :]
        if not re.search(r"\d", cell):
            raise ValueError(
                "a censored result needs its limit; write it such as <2.0, with the "
                "assay's detection limit"
            )
    value = parse_number(cell, decimal=decimal)
    if value < 0 or cell.lstrip().startswith("-"):
        raise ValueError(NEGATIVE)
    if value == 0:
        if censor:
            raise ValueError(BELOW_ZERO if censor == "<" else ABOVE_ZERO)
        if not _ZERO.match(cell.strip()):
            raise ValueError(
                f"a 0 written as {cell.strip()}, which no lab prints (a digit or a "
                "thousands separator gone astray?); write 0 if the lab reported 0"
            )
        return 0.0, ""
    if not SMALLEST <= value <= LARGEST:
        raise ValueError(
            f"outside what any assay reports ({SMALLEST:g} to {LARGEST:,.0f}); "
            "check the cell"
        )
    return value, censor


def parse_number(cell: str, *, decimal: str | None = None) -> float:
    """Read a number written with a decimal mark and thousands separators.

    Raises
    ------
    ValueError
        For text that is not a number, scientific notation, inner spaces that are
        not thousands separators, and marks that contradict ``decimal`` or (when
        it is None) could mean either.
    """
    cell = cell.strip()
    negative = cell.startswith("-")
    body = cell[1:] if negative else cell
    if re.fullmatch(r"[\d.,]*\d[eE][-+]?\d+", body):
        raise ValueError("scientific notation; write the number in full, such as 0.012")
    if not re.fullmatch(r"[\d.,\s\u00a0\u202f]*\d[\d.,\s\u00a0\u202f]*", body):
        raise ValueError("not a positive number; write one such as 187.8")
    if _SPACED_THOUSANDS.match(body):
        body = re.sub(r"[ \u00a0\u202f]", "", body)
    if re.search(r"[\s\u00a0\u202f]", body):
        raise ValueError(
            "a space inside the number; write it without spaces, such as 187.8"
        )
    number = _normalise(body, decimal)
    return -float(number) if negative else float(number)


def _normalise(body: str, decimal: str | None) -> str:
    """Return ``body`` with a point for a decimal mark and no separators.

    Only a single mark followed by exactly three digits (``2,160``, ``2.160``)
    reads two ways; the declared ``decimal`` settles it, and without one it is
    refused. Every other form means one number only and is read as such.
    """
    marks = [c for c in body if c in ".,"]
    if not marks:
        return body
    if len(set(marks)) == 2:
        last = body[max(body.rfind("."), body.rfind(","))]
        whole, _, fraction = body.rpartition(last)
        if not _GROUPED.match(whole) or last in whole:
            raise ValueError("not a positive number; write one such as 187.8")
        return whole.replace("," if last == "." else ".", "") + "." + fraction
    mark = marks[0]
    if len(marks) > 1:
        if not _GROUPED.match(body) or decimal == mark:
            raise ValueError("not a positive number; write one such as 187.8")
        return body.replace(mark, "")
    whole, _, fraction = body.partition(mark)
    if not fraction:
        raise ValueError("not a positive number; write one such as 187.8")
    # 0,160 and 0.050 are decimals whatever the mark: no group starts with 0.
    thousands = len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0"
    if thousands and decimal != mark:
        if decimal is None:
            raise AmbiguousMarkError(
                f"ambiguous: {body} is {whole}{fraction} with a thousands separator "
                f"or {float(whole + '.' + fraction):g} with a decimal "
                f"{_NAME[mark]}; {DECLARE}"
            )
        return whole + fraction
    return f"{whole or '0'}.{fraction}"


_NAME = {",": "comma", ".": "point"}


@dataclass(frozen=True)
class MarkEvidence:
    """A cell that can only be read with one decimal mark.

    Attributes
    ----------
    mark : {".", ","}
        The decimal mark the cell is written with.
    row : int
        The cell's spreadsheet row.
    text : str
        The cell as written, such as ``187.8`` or ``2,3``.
    """

    mark: str
    row: int
    text: str


@dataclass(frozen=True)
class ColumnMark:
    """The decimal mark a column's own cells show.

    Attributes
    ----------
    point, comma : MarkEvidence or None
        The first cell that can only be read with a decimal point (``187.8``,
        ``0.05``, ``1,250.5``, ``1,250,000``), or with a decimal comma (``2,3``,
        ``0,160``, ``1.250,5``); None where no cell is.
    """

    point: MarkEvidence | None = None
    comma: MarkEvidence | None = None

    @property
    def mark(self) -> str | None:
        """The decimal mark, when the cells show exactly one; else None."""
        if (self.point is None) == (self.comma is None):
            return None
        return "." if self.point is not None else ","

    @property
    def evidence(self) -> MarkEvidence | None:
        """The cell that shows :attr:`mark` (None without one mark)."""
        return None if self.mark is None else (self.point or self.comma)

    @property
    def mixed(self) -> bool:
        """Whether some cells show a decimal point and others a decimal comma."""
        return self.point is not None and self.comma is not None


def cell_mark(text: str) -> str | None:
    """Return the decimal mark a cell can only be read with, or None.

    ``187.8``, ``0.050``, ``.5`` and ``1234.567`` use a point as their decimal
    mark, ``1,250.5`` too (the comma groups thousands), and ``1,250,000`` (only a
    thousands separator repeats). A cell without a mark, with one mark followed
    by three digits (``2,160``: the cell in question), or that is no number,
    shows none.
    """
    body = LEADING_SIGN.sub("", text.strip(), count=1).lstrip("-")
    if _SPACED_THOUSANDS.match(body):
        body = re.sub(r"[ \u00a0\u202f]", "", body)
    if not re.fullmatch(r"\d*[.,][\d.,]*\d", body):
        return None
    try:
        _normalise(body, None)
    except ValueError:
        return None
    marks = [c for c in body if c in ".,"]
    if len(set(marks)) == 2:
        return marks[-1]
    if len(marks) > 1:
        return _OTHER[marks[0]]
    return marks[0]


def column_mark(rows: Iterable[int], texts: Iterable[str]) -> ColumnMark:
    """Return the decimal mark the cells of one column show.

    This is the one rule by which a number format is inferred: a cell that can
    only be read with a decimal point (see :func:`cell_mark`) is evidence for the
    point, one that can only be read with a comma for the comma. Where the
    column holds evidence for one mark only, that mark reads its cells that read
    two ways (``5,658`` beside ``187.8`` is 5658); evidence for both, or none,
    settles nothing, and such cells are refused.
    """
    found: dict[str, MarkEvidence] = {}
    for row, text in zip(rows, texts, strict=True):
        mark = cell_mark(text)
        if mark is not None and mark not in found:
            found[mark] = MarkEvidence(mark, int(row), text.strip())
            if len(found) == 2:
                break
    return ColumnMark(point=found.get("."), comma=found.get(","))


def reads_two_ways(text: str) -> bool:
    """Return whether a cell reads as two numbers without a decimal mark."""
    try:
        _parse_result(text, None)
    except AmbiguousMarkError:
        return True
    except ValueError:
        try:
            parse_number(text, decimal=None)
        except AmbiguousMarkError:
            return True
        except ValueError:
            return False
    return False


def mixed_marks(
    message: str, column: ColumnMark, what: str = "results", *, declare=DECLARE
) -> str:
    """Return an ambiguity message for a column whose cells show both marks;
    ``declare`` is how the message says to give the mark."""
    point, comma = column.point, column.comma
    return (
        message.removesuffix(declare)
        + f"the column's other {what} show both marks, a decimal point in row "
        f"{point.row} ({point.text!r}) and a decimal comma in row {comma.row} "
        f"({comma.text!r}); write the column with one decimal mark, or {declare}"
    )


def decided_note(
    file: str, column: str, decided, evidence: MarkEvidence, what: str = "results"
) -> str:
    """Return the note saying which cells a column's own decimal mark read.

    ``decided`` holds ``(row, text, value)`` of each cell that reads two ways and
    was read with the mark ``evidence`` shows; the first three are named.
    """
    shown = [
        f"row {row} {text!r} read as {value:.12g}" for row, text, value in decided[:3]
    ]
    more = len(decided) - len(shown)
    listing = ", ".join(shown) + (f" and {more} more" if more else "")
    return (
        f"{file}, column {column}: {listing} (the column's other {what}, e.g. row "
        f"{evidence.row} {evidence.text!r}, use a decimal {_NAME[evidence.mark]})"
    )


_OTHER = {",": ".", ".": ","}
