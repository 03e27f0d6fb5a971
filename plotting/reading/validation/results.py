"""Rules a result must meet beyond its own cell: a censoring sign in a column of
its own, no exact duplicate, one unit per marker (converted where the case asks).

Each works on one case's table or a whole cohort's (grouped by patient).
"""

from __future__ import annotations

import pandas as pd

from ...core.errors import Problem
from ...core.markers import CONVERSIONS
from ..tables.cells import ABOVE_ZERO, BELOW_ZERO, CENSOR_SIGNS

# Columns that carry a result's censoring apart from its value (a "<" of its own).
QUALIFIER_COLUMNS = (
    "qualifier",
    "comparator",
    "flag",
    "censor",
    "operator",
    "modifier",
    "result_modifier",
)

# Abnormal flags a lab prints beside a result; they say nothing of censoring.
LAB_FLAGS = {"h", "l", "hh", "ll", "a", "aa", "n", "*", "high", "low", "abnormal"}


def apply_qualifiers(table, out, problems) -> None:
    """Read censoring signs written in a column of their own (``<`` apart).

    Published tables and FHIR's ``comparator`` carry the qualifier beside the
    value; ignoring it would draw and fit a censored result as measured. A sign
    beside a result of 0 is refused, as ``<0`` and ``>0`` in the value are.
    """
    for column in QUALIFIER_COLUMNS:
        if column not in table.frame:
            continue
        for index, text in table.frame[column].items():
            sign = text.strip()
            if sign in ("", "=") or (column == "flag" and sign.casefold() in LAB_FLAGS):
                continue
            where = (table.name, out.at[index, "row"], table.column_name(column), text)
            if sign not in CENSOR_SIGNS:
                flags = " or a lab flag such as H or L" if column == "flag" else ""
                problems.append(
                    Problem(
                        where[0],
                        f"not a censoring sign; write <, <=, > or >={flags}, or "
                        "leave it empty",
                        *where[1:],
                    )
                )
                continue
            written = out.at[index, "censor"]
            if written and written != CENSOR_SIGNS[sign]:
                problems.append(
                    Problem(
                        where[0],
                        f"says {sign} but the value says {written}; keep one sign",
                        *where[1:],
                    )
                )
            if out.at[index, "value"] == 0:
                problems.append(
                    Problem(
                        where[0],
                        BELOW_ZERO if CENSOR_SIGNS[sign] == "<" else ABOVE_ZERO,
                        *where[1:],
                    )
                )
            out.at[index, "censor"] = CENSOR_SIGNS[sign]


def _patient(out) -> list[str]:
    """Return the patient key of a cohort's tidy table (none for one case)."""
    return ["patient_id"] if "patient_id" in out else []


def refuse_duplicates(table, out, problems) -> None:
    """Refuse a row that repeats another exactly: it would count twice in fits."""
    key = [*_patient(out), "date", "marker", "value", "censor", "unit"]
    usable = out.dropna(subset=["date", "value"])
    repeated = usable.duplicated(subset=key, keep="first")
    for index in usable.index[repeated]:
        row = out.loc[index]
        same = usable[(usable[key] == row[key]).all(axis=1)]
        problems.append(
            Problem(
                table.name,
                f"the same result as row {same['row'].iloc[0]} (date, marker, value "
                "and unit); delete one of the two rows",
                int(row["row"]),
                table.column_name("value"),
                row["value_text"],
            )
        )


def convert_units(out, usable, table, meta, problems) -> list[tuple]:
    """Convert units where the case asks; refuse a marker drawn in two units.

    Works on a whole cohort's table at once (grouped by patient). Returns
    ``(patient_id, note)`` pairs (patient_id None for one case).
    """
    notes = []
    out["original_value"] = out["value"]
    out["converted_from"] = ""
    keys = [*_patient(out), "marker"]
    for (name, source, goal), default in CONVERSIONS.items():
        target = meta.marker_options.get(name, {}).get("convert_to")
        chosen = (out["marker"] == name) & (out["unit"] == source)
        if target != goal or not chosen.any():
            continue
        factor = float(meta.marker_options[name].get("factor", default))
        out.loc[chosen, "value"] = out.loc[chosen, "value"] * factor
        out.loc[chosen, "unit"] = goal
        out.loc[chosen, "converted_from"] = source
        counts = (
            out[chosen].groupby(_patient(out), sort=False).size()
            if _patient(out)
            else pd.Series({None: int(chosen.sum())})
        )
        for patient, count in counts.items():
            plural = "result" if count == 1 else "results"
            notes.append(
                (
                    patient,
                    f"{name}: {count} {plural} converted from {source} to {goal} "
                    f"with 1 {source} = {factor:g} {goal}",
                )
            )
    rows = out.loc[usable.astype(bool)]
    first = rows.groupby(keys, sort=False)[["unit", "row"]].transform("first")
    mixed = rows[rows["unit"] != first["unit"]]
    for index, row in mixed.iterrows():
        marker, unit = row["marker"], first.at[index, "unit"]
        hint = (
            "no accepted conversion exists; keep one assay's unit"
            if not any(k[0] == marker for k in CONVERSIONS)
            else f'add convert_to = "{unit}" under [markers.{marker}] in '
            "case.toml to convert (factor = 1.21 by default)"
        )
        problems.append(
            Problem(
                table.name,
                f"{marker} is in {unit} in row {first.at[index, 'row']}; one marker "
                f"must use one unit throughout: {hint}",
                row["row"],
                table.column_name("unit"),
                row["unit_text"],
            )
        )
    return notes
