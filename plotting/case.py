"""Read a case folder into checked, tidy tables (pure pandas, no drawing)."""

from __future__ import annotations

import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .dates import check_precision, parse_date
from .errors import CaseDataError, Problem
from .markers import DEFAULT_MARKERS, Marker, find_marker, with_overrides
from .treatment_kinds import is_known_kind, lane_for

DEFAULT_MAX_GAP_DAYS = 365.0
AXES = ("left", "right")

MEASUREMENT_COLUMNS = ("date", "marker", "value", "unit")
TREATMENT_COLUMNS = ("kind", "start")
EVENT_COLUMNS = ("date", "label")


@dataclass
class Case:
    """One patient's marker results, treatments and events, checked and tidy.

    Attributes
    ----------
    measurements : DataFrame
        One row per result: ``row`` (spreadsheet row), ``date`` (where to draw it),
        ``date_text``, ``date_precision``, ``marker``, ``value``, ``unit``, and the
        provenance columns ``date_reasoning`` and ``source``.
    treatments : DataFrame
        One row per treatment: ``kind``, ``lane``, ``start``, ``end`` (NaT for a
        single-day procedure), ``label``, ``dose_gy``, ``fractions``, ``target``,
        ``technique``, ``date_precision`` and provenance.
    events : DataFrame
        Framing events (diagnosis, recurrence, last follow-up): ``date``, ``label``,
        ``date_precision`` and provenance.
    markers : dict of str to Marker
        The markers to draw, in order, with the case's limits applied.
    axes : dict of str to {"left", "right"}
        The y axis each marker is drawn on.
    """

    path: Path
    measurements: pd.DataFrame
    treatments: pd.DataFrame
    events: pd.DataFrame
    origin: pd.Timestamp
    last_follow_up: pd.Timestamp
    markers: dict[str, Marker]
    axes: dict[str, str] = field(default_factory=dict)
    max_gap_days: float = DEFAULT_MAX_GAP_DAYS
    title: str = ""
    caption: str = ""
    reference: str = ""


def read_case(path) -> Case:
    """Read and check a case folder (``case.toml`` plus CSV tables).

    Parameters
    ----------
    path : str or Path
        The case folder, or its ``case.toml``. The folder holds
        ``measurements.csv`` and optionally ``treatments.csv`` and ``events.csv``;
        ``data/README.md`` defines every column.

    Returns
    -------
    Case

    Raises
    ------
    CaseDataError
        Listing every problem found, each with file, row and column.

    Examples
    --------
    >>> case = read_case("data/yu2020")
    >>> sorted(case.measurements.marker.unique())
    ['AFP', 'PIVKA-II']
    """
    folder = Path(path)
    if folder.is_file():
        folder = folder.parent
    problems: list[Problem] = []
    meta = _read_metadata(folder / "case.toml", problems)
    registry = with_overrides(DEFAULT_MARKERS, meta["marker_options"])
    measurements = _read_measurements(folder / "measurements.csv", registry, problems)
    treatments = _read_treatments(folder / "treatments.csv", problems)
    events = _read_events(folder / "events.csv", problems)
    if meta["origin"] is not None and meta["last_follow_up"] is not None:
        _check_window(measurements, meta, folder / "measurements.csv", problems)
    if problems:
        raise CaseDataError(sorted(problems, key=lambda p: (p.file, p.row or 0)))
    shown = list(meta["marker_options"]) or [
        m for m in registry if m in set(measurements["marker"])
    ]
    markers = {find_marker(name, registry).name: None for name in shown}
    return Case(
        path=folder,
        measurements=measurements,
        treatments=treatments,
        events=events,
        origin=meta["origin"],
        last_follow_up=meta["last_follow_up"],
        markers={name: registry[name] for name in markers},
        axes={name: meta["axes"].get(name, "left") for name in markers},
        max_gap_days=meta["max_gap_days"],
        title=meta["title"],
        caption=meta["caption"],
        reference=meta["reference"],
    )


def _read_metadata(path: Path, problems: list[Problem]) -> dict:
    meta = {
        "origin": None,
        "last_follow_up": None,
        "max_gap_days": DEFAULT_MAX_GAP_DAYS,
        "marker_options": {},
        "axes": {},
    }
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        problems.append(Problem(str(path), "missing; every case folder needs one"))
        raw = {}
    except tomllib.TOMLDecodeError as err:
        problems.append(Problem(str(path), f"not valid TOML ({err})"))
        raw = {}
    for key in ("title", "caption", "reference"):
        meta[key] = str(raw.get(key, ""))
    time = raw.get("time", {})
    for key in ("origin", "last_follow_up"):
        text = time.get(key)
        if text is None:
            problems.append(Problem(str(path), f"[time] needs {key} = YYYY-MM-DD"))
            continue
        try:
            meta[key] = parse_date(str(text))[1 if key == "origin" else 0]
        except ValueError as err:
            problems.append(Problem(str(path), f"[time] {key} {text!r}: {err}"))
    gap = time.get("max_gap_days", DEFAULT_MAX_GAP_DAYS)
    if not isinstance(gap, int | float) or isinstance(gap, bool) or gap <= 0:
        problems.append(Problem(str(path), "[time] max_gap_days must be > 0 days"))
    else:
        meta["max_gap_days"] = float(gap)
    for name, options in raw.get("markers", {}).items():
        axis = options.get("axis", "left")
        if axis not in AXES:
            problems.append(
                Problem(str(path), f"[markers.{name}] axis must be one of {AXES}")
            )
        uln = options.get("uln")
        if uln is not None and (not isinstance(uln, int | float) or uln <= 0):
            problems.append(Problem(str(path), f"[markers.{name}] uln must be > 0"))
            continue
        if find_marker(name) is None and "unit" not in options:
            problems.append(
                Problem(
                    str(path),
                    f"[markers.{name}] is not a known marker; give its unit "
                    f'(unit = "U/mL") and uln, or use one of '
                    f"{', '.join(DEFAULT_MARKERS)}",
                )
            )
            continue
        canonical = (find_marker(name) or Marker(name, "", None)).name
        meta["marker_options"][canonical] = options
        meta["axes"][canonical] = axis
    return meta


def _read_table(path: Path, required, problems, *, optional=False):
    """Read a CSV as text cells with a spreadsheet ``row`` column, or None."""
    if not path.exists():
        if not optional:
            problems.append(Problem(str(path), "missing; every case folder needs one"))
        return None
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        problems.append(Problem(str(path), "empty; write a header row and results"))
        return None
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        problems.append(Problem(str(path), f"cannot be read as CSV ({err})"))
        return None
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in required if c not in table.columns]
    for column in missing:
        problems.append(
            Problem(str(path), "missing; add this column to the header", 1, column)
        )
    if missing:
        return None
    table = table.apply(lambda col: col.str.strip())
    table.insert(0, "row", table.index + 2)
    return table


def _parse_dates(table, column, path, problems, *, required=True):
    positions, texts, written = [], [], []
    for row, text in zip(table["row"], table[column], strict=True):
        texts.append(text)
        if not text:
            positions.append(pd.NaT)
            written.append(None)
            if required:
                problems.append(
                    Problem(str(path), "empty; write a date (YYYY-MM-DD)", row, column)
                )
            continue
        try:
            position, _, precision = parse_date(text)
        except ValueError as err:
            positions.append(pd.NaT)
            written.append(None)
            problems.append(Problem(str(path), str(err), row, column, text))
            continue
        positions.append(position)
        written.append(precision)
    return pd.Series(positions, dtype="datetime64[ns]", index=table.index), written


def _parse_precision(table, written, path, problems):
    stated = table.get("date_precision", pd.Series("", index=table.index))
    result = []
    for row, text, precision in zip(table["row"], stated, written, strict=True):
        if not text:
            result.append(precision or "day")
            continue
        message = check_precision(text, precision) if precision else None
        if message:
            problems.append(Problem(str(path), message, row, "date_precision", text))
        result.append(text)
    return result


def _parse_numbers(table, column, path, problems, *, integer=False, required=True):
    values = []
    kind = "whole number" if integer else "number"
    for row, text in zip(
        table["row"], table.get(column, [""] * len(table)), strict=True
    ):
        if not text and not required:
            values.append(None)
            continue
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or value <= 0 or (integer and not value.is_integer()):
            values.append(None)
            problems.append(
                Problem(
                    str(path),
                    f"not a positive {kind}; write one such as "
                    f"{'12' if integer else '187.8'}",
                    row,
                    column,
                    text,
                )
            )
            continue
        values.append(int(value) if integer else value)
    return pd.Series(values, index=table.index, dtype="Int64" if integer else "float64")


def _read_measurements(path, registry, problems):
    table = _read_table(path, MEASUREMENT_COLUMNS, problems)
    if table is None:
        return pd.DataFrame(columns=["row", "date", "marker", "value", "unit"])
    dates, written = _parse_dates(table, "date", path, problems)
    out = table.rename(columns={"date": "date_text"})
    out.insert(1, "date", dates)
    out["date_precision"] = _parse_precision(table, written, path, problems)
    out["value"] = _parse_numbers(table, "value", path, problems)
    first_unit: dict[str, tuple[str, int]] = {}
    markers = []
    for row, name, unit in zip(
        table["row"], table["marker"], table["unit"], strict=True
    ):
        marker = find_marker(name, registry)
        markers.append(marker.name if marker else name)
        if marker is None:
            problems.append(
                Problem(
                    str(path),
                    "unknown marker; use one of "
                    f'{", ".join(registry)} or add [markers."{name}"] with its '
                    "unit and uln to case.toml",
                    row,
                    "marker",
                    name,
                )
            )
            continue
        if unit not in marker.units:
            problems.append(
                Problem(
                    str(path),
                    f"not a unit of {marker.name}; write one of "
                    f"{', '.join(marker.units)}",
                    row,
                    "unit",
                    unit,
                )
            )
            continue
        seen = first_unit.setdefault(marker.name, (unit, row))
        if seen[0] != unit:
            problems.append(
                Problem(
                    str(path),
                    f"{marker.name} is in {seen[0]} in row {seen[1]}; "
                    "one marker must use one unit throughout",
                    row,
                    "unit",
                    unit,
                )
            )
    out["marker"] = markers
    for column in ("date_reasoning", "source"):
        if column not in out:
            out[column] = ""
    return out.sort_values(["date", "row"], kind="stable").reset_index(drop=True)


def _read_treatments(path, problems):
    table = _read_table(path, TREATMENT_COLUMNS, problems, optional=True)
    columns = ["row", "kind", "lane", "start", "end", "label", "dose_gy", "fractions"]
    if table is None:
        return pd.DataFrame(columns=columns)
    starts, written = _parse_dates(table, "start", path, problems)
    if "end" not in table:
        table["end"] = ""
    ends, _ = _parse_dates(table, "end", path, problems, required=False)
    out = table.rename(columns={"start": "start_text", "end": "end_text"})
    out.insert(1, "start", starts)
    out.insert(2, "end", ends)
    out.insert(1, "lane", [lane_for(k) for k in table["kind"]])
    out["date_precision"] = _parse_precision(table, written, path, problems)
    out["dose_gy"] = _parse_numbers(table, "dose_gy", path, problems, required=False)
    out["fractions"] = _parse_numbers(
        table, "fractions", path, problems, integer=True, required=False
    )
    for column in ("label", "target", "technique", "date_reasoning", "source"):
        if column not in out:
            out[column] = ""
    for row, kind, start, end, end_text in zip(
        out["row"], out["kind"], starts, ends, out["end_text"], strict=True
    ):
        if not kind:
            problems.append(
                Problem(
                    str(path),
                    "empty; write a treatment kind such as tace or radiotherapy",
                    row,
                    "kind",
                    kind,
                )
            )
        elif not is_known_kind(kind):
            warnings.warn(
                f"{path}, row {row}: treatment kind {kind!r} has no style of "
                "its own; drawn in a neutral style",
                UserWarning,
                stacklevel=3,
            )
        if pd.notna(start) and pd.notna(end) and end < start:
            problems.append(
                Problem(
                    str(path),
                    "the course ends before it starts; check start and end",
                    row,
                    "end",
                    end_text,
                )
            )
    return out.sort_values(["start", "row"], kind="stable").reset_index(drop=True)


def _read_events(path, problems):
    table = _read_table(path, EVENT_COLUMNS, problems, optional=True)
    if table is None:
        return pd.DataFrame(columns=["row", "date", "label", "date_precision"])
    dates, written = _parse_dates(table, "date", path, problems)
    out = table.rename(columns={"date": "date_text"})
    out.insert(1, "date", dates)
    out["date_precision"] = _parse_precision(table, written, path, problems)
    for column in ("date_reasoning", "source"):
        if column not in out:
            out[column] = ""
    return out.sort_values(["date", "row"], kind="stable").reset_index(drop=True)


def _check_window(measurements, meta, path, problems):
    for row, date, text in zip(
        measurements["row"],
        measurements["date"],
        measurements.get("date_text", []),
        strict=False,
    ):
        if pd.isna(date):
            continue
        if date < meta["origin"]:
            problems.append(
                Problem(
                    str(path),
                    "before the time origin in case.toml; fix the date or the origin",
                    row,
                    "date",
                    text,
                )
            )
        elif date > meta["last_follow_up"]:
            problems.append(
                Problem(
                    str(path),
                    "after the last follow-up in case.toml;"
                    " fix the date or last_follow_up",
                    row,
                    "date",
                    text,
                )
            )
