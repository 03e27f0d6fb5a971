"""Cells of any origin (DataFrames, workbooks) as the text a CSV file would hold."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd


def cell_text(value) -> str:
    """Return a DataFrame cell as the text a file would hold.

    A missing cell (None, NaN, NaT, and ``pd.NA`` of nullable columns, as Parquet
    files give them) is empty, never 0 and never the text ``<NA>``.
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date | np.datetime64):
        return date_text(value)
    if isinstance(value, bool | np.bool_):
        return "yes" if value else ""
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return exact_text(float(value))
    return str(value).strip()


def is_number(value) -> bool:
    """Return whether a cell is stored as a number (its text is the package's)."""
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return isinstance(value, int | float | np.integer | np.floating)


def date_text(value) -> str:
    """Return a date as ISO text (``2006-08-15``); text is returned as written."""
    if isinstance(value, str):
        return value
    return f"{pd.Timestamp(value):%Y-%m-%d}"


def exact_text(value: float) -> str:
    """Return a numeric cell as text that reads back as this number only.

    Numeric cells are exact, but they are read as text with the case's decimal
    mark: 0.001 could then be read as 1 with a thousands separator. Positional
    notation with at least four decimals (0.0010) reads one way under any mark.
    """
    if value.is_integer():
        return str(int(value))
    text = np.format_float_positional(value, trim="-")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction:0<4}"
