"""Format result tables for people (markdown) and programs (CSV)."""

from __future__ import annotations

import math

import pandas as pd

from ..core.dates import format_time, relative_value, singular


def _cell(value) -> str:
    if (
        value is None
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    ):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return (
            f"{value:.4g}"
            if abs(value) < 1e-3
            else f"{value:,.3f}".rstrip("0").rstrip(".")
        )
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(table: pd.DataFrame) -> str:
    """Return a DataFrame as a GitHub-flavoured markdown table."""
    header = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    rows = [
        "| " + " | ".join(_cell(v) for v in row) + " |"
        for row in table.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows])


def relative_table(table: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Return a table of a relative-time case with no calendar left in it.

    Each date column holds the units since the origin instead, renamed for its
    unit (``start`` -> ``start_month``, ``nadir_date`` -> ``nadir_month``); a
    window named by its dates is named by those times.
    """
    word = singular(unit)
    out = table.copy()
    renamed = {}
    for column in table.columns:
        dated = column in ("date", "start", "end") or column.endswith("_date")
        if dated or pd.api.types.is_datetime64_any_dtype(table[column]):
            out[column] = [
                None if pd.isna(v) else relative_value(v, unit) for v in table[column]
            ]
            renamed[column] = f"{column.removesuffix('_date')}_{word}"
    if {"window", "start", "end"} <= set(table.columns):
        out["window"] = [
            name
            if name.startswith("after ")
            else f"{format_time(start, unit)} to {format_time(end, unit)}"
            for name, start, end in zip(
                table["window"], table["start"], table["end"], strict=True
            )
        ]
    return out.rename(columns=renamed)
