"""Read a case folder into checked, tidy tables (pure pandas, no drawing)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..core.case import Case
from ..core.dates import RELATIVE_ORIGIN, TIME_COLUMNS
from ..core.errors import CaseDataError, InputError, Problem
from ..core.markers import DEFAULT_MARKERS, find_marker
from ..core.specimens import is_reference_specimen
from .settings.case_toml import CaseMetadata, read_metadata
from .settings.marker_overrides import with_overrides
from .tables.files import read_raw_table
from .tables.headers import canonical_column
from .validation.anchors import resolve_anchors
from .validation.results import QUALIFIER_COLUMNS, SPECIMEN_COLUMNS
from .validation.tables import (
    check_events,
    check_measurements,
    check_treatments,
    check_window,
)

if TYPE_CHECKING:
    from ..core.types import DateLike, PathLike

__all__ = ["build_case", "load_table", "read_case"]
TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
PROVENANCE = ("date_precision", "date_reasoning", "source", "prior_history")
TABLES = {
    "measurements": (
        ("date", "marker", "value", "unit"),
        (*QUALIFIER_COLUMNS, *SPECIMEN_COLUMNS, *PROVENANCE),
    ),
    "treatments": (
        ("kind", "start"),
        ("end", "label", "dose_gy", "fractions", "target", "technique", *PROVENANCE),
    ),
    "events": (("date", "label"), PROVENANCE),
}


def read_case(path: PathLike, *, today: DateLike | None = None) -> Case:
    """Read and check a case folder (``case.toml`` plus CSV or Excel tables).

    Parameters
    ----------
    path : str or Path
        The case folder, or its ``case.toml``. The folder holds ``measurements``
        and optionally ``treatments`` and ``events``, each as ``.csv`` or ``.xlsx``
        (or the files named under ``[files]``); ``data/README.md`` defines every
        column and the accepted formats.
    today : datetime-like, optional
        Dates after this day are errors; defaults to the current date.

    Returns
    -------
    Case
        The case's tables, checked, with its times, markers and settings.

    Raises
    ------
    CaseDataError
        Listing every problem found, each with file, row and column. Files are
        only read, never written.
    InputError
        When ``path`` is no folder or file.

    Examples
    --------
    >>> case = read_case("data/yu2020")
    >>> sorted(case.measurements.marker.unique())
    ['AFP', 'PIVKA-II']
    """
    folder = Path(path)
    if folder.is_file():
        folder = folder.parent
    elif not folder.is_dir():
        # One line, not the four problems of an empty folder (no case.toml, no
        # origin, no last follow-up, no measurements).
        raise InputError(f"{folder}: no such case folder; check the path")
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    problems: list[Problem] = []
    files = read_metadata(folder / "case.toml", today, [])
    tables = {
        name: load_table(folder, name, files, problems, optional=name != "measurements")
        for name in TABLES
    }
    # Read again once the tables say whether times are relative (a month column).
    unit = column_time_unit(tables, files.time_unit, problems)
    meta = read_metadata(folder / "case.toml", today, problems, column_unit=unit)
    return build_case(folder, meta, tables, today, problems)


def column_time_unit(tables, declared, problems) -> str | None:
    """Return the unit the tables' time columns name (``month``: months), if any.

    A column such as ``month`` in place of ``date`` means the same as ``[time]
    relative = "months"``; tables that name different units, or a unit other than
    the declared one, are problems.
    """
    found = {}
    for table in tables.values():
        if table is None:
            continue
        header = table.column_name("date")
        unit = TIME_COLUMNS.get(canonical_column(header))
        if unit is None:
            continue
        found.setdefault(unit, (table, header))
        expected = declared or next(iter(found))
        if unit != expected:
            source = (
                f'[time] relative = "{declared}"'
                if declared
                else f"the {found[expected][1]!r} column of {found[expected][0].name}"
            )
            problems.append(
                Problem(
                    table.name,
                    f"the column {header!r} counts {unit}, but {source} counts "
                    f"{expected}; use one unit for every time of a case",
                    None,
                    header,
                )
            )
    return next(iter(found), None)


def build_case(folder, meta: CaseMetadata, tables, today, problems) -> Case:
    """Check raw tables against a case's metadata and assemble the Case.

    Parameters
    ----------
    folder : Path
        Where the case was read from.
    meta : CaseMetadata
    tables : dict
        ``measurements``, ``treatments`` and ``events`` as
        :class:`plotting.reading.tables.files.RawTable` (None when absent).
    today : Timestamp
        Dates after it are errors.
    problems : list of Problem
        Problems found so far; those found here are added.

    Raises
    ------
    CaseDataError
        With ``problems`` (those found before, and those found here).
    """
    registry = with_overrides(DEFAULT_MARKERS, meta.marker_options)
    measurements, notes = check_measurements(
        tables["measurements"], registry, meta, problems
    )
    treatments = check_treatments(tables["treatments"], meta, problems, notes)
    events = check_events(tables["events"], meta, problems)
    placed = resolve_anchors(
        {"measurements": measurements, "treatments": treatments, "events": events},
        tables,
        meta,
        problems,
    )
    measurements, treatments, events = (
        placed["measurements"],
        placed["treatments"],
        placed["events"],
    )
    if meta.time_unit == "order" and meta.last_follow_up is None:
        meta = _last_position(meta, measurements, treatments, events)
        treatments.loc[treatments["ongoing"], "end"] = meta.last_follow_up
    window = (meta.origin, meta.follow_up_end, today)
    if meta.time_unit is not None:
        # Relative times have no calendar (no "future") and may precede the origin.
        window = (None, meta.follow_up_end, None)
    for table, frame, column in (
        (tables["measurements"], measurements, "date"),
        (tables["measurements"], measurements, "latest"),
        (tables["treatments"], treatments, "start"),
        (tables["treatments"], treatments, "end"),
        (tables["events"], events, "date"),
    ):
        if table is not None and not frame.empty:
            check_window(table, frame, column, window, problems)
    if problems:
        raise CaseDataError(sorted(problems, key=lambda p: (p.file, p.row or 0)))
    return assemble_case(
        folder,
        meta,
        registry,
        measurements,
        treatments,
        events,
        [n for _, n in notes],
        table_files(folder, tables),
    )


def _last_position(meta, measurements, treatments, events):
    """Return ``meta`` with an order's last follow-up at its last position."""
    times = pd.concat(
        [
            measurements["date"],
            measurements["latest"],
            treatments["start"],
            treatments["end"],
            events["date"],
        ]
    ).dropna()
    last = times.max() if not times.empty else RELATIVE_ORIGIN
    return replace(meta, last_follow_up=last, follow_up_end=last)


def assemble_case(
    folder,
    meta: CaseMetadata,
    registry,
    measurements,
    treatments,
    events,
    notes,
    files=None,
) -> Case:
    """Return the Case of checked tables: its markers, with their drawn units.

    A marker's unit is that of its first result in serum, plasma or a specimen
    not stated, as its limits are of those (``plotting.core.specimens``);
    a marker measured only in other specimens (urine, CSF) has no limit.
    """
    reference = measurements["specimen"].map(is_reference_specimen).astype(bool)
    firsts = pd.concat([measurements[reference], measurements[~reference]])
    firsts = firsts.drop_duplicates("marker")
    first_units = dict(zip(firsts["marker"], firsts["unit"], strict=True))
    limited = set(measurements.loc[reference, "marker"])
    # A marker declared in case.toml is drawn only with results: its ULN line
    # alone would stand for data nobody measured.
    declared = [
        m for m in meta.marker_options if find_marker(m, registry).name in first_units
    ]
    shown = declared or [m for m in registry if m in first_units]
    markers = {}
    for name in shown:
        marker = registry[find_marker(name, registry).name]
        if marker.name in first_units and marker.name not in limited:
            marker = _without_limits(folder, meta, marker, measurements)
        drawn = first_units.get(marker.name, marker.unit)
        if drawn != marker.unit:
            custom = "uln" in meta.marker_options.get(marker.name, {})
            if custom and marker.uln is not None:
                declared = "unit" in meta.marker_options[marker.name]
                problem = _limit_in_another_unit(folder, marker, drawn, declared)
                raise CaseDataError([problem])
            # The registry's limit is in its own unit: never relabel it.
            marker = replace(marker, unit=drawn, uln=None)
        markers[marker.name] = marker
    return Case(
        path=folder,
        measurements=measurements,
        treatments=treatments,
        events=events,
        origin=meta.origin,
        last_follow_up=meta.last_follow_up,
        markers=markers,
        axes={name: meta.axes.get(name, "left") for name in markers},
        max_gap_days=meta.max_gap_days,
        title=meta.title,
        caption=meta.caption,
        reference=meta.reference,
        notes=list(notes),
        time_axis=meta.time_axis,
        origin_label=meta.origin_label,
        time_unit=meta.time_unit,
        marker_styles={n: s for n, s in meta.marker_styles.items() if s},
        figure=dict(meta.figure),
        files=dict(files or {}),
    )


def table_files(folder, tables) -> dict[str, str]:
    """Return each read table's file as named in messages, from the folder."""
    prefix = f"{folder}{os.sep}"
    return {
        name: table.name.removeprefix(prefix)
        for name, table in tables.items()
        if table is not None
    }


def _without_limits(folder, meta, marker, measurements):
    """Return a marker measured only in other specimens than serum or plasma
    without the registry's limit; a limit the case sets for it is refused.

    Every limit the package knows, and a ``uln`` or ``thresholds`` written in
    case.toml, is one of serum or plasma: drawn over urine it would claim a
    normal range nobody set for urine.
    """
    own = [
        k
        for k in ("uln", "thresholds")
        if k in meta.marker_options.get(marker.name, {})
    ]
    if own and not (own == ["uln"] and marker.uln is None):
        rows = measurements[measurements["marker"] == marker.name]
        specimens = ", ".join(dict.fromkeys(rows["specimen"]))
        raise CaseDataError(
            [
                Problem(
                    _settings_file(folder),
                    f"[markers.{marker.name}] {own[0]}: {marker.name} is measured "
                    f"only in {specimens} here, and limits are of serum or plasma "
                    f"(docs/markers.md); leave {' and '.join(own)} out",
                )
            ]
        )
    return replace(
        marker,
        uln=None,
        thresholds=(),
        uln_source="none: limits are of serum or plasma",
    )


def _settings_file(folder) -> str:
    """Name the settings a case was read with: case.toml, cohort.toml, frames."""
    if folder is None:
        return "case_from_frames"
    where = str(Path(folder) / "case.toml")
    if not Path(where).exists() and (Path(folder) / "cohort.toml").exists():
        where = str(Path(folder) / "cohort.toml")
    return where


def _limit_in_another_unit(folder, marker, drawn, declared: bool) -> Problem:
    """The problem of a case's ULN written in another unit than its results."""
    where = _settings_file(folder)
    said = (
        f'unit = "{marker.unit}"'
        if declared
        else f"no unit, so the registry's {marker.unit}"
    )
    return Problem(
        where,
        f"[markers.{marker.name}] uln = {marker.uln:g} is in {marker.unit} ({said}), "
        f"but the {marker.name} results are in {drawn}, and no exact conversion "
        f'exists between them; write unit = "{drawn}" with the limit in {drawn}, or '
        f"convert the results (convert_to under [markers.{marker.name}], where "
        "the registry allows it)",
    )


def load_table(folder, name, meta, problems, *, optional, also_required=()):
    """Read one table of a case or cohort folder as raw text cells.

    Returns
    -------
    RawTable or None
        None when the table is absent (a problem is added unless ``optional``)
        or cannot be read (its problems are added).
    """
    required, optional_columns = TABLES[name]
    required = (*also_required, *required)
    given = meta.files.get(name)
    candidates = (
        [folder / given]
        if given
        else [
            p
            for p in (folder / f"{name}{suffix}" for suffix in TABLE_SUFFIXES)
            if p.exists() or p.is_symlink()
        ]
    )
    if len(candidates) > 1:
        found = " and ".join(p.name for p in candidates)
        problems.append(
            Problem(
                str(candidates[0]),
                f"both {found} exist; keep one, or name it under [files] in case.toml",
            )
        )
        return None
    if candidates and candidates[0].is_symlink() and not candidates[0].exists():
        problems.append(
            Problem(
                str(candidates[0]),
                "a link to a file that does not exist (or to itself); link it to "
                "the real file, or copy the file here",
            )
        )
        return None
    if not candidates or not candidates[0].exists():
        near = _near_file(folder, name) if not given else None
        if near is not None:
            problems.append(
                Problem(
                    str(near),
                    f"looks like the {name} table but is not read; name it "
                    f"{name}.csv or {name}.xlsx, or name it under [files] in "
                    "case.toml",
                )
            )
            return None
        if not optional or given:
            target = candidates[0] if candidates else folder / f"{name}.csv"
            problems.append(
                Problem(
                    str(target),
                    f"missing; every case folder needs its {name} (.csv or .xlsx)",
                )
            )
        return None
    return read_raw_table(
        candidates[0],
        required=required,
        known=(*required, *optional_columns),
        problems=problems,
        sheet=meta.files.get(f"{name}_sheet"),
    )


def _near_file(folder: Path, name: str) -> Path | None:
    """Return a file that is probably the table misnamed (Treatments.CSV, .txt)."""
    if not folder.is_dir():
        return None
    stems = {name, name.rstrip("s")}
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.casefold()
        table_like = suffix in (".csv", ".xlsx", ".txt", ".tsv", ".xls")
        named = path.name in {f"{name}{suffix}" for suffix in TABLE_SUFFIXES}
        if path.stem.casefold() in stems and table_like and not named:
            return path
    return None
