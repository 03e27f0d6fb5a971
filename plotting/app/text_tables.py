"""Format result tables for people (markdown) and programs (CSV)."""

from __future__ import annotations

import math

import pandas as pd


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
