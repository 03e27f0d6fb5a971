"""Check the tables of one case: results, treatments and events (pure pandas)."""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pandas as pd

from ...core.dates import period_end
from ...core.errors import Problem
from ...core.markers import marker_lookup
from ...core.schema import conform, empty_table
from ...core.specimens import split_specimen
from ...core.units import canonical_unit
from ...core.vocabulary import canonical_kind, is_known_kind, lane_for, nearest_kind
from ..tables.cells import parse_result
from ..tables.columns import (
    column_decimals,
    decimal_notes,
    mark_message,
    parse_dates,
    parse_flags,
    parse_numbers,
    parse_precisions,
    period_starts,
    row_time_units,
    text_column,
)
from .results import apply_qualifiers, convert_units, read_specimens, refuse_duplicates


def time_reading(table, meta, problems) -> dict:
    """Return how a table's time cells are read: keyword arguments of
    :func:`plotting.reading.tables.columns.parse_dates` and ``period_starts``
    (each row's unit among them, so a row's ``time_unit`` is checked once)."""
    return {
        "order": meta.date_order,
        "unit": meta.time_unit,
        "decimal": meta.decimal or table.decimal,
        "units": row_time_units(
            table, meta.time_unit, problems, cycle_days=meta.cycle_days
        ),
        "cycle_days": meta.cycle_days,
    }


def with_provenance(table, out, meta, problems, date_column, reading=None):
    reading = reading or time_reading(table, meta, problems)
    dates, written = parse_dates(table, date_column, problems, **reading)
    out[date_column] = dates
    out["date_precision"] = parse_precisions(
        table, written, problems, unit=meta.time_unit
    )
    out["prior_history"] = parse_flags(table, "prior_history", problems)
    for column in ("date_reasoning", "source"):
        out[column] = text_column(table, column)
    return out


def check_measurements(table, registry, meta, problems):
    if table is None:
        return empty_table("measurements"), []
    frame = table.frame
    if frame.empty:
        problems.append(
            Problem(table.name, "no results below the header; add one row per result")
        )
    out = frame.rename(
        columns={
            "date": "date_text",
            "value": "value_text",
            "marker": "marker_text",
            "unit": "unit_text",
        }
    )
    reading = time_reading(table, meta, problems)
    out = with_provenance(table, out, meta, problems, "date", reading)
    out["latest_text"] = text_column(table, "latest")
    out["latest"] = read_latest(table, out, reading, problems)
    decimals = column_decimals(table, "value", meta.decimal or table.decimal)
    lookup = marker_lookup(registry)
    values, censors, markers, units, named_specimens = [], [], [], [], []
    for row, value_text, marker_text, unit_text, (decimal, shown) in zip(
        frame["row"],
        frame["value"],
        frame["marker"],
        frame["unit"],
        decimals,
        strict=True,
    ):
        try:
            value, censor = parse_result(value_text, decimal=decimal)
        except ValueError as err:
            problems.append(
                Problem(
                    table.name,
                    mark_message(err, shown),
                    row,
                    table.column_name("value"),
                    value_text,
                )
            )
            value, censor = float("nan"), ""
        values.append(value)
        censors.append(censor)
        marker = lookup(marker_text) if marker_text.strip() else None
        # "CEA (urine)", "CEA, serum", "Urine CEA": the marker and its specimen.
        named = split_specimen(marker_text) if marker is None else None
        if named is not None and lookup(named[0]) is not None:
            marker = lookup(named[0])
        named_specimens.append(named[1] if marker is not None and named else "")
        if not marker_text.strip():
            problems.append(
                Problem(
                    table.name,
                    f"empty; write the marker, such as {next(iter(registry))}",
                    row,
                    table.column_name("marker"),
                    marker_text,
                )
            )
        markers.append(marker.name if marker else marker_text.strip())
        unit = canonical_unit(unit_text)
        units.append(unit or unit_text.strip())
        if marker is None and marker_text.strip():
            problems.append(
                Problem(
                    table.name,
                    "unknown marker; use one of "
                    f'{", ".join(registry)} or add [markers."{marker_text.strip()}"] '
                    "with its unit and uln to case.toml",
                    row,
                    table.column_name("marker"),
                    marker_text,
                )
            )
        elif marker is not None and (unit or unit_text.strip()) not in marker.units:
            problems.append(
                Problem(
                    table.name,
                    f"not a unit of {marker.name}; write one of "
                    f"{', '.join(marker.units)}",
                    row,
                    table.column_name("unit"),
                    unit_text,
                )
            )
    out["value"], out["censor"] = values, censors
    out["marker"], out["unit"] = markers, units
    apply_qualifiers(table, out, problems)
    read_specimens(table, out, problems, named=named_specimens)
    refuse_duplicates(table, out, problems)
    usable = pd.Series(
        [
            (m := lookup(name)) is not None and unit in m.units
            for name, unit in zip(markers, units, strict=True)
        ],
        index=out.index,
    )
    notes = decimal_notes(table, "value", decimals, values)
    notes += convert_units(out, usable, table, meta, problems)
    out = conform(out, "measurements")
    return out.sort_values(["date", "row"], kind="stable").reset_index(drop=True), notes


# What an end cell may say of a therapy still given at the last follow-up.
ONGOING_WORDS = {"ongoing", "continuing", "to date", "present", "current"}
# What a start cell may say of a course whose start the source does not give.
UNKNOWN_START_WORDS = {"unknown", "not known", "not given", "not stated"}


def check_treatments(table, meta, problems, notes=None):
    """Return the checked treatments; ``notes`` gets ``(patient_id, note)`` for
    doses read with the decimal mark their column shows."""
    if table is None:
        return empty_table("treatments")
    out = table.frame.rename(columns={"start": "start_text", "end": "end_text"})
    reading = time_reading(table, meta, problems)
    starts = text_column(table, "start")
    unknown = starts.str.strip().str.casefold().isin(UNKNOWN_START_WORDS)
    known = replace(table, frame=table.frame.assign(start=starts.where(~unknown, "")))
    out = with_provenance(
        known, out, meta, problems, "start", {**reading, "required": ~unknown}
    )
    out["start_unknown"] = unknown.astype(bool)
    out.loc[unknown & (out["date_precision"] == "day"), "date_precision"] = (
        "approximate"
    )
    ends = text_column(table, "end")
    out["ongoing"] = ends.str.strip().str.casefold().isin(ONGOING_WORDS).astype(bool)
    dated = replace(
        table, frame=table.frame.assign(end=ends.where(~out["ongoing"], ""))
    )
    out["end"], _ = parse_dates(dated, "end", problems, required=False, **reading)
    # A therapy still given at the last follow-up runs to it (drawn open-ended).
    out.loc[out["ongoing"], "end"] = meta.last_follow_up
    out["start_from"] = period_starts(known, "start", **reading)
    # Never unknown where the start was read: a NaT here made "ends before it
    # starts" false, and the course was then dropped without a word.
    out["start_from"] = out["start_from"].fillna(out["start"])
    written = out["kind"].astype(object).str.strip()
    out["kind_text"] = written
    out["kind"] = [canonical_kind(kind) or kind for kind in written]
    out["lane"] = [lane_for(kind) for kind in written]
    decimal = meta.decimal or table.decimal
    out["dose_gy"] = parse_numbers(
        table, "dose_gy", problems, decimal=decimal, notes=notes
    )
    out["fractions"] = parse_numbers(
        table, "fractions", problems, decimal=decimal, integer=True, notes=notes
    )
    for column in ("label", "target", "technique"):
        out[column] = text_column(table, column)
    for row in out.itertuples():
        if not row.kind:
            problems.append(
                Problem(
                    table.name,
                    "empty; write a treatment kind such as tace or radiotherapy",
                    row.row,
                    table.column_name("kind"),
                    "",
                )
            )
        elif not is_known_kind(row.kind):
            near = nearest_kind(row.kind)
            hint = f" (did you mean {near!r}?)" if near else ""
            warnings.warn(
                f"{table.name}, row {row.row}: treatment kind {row.kind!r} "
                f"has no style of its own{hint}; drawn in a neutral lane",
                UserWarning,
                stacklevel=4,
            )
        if row.start_unknown and (pd.isna(row.end) or row.ongoing):
            problems.append(
                Problem(
                    table.name,
                    "a course whose start is not given needs its end: write the end "
                    "(the course is drawn from the axis's left edge to it), or the "
                    "start if it is known",
                    row.row,
                    table.column_name("end"),
                    row.end_text,
                )
            )
        if pd.notna(row.start) and pd.notna(row.end) and row.end < row.start_from:
            problems.append(
                Problem(
                    table.name,
                    "the course ends before it starts; check start and end",
                    row.row,
                    table.column_name("end"),
                    row.end_text,
                )
            )
    # A course whose start is known to the month and that ends inside that
    # month is drawn from the month's first day, so it never ends before it starts.
    early = out["end"].notna() & (out["end"] < out["start"])
    out.loc[early, "start"] = out.loc[early, "start_from"]
    out = conform(out.drop(columns="start_from"), "treatments")
    return out.sort_values(["start", "row"], kind="stable").reset_index(drop=True)


def read_latest(table, out, reading, problems) -> pd.Series:
    """Return the latest time each result may have been taken (NaT: a point).

    A result known only to lie in a window has ``date`` (its earliest) and
    ``latest``, written alike; a calendar window runs from the first day of the
    period ``date`` names to the last of ``latest``'s (``1990-04`` to
    ``1990-05`` is 1 April to 31 May). The row's date becomes the window's start.
    """
    if "latest" not in table.frame:
        return pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    latest, written = parse_dates(table, "latest", problems, required=False, **reading)
    if reading["unit"] is None:
        firsts = period_starts(table, "latest", **reading)
        latest = pd.Series(
            [
                pd.NaT if pd.isna(when) else period_end(first, precision)
                for when, first, precision in zip(latest, firsts, written, strict=True)
            ],
            index=out.index,
            dtype="datetime64[ns]",
        )
        starts = period_starts(table, "date", **reading)
        ranged = latest.notna() & starts.notna()
        out.loc[ranged, "date"] = starts[ranged]
    where = table.column_name("latest")
    for row, first, last, text in zip(
        out["row"], out["date"], latest, text_column(table, "latest"), strict=True
    ):
        if pd.notna(first) and pd.notna(last) and last <= first:
            problems.append(
                Problem(
                    table.name,
                    "not after the date: latest is the latest the result can have "
                    "been taken, and date the earliest; check both (leave latest "
                    "empty for a result of one known time)",
                    row,
                    where,
                    text,
                )
            )
    return latest


def check_events(table, meta, problems):
    if table is None:
        return empty_table("events")
    out = table.frame.rename(columns={"date": "date_text"})
    out = with_provenance(table, out, meta, problems, "date")
    for row, label in zip(out["row"], text_column(table, "label"), strict=True):
        if not label.strip():
            problems.append(
                Problem(
                    table.name,
                    "empty; write what happened, such as Diagnosis",
                    row,
                    table.column_name("label"),
                    label,
                )
            )
    out = conform(out, "events")
    return out.sort_values(["date", "row"], kind="stable").reset_index(drop=True)


def check_window(table, frame, column, window, problems):
    """Add a problem for each date after today, after the last follow-up, or
    before the origin (unless ``prior_history``).

    ``window`` is ``(origin, follow_up_end, today)``; origin and follow-up end
    may be Series aligned with ``frame`` (one patient's each, in a cohort). A bound
    that is None is not checked (relative times have no today and may lie before
    their origin).
    """
    origin, last, today = window
    # numpy, not pandas: this runs five times for every case read, mostly to
    # find nothing, and pandas' per-operation cost was a fifth of a read.
    dates = frame[column].to_numpy()
    future = _after(dates, today)
    late = ~future & _after(dates, last)
    early = (
        ~future
        & ~late
        & _after(origin, dates)
        & ~frame["prior_history"].to_numpy(dtype=bool)
    )
    if not (future | late | early).any():
        return
    rows = frame["row"].to_numpy()
    texts = frame[f"{column}_text"].to_numpy(dtype=object)
    where = table.column_name(column)
    for mask, message in (
        (future, "in the future; check the year"),
        (
            late,
            "after the last follow-up in case.toml; fix the date or last_follow_up",
        ),
        (
            early,
            "before the time origin in case.toml; fix the date or the origin, or "
            "write yes in a prior_history column",
        ),
    ):
        for row, text in zip(rows[mask], texts[mask], strict=True):
            problems.append(Problem(table.name, message, int(row), where, text))


def _instants(bound):
    """Return dates or a bound as numpy datetimes: an array's or a Series'
    values, or one instant."""
    if isinstance(bound, np.ndarray):
        return bound
    if isinstance(bound, pd.Series):
        return bound.to_numpy(dtype="datetime64[ns]")
    return pd.Timestamp(bound).to_datetime64()


def _after(first, second) -> np.ndarray:
    """Return where ``first`` is after ``second``; a missing bound or date
    (None, NaT) is never."""
    if first is None or second is None:
        known = second if first is None else first
        return np.zeros(len(known), dtype=bool)
    return np.asarray(_instants(first) > _instants(second), dtype=bool)
