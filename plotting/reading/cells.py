"""Parse result cells and units as lab systems and spreadsheets print them."""

from __future__ import annotations

import math
import re

CENSOR_SIGNS = {"<": "<", "≤": "<", "<=": "<", ">": ">", "≥": ">", ">=": ">"}
_SIGN = re.compile(r"^(<=|>=|[<>≤≥])\s*")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?\d*,\d+$")

# Canonical unit for each spelling a lab export may use (keys casefolded).
UNIT_ALIASES = {
    "ng/ml": "ng/mL",
    "µg/l": "ng/mL",
    "ug/l": "ng/mL",
    "mcg/l": "ng/mL",
    "iu/ml": "IU/mL",
    "kiu/l": "IU/mL",
    "u/ml": "U/mL",
    "ku/l": "U/mL",
    "kiu/ml": "kIU/mL",
    "mau/ml": "mAU/mL",
}


def canonical_unit(text: str) -> str | None:
    """Return the canonical spelling of a unit, or None if it is not known."""
    # casefold() turns the micro sign into Greek mu; fold both to the micro sign.
    key = "".join(text.split()).casefold().replace("μ", "µ")
    return UNIT_ALIASES.get(key)


def parse_result(text: str, *, decimal: str = "."):
    """Parse a result cell into a number and a censoring qualifier.

    Parameters
    ----------
    text : str
        The cell as printed: ``2160``, ``2,160``, ``187.8``, ``<2.0``, ``> 60000``;
        with ``decimal=","`` also ``2,3`` and ``2.160,5``.
    decimal : {".", ","}
        The file's decimal mark: ``","`` for semicolon-separated files.

    Returns
    -------
    value : float
        The number, or the detection limit of a censored result.
    censor : {"", "<", ">"}
        ``"<"`` below the limit, ``">"`` above it, ``""`` an exact result.

    Raises
    ------
    ValueError
        With a message that says how to write the cell.
    """
    cell = text.strip()
    censor = ""
    if match := _SIGN.match(cell):
        censor = CENSOR_SIGNS[match.group(1)]
        cell = cell[match.end() :]
    cell = cell.replace("\u00a0", "").replace(" ", "")
    number = _normalise_number(cell, decimal)
    value = float(number)
    if not math.isfinite(value):
        raise ValueError("not a positive number; write one such as 187.8")
    if value <= 0:
        raise ValueError(
            "not a positive number: zero or less cannot be drawn on a log axis; write "
            "the result as the lab reported it, e.g. <2.0 below the detection limit"
        )
    return value, censor


def _normalise_number(cell: str, decimal: str) -> str:
    if decimal == ",":
        if "," in cell:
            if _THOUSANDS_DOT.match(cell) or _DECIMAL_COMMA.match(cell):
                return cell.replace(".", "").replace(",", ".")
        elif _THOUSANDS_DOT.match(cell):
            raise ValueError(
                "ambiguous in a semicolon-separated file (thousands or decimals?); "
                "write it without the dot, or with a decimal comma such as 2,16"
            )
        elif _PLAIN.match(cell):
            return cell
    elif "," in cell:
        if _THOUSANDS_COMMA.match(cell):
            return cell.replace(",", "")
        if _DECIMAL_COMMA.match(cell):
            raise ValueError(
                "a decimal comma in a comma-separated file; write it with a point, "
                "such as 2.3"
            )
    elif _PLAIN.match(cell):
        return cell
    raise ValueError("not a positive number; write one such as 187.8")
