"""Rules a result must meet beyond its own cell: a censoring sign in a column of
its own, a known specimen, no exact duplicate, one unit per series (a marker in
one specimen; converted where the case asks).

Each works on one case's table or a whole cohort's (grouped by patient).
"""

from __future__ import annotations

import pandas as pd

from ...core.errors import Problem
from ...core.markers import CONVERSIONS
from ...core.specimens import canonical_specimen, unknown_specimen
from ..tables.cells import ABOVE_ZERO, BELOW_ZERO, CENSOR_SIGNS
from ..tables.columns import text_column

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

# Columns that say what a result was measured in (serum, urine); lab systems
# name it so. Read rather than kept aside, so a urine CEA never joins the serum
# one because its column had another name.
SPECIMEN_COLUMNS = (
    "specimen",
    "specimen_type",
    "sample_type",
    "sample",
    "material",
    "specimen_source",
)

# Abnormal flags a lab prints beside a result; they say nothing of censoring.
LAB_FLAGS = {"h", "l", "hh", "ll", "a", "aa", "n", "*", "high", "low", "abnormal"}


def apply_qualifiers(table, out, problems) -> None:
    """Read censoring signs written in a column of their own (``<`` apart).

    Published tables and FHIR's ``comparator`` carry the qualifier beside the
    value; ignoring it would draw and fit a censored result as measured. A sign
    beside a result of 0 is refused, as ``<0`` and ``>0`` in the value are.
    """
    equals = []
    for column in QUALIFIER_COLUMNS:
        if column not in table.frame:
            continue
        for index, text in table.frame[column].items():
            sign = text.strip()
            if sign == "=":
                equals.append((index, column, text))
                continue
            if sign == "" or (column == "flag" and sign.casefold() in LAB_FLAGS):
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
    # "=" says the value is exact: beside a sign in the value or another
    # column, one of the two is wrong, and reading either would be a guess.
    for index, column, text in equals:
        censor = out.at[index, "censor"]
        if censor:
            problems.append(
                Problem(
                    table.name,
                    f"says = (an exact value) but the result is censored ({censor}); "
                    "keep one sign",
                    out.at[index, "row"],
                    table.column_name(column),
                    text,
                )
            )


def read_specimens(table, out, problems, *, named=None) -> None:
    """Read each result's specimen (``specimen``, ``sample type``, ``material``).

    A specimen is written as labs write it (``Ser``, ``URINE ``, ``Ser/Plas``)
    and kept by its canonical name (``plotting.core.specimens``); an empty
    cell is not stated. Unknown text is refused with the nearest known
    specimen: a guess would join or part series the user did not mean.

    ``named`` holds, per row, the specimen the marker cell states (``CEA
    (urine)``) or ``""``; it fills an empty cell, and a cell that says another
    is refused. A column of another name that holds only specimens (``sample``,
    ``SpecimenType``) is refused too: kept aside, it would join a urine series
    to the serum one without a word.
    """
    _refuse_unread_specimens(table, problems)
    present = [column for column in SPECIMEN_COLUMNS if column in table.frame]
    for other in present[1:]:
        problems.append(
            Problem(
                table.name,
                f"both {table.column_name(present[0])!r} and "
                f"{table.column_name(other)!r} say the specimen; keep one",
                None,
                table.column_name(other),
            )
        )
    column = present[0] if present else SPECIMEN_COLUMNS[0]
    written = text_column(table, column)
    named = named if named is not None else [""] * len(written)
    specimens = []
    for (index, text), in_name in zip(written.items(), named, strict=True):
        specimen = canonical_specimen(text)
        where = (out.at[index, "row"], table.column_name(column), text)
        if specimen is None:
            problems.append(Problem(table.name, unknown_specimen(text), *where))
            specimen = text.strip()
        elif in_name and specimen and specimen != in_name:
            marker = table.frame.at[index, "marker"]
            problems.append(
                Problem(
                    table.name,
                    f"the specimen is {specimen} here, but the marker {marker!r} "
                    f"says {in_name}; keep one (the marker alone, such as "
                    f"{out.at[index, 'marker']!r}, and the specimen in this column)",
                    *where,
                )
            )
        specimens.append(specimen or in_name)
    out["specimen_text"] = written
    out["specimen"] = pd.Series(specimens, index=out.index, dtype=object)


# Columns read for something else: never mistaken for an unread specimen.
_READ_COLUMNS = {
    "row",
    "date",
    "marker",
    "value",
    "unit",
    "latest",
    "after",
    "time_unit",
    *QUALIFIER_COLUMNS,
    *SPECIMEN_COLUMNS,
}


def _refuse_unread_specimens(table, problems) -> None:
    """Refuse a column the package does not read whose cells are all specimens."""
    for column in table.frame.columns:
        if column in _READ_COLUMNS:
            continue
        cells = text_column(table, column).str.strip()
        stated = cells[cells != ""]
        found = stated.map(canonical_specimen)
        if stated.empty or found.isna().any():
            continue
        names = ", ".join(dict.fromkeys(found))
        problems.append(
            Problem(
                table.name,
                f"holds specimens ({names}) but is not read; name the column "
                "specimen, or a urine result would join the serum ones",
                None,
                table.column_name(column),
            )
        )


def _patient(out) -> list[str]:
    """Return the patient key of a cohort's tidy table (none for one case)."""
    return ["patient_id"] if "patient_id" in out else []


def refuse_duplicates(table, out, problems) -> None:
    """Refuse a row that repeats another exactly: it would count twice in fits.

    The same value of a marker on one day in two specimens is two results.
    """
    key = [*_patient(out), "date", "marker", "specimen", "value", "censor", "unit"]
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
    """Convert units where the case asks; refuse a series drawn in two units.

    A series is a marker in one specimen: a marker in serum and in urine may
    have a unit of each. Works on a whole cohort's table at once (grouped by
    patient). Returns ``(patient_id, note)`` pairs (patient_id None for one
    case).
    """
    notes = []
    out["original_value"] = out["value"]
    out["converted_from"] = ""
    keys = [*_patient(out), "marker", "specimen"]
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
        series = f"{marker} in {row['specimen']}" if row["specimen"] else marker
        within = "in each specimen" if row["specimen"] else "throughout"
        hint = (
            "no accepted conversion exists; keep one assay's unit"
            if not any(k[0] == marker for k in CONVERSIONS)
            else f'add convert_to = "{unit}" under [markers.{marker}] in '
            "case.toml to convert (factor = 1.21 by default)"
        )
        problems.append(
            Problem(
                table.name,
                f"{series} is in {unit} in row {first.at[index, 'row']}; one marker "
                f"must use one unit {within}: {hint}",
                row["row"],
                table.column_name("unit"),
                row["unit_text"],
            )
        )
    return notes
