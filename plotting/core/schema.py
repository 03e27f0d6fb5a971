"""The columns and dtypes of each tidy table, whether or not its file exists."""

from __future__ import annotations

import pandas as pd

TEXT, DATE, NUMBER, FLAG, ROW = "object", "datetime64[ns]", "float64", "bool", "int64"
PROVENANCE = {"prior_history": FLAG, "date_reasoning": TEXT, "source": TEXT}

SCHEMAS: dict[str, dict[str, str]] = {
    "measurements": {
        "row": ROW,
        "date": DATE,
        "date_text": TEXT,
        "date_precision": TEXT,
        "marker": TEXT,
        "value": NUMBER,
        "censor": TEXT,
        "unit": TEXT,
        "specimen": TEXT,
        "value_text": TEXT,
        "marker_text": TEXT,
        "unit_text": TEXT,
        "specimen_text": TEXT,
        "original_value": NUMBER,
        "converted_from": TEXT,
        # A result known only to lie in a window: its earliest time is ``date``.
        "latest": DATE,
        "latest_text": TEXT,
        "after": TEXT,
        **PROVENANCE,
    },
    "treatments": {
        "row": ROW,
        "kind": TEXT,
        "lane": TEXT,
        "start": DATE,
        "end": DATE,
        "ongoing": FLAG,
        "label": TEXT,
        "dose": TEXT,
        "dose_gy": NUMBER,
        "fractions": "Int64",
        "date_precision": TEXT,
        "start_text": TEXT,
        "end_text": TEXT,
        # The kind as written (sorafenib), before it is named (targeted therapy).
        "kind_text": TEXT,
        "target": TEXT,
        "technique": TEXT,
        "after": TEXT,
        # ``start = unknown``: drawn from the axis's left edge.
        "start_unknown": FLAG,
        **PROVENANCE,
    },
    "events": {
        "row": ROW,
        "date": DATE,
        "label": TEXT,
        "date_precision": TEXT,
        "date_text": TEXT,
        "after": TEXT,
        **PROVENANCE,
    },
}


# Columns the package derives while reading; a file may not hold its own.
DERIVED = frozenset(
    {
        "row",
        "date_text",
        "start_text",
        "end_text",
        "kind_text",
        "value_text",
        "marker_text",
        "unit_text",
        "specimen_text",
        "original_value",
        "converted_from",
        "latest_text",
        "lane",
    }
)


def empty_table(name: str) -> pd.DataFrame:
    """Return a table with no rows, in the columns and dtypes of ``name``."""
    if name not in _EMPTY:
        _EMPTY[name] = pd.DataFrame(
            {column: pd.Series(dtype=dtype) for column, dtype in SCHEMAS[name].items()}
        )
    return _EMPTY[name].copy()


_EMPTY: dict[str, pd.DataFrame] = {}


def conform(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Return ``frame`` with its schema's columns first, in their dtypes.

    Schema columns the frame lacks are added empty (text ``""``); any other
    column (kept from the user's file) follows, unchanged.
    """
    schema = SCHEMAS[name]
    out = frame.copy()
    for column, dtype in schema.items():
        if column not in out:
            empty = pd.Series(index=out.index, dtype=dtype)
            out[column] = "" if dtype == TEXT else empty
        if str(out[column].dtype) != dtype:
            out[column] = out[column].astype(dtype)
    extra = [c for c in out.columns if c not in schema]
    return out[[*schema, *extra]]
