"""Which row of a case each drawn mark shows, and what to say about it.

Pure tables to values: the drawn marks come in as plain numbers
(:class:`DrawnMark`, read off the artists by :mod:`plotting.output.svg_marks`),
and each is matched to the rows of the case it shows, by what it shows (marker,
censoring, date and value; lane and dates), never by its position in a list, so
a mark is never given another row's source. A mark no row matches gets no
details rather than a guess.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..computing.series import series_id, specimens_of
from ..computing.track_layout import EVENTS_LANE, therapies
from ..core.dates import format_time, named_time_unit, singular
from ..reading.tables.cells import CENSOR_SIGNS, LEADING_SIGN
from ..reading.validation.results import QUALIFIER_COLUMNS

# Tables the page offers for download, with the columns a reader checks first.
TABLES = ("measurements", "treatments", "events")
# Date numbers of one day apart are 1.0; a drawn date is the row's date exactly.
_SAME_DAY = 1e-6
_PRECISION_WORDS = {
    "day": "known to the day",
    "month": "known to the month only",
    "year": "known to the year only",
    "approximate": "approximate",
}
_CENSOR_WORDS = {
    "<": "below the limit shown (the true value is lower: <)",
    ">": "above the limit shown (the true value is higher: >)",
    "<=": "at or below the limit shown (the true value is this or lower: ≤)",
    ">=": "at or above the limit shown (the true value is this or higher: ≥)",
    "": "none (a measured value)",
}
_OR_EQUAL = {"≤": "<=", "≥": ">="}


@dataclass(frozen=True)
class DrawnMark:
    """One artist of a case figure that shows results, a treatment or an event.

    Attributes
    ----------
    element : str
        The artist's id in the SVG (unique there).
    kind : {"points", "zeros", "range", "course", "mark"}
        Result symbols (one SVG ``<use>`` per point, in the order of ``xs``),
        results of 0 on a log axis, a result known only within a window, a
        treatment's bar, a single-day procedure's or an event's symbol.
    name : str
        The marker (results) or the lane (treatments and events).
    censor : str
        ``"<"``, ``">"`` or ``""`` for result symbols.
    xs, ys : tuple of float
        The drawn date numbers and values (a bar: its start and end in ``xs``).
    """

    element: str
    kind: str
    name: str
    xs: tuple[float, ...]
    ys: tuple[float, ...] = ()
    censor: str = ""


@dataclass(frozen=True)
class Mark:
    """What one drawn element shows: its rows and the words a reader is given.

    Attributes
    ----------
    element : str
        The SVG id of the drawn element.
    point : int or None
        Which ``<use>`` of the element (a point of a series), or None for the
        whole element.
    table : str
        ``"measurements"``, ``"treatments"`` or ``"events"``.
    rows : tuple of int
        The spreadsheet rows shown (a therapy with dose changes has several).
    heading : str
        One line: ``AFP 2160 ng/mL, 2006-08``.
    details : tuple of (str, str)
        Label and text, in reading order.
    """

    element: str
    point: int | None
    table: str
    rows: tuple[int, ...]
    heading: str
    details: tuple[tuple[str, str], ...]

    @property
    def title(self) -> str:
        """The plain-text tooltip: the heading, then one line per detail."""
        return "\n".join(
            [self.heading, *(f"{label}: {text}" for label, text in self.details)]
        )

    @property
    def search_text(self) -> str:
        """What a search of the page matches, in lower case."""
        return self.title.casefold()


@dataclass(frozen=True)
class FigureMarks:
    """Every mark of one figure that a reader can ask about, and its tables.

    Attributes
    ----------
    title : str
        The case's title, for the page.
    marks : tuple of Mark
        In the order a reader meets them: results by marker and date, then
        treatments and events by date.
    tables : tuple of (str, str)
        Table name and its CSV text (every row of the case, provenance included).
    unmatched : tuple of str
        SVG ids of drawn elements no row matched (they get no details).
    """

    title: str
    marks: tuple[Mark, ...]
    tables: tuple[tuple[str, str], ...]
    unmatched: tuple[str, ...] = ()


def index_figure(
    case,
    drawn: Sequence[DrawnMark],
    *,
    day_number: Callable[[pd.Series], Sequence[float]],
) -> FigureMarks:
    """Match each drawn mark to the rows of ``case`` it shows.

    Parameters
    ----------
    case : Case
        The case the figure was drawn from.
    drawn : sequence of DrawnMark
        The figure's marks, as read off its artists.
    day_number : callable
        Turns a Series of timestamps into the date numbers the artists use.

    Returns
    -------
    FigureMarks
    """
    unit, files = case.time_unit, case.files
    measurements = _numbered(case.measurements, ["date", "latest"], day_number)
    treatments = _numbered(case.treatments, ["start", "end"], day_number)
    events = _numbered(case.events, ["date"], day_number)
    used: dict[str, set] = {name: set() for name in TABLES}
    labels = case.treatments.index
    groups = [[labels[i] for i in group] for group in therapies(case.treatments)]
    marks, unmatched = [], []
    for item in drawn:
        if item.kind in ("points", "zeros"):
            found = _match_points(measurements, item, used["measurements"])
            for point, index in enumerate(found):
                if index is None:
                    unmatched.append(f"{item.element}[{point}]")
                    continue
                row = case.measurements.loc[index]
                marks.append(_measurement_mark(row, item.element, point, unit, files))
            continue
        if item.kind == "range":
            index = _match_range(measurements, item, used["measurements"])
            if index is None:
                unmatched.append(item.element)
            else:
                row = case.measurements.loc[index]
                marks.append(_measurement_mark(row, item.element, None, unit, files))
            continue
        if item.kind == "mark" and item.name == EVENTS_LANE:
            index = _match_event(events, item, used["events"])
            if index is None:
                unmatched.append(item.element)
            else:
                marks.append(
                    _event_mark(case.events.loc[index], item.element, unit, files)
                )
            continue
        indices = _match_treatment(treatments, groups, item, used["treatments"])
        if not indices:
            unmatched.append(item.element)
        else:
            rows = [case.treatments.loc[i] for i in indices]
            marks.append(_treatment_mark(rows, item.element, unit, files))
    marks.sort(key=_reading_order)
    return FigureMarks(
        title=case.title or (case.path.name if case.path else "Case"),
        marks=tuple(marks),
        tables=tuple((name, table_csv(getattr(case, name), unit)) for name in TABLES),
        unmatched=tuple(unmatched),
    )


def _numbered(frame, columns, day_number):
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        if column in frame:
            values = frame[column]
            known = values.notna()
            numbers = pd.Series(math.nan, index=frame.index, dtype=float)
            if known.any():
                numbers[known] = list(day_number(values[known]))
            out[column] = numbers
    for column in ("marker", "specimen", "censor", "value", "lane"):
        if column in frame:
            out[column] = frame[column]
    for flag in ("ongoing", "start_unknown"):
        out[flag] = frame[flag].fillna(False).astype(bool) if flag in frame else False
    return out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _of_series(table, name: str):
    """Rows of the series an artist id names: ``CEA``, or ``CEA[urine]`` for a
    stated specimen, as the trend panel names its artists."""
    ids = [
        series_id(marker, specimen)
        for marker, specimen in zip(table["marker"], specimens_of(table), strict=True)
    ]
    return pd.Series(ids, index=table.index, dtype=object) == name


def _match_points(table, item: DrawnMark, used: set) -> list:
    rows = table[
        _of_series(table, item.name)
        & (table["censor"].fillna("") == item.censor)
        & table["latest"].isna()
    ]
    found = []
    for number, x in enumerate(item.xs):
        y = item.ys[number] if item.kind == "points" else 0.0
        choice = None
        for index, row in rows.iterrows():
            if index in used or abs(row["date"] - x) > _SAME_DAY:
                continue
            if item.kind == "points" and not _close(row["value"], y):
                continue
            if item.kind == "zeros" and row["value"] != 0:
                continue
            choice = index
            break
        if choice is not None:
            used.add(choice)
        found.append(choice)
    return found


def _match_range(table, item: DrawnMark, used: set):
    if len(item.xs) != 2 or not item.ys:
        return None
    rows = table[_of_series(table, item.name) & table["latest"].notna()]
    for index, row in rows.iterrows():
        if (
            index not in used
            and abs(row["date"] - item.xs[0]) <= _SAME_DAY
            and abs(row["latest"] - item.xs[1]) <= _SAME_DAY
            and _close(row["value"], item.ys[0])
        ):
            used.add(index)
            return index
    return None


def _match_event(table, item: DrawnMark, used: set):
    for index, row in table.iterrows():
        if index not in used and abs(row["date"] - item.xs[0]) <= _SAME_DAY:
            used.add(index)
            return index
    return None


def _match_treatment(table, groups, item: DrawnMark, used: set) -> list:
    """Return the rows a bar or symbol shows: every dose of a therapy's bar."""
    start = item.xs[0]
    if item.kind == "mark":
        rows = table[(table["lane"] == item.name) & ~table.index.isin(used)]
        for index, row in rows.iterrows():
            if math.isnan(row["end"]) and abs(row["start"] - start) <= _SAME_DAY:
                used.add(index)
                return [index]
        return []
    end = item.xs[-1]
    # A bar runs from its therapy's first start to its last end; an unknown
    # start or an ongoing course is drawn to the axis's edge.
    for group in groups:
        first, last = table.loc[group[0]], table.loc[group[-1]]
        if (
            group[0] in used
            or first["lane"] != item.name
            or (math.isnan(last["end"]) and not last["ongoing"])
        ):
            continue
        starts = first["start_unknown"] or abs(first["start"] - start) <= _SAME_DAY
        ends = last["ongoing"] or abs(last["end"] - end) <= _SAME_DAY
        if starts and ends:
            used.update(group)
            return list(group)
    return []


def _reading_order(mark: Mark):
    order = {name: number for number, name in enumerate(TABLES)}
    return (order[mark.table], mark.rows)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _written(row, column: str, unit) -> str:
    """A time as written, with its unit for a case in relative times: the cell
    ``3`` of a case in months is ``month 3``, as the axis says, ``6`` of a
    row whose ``time_unit`` is weeks is ``week 6``, and a row timed ``after``
    a treatment says so (``week 2 after Resection``)."""
    text = _text(row.get(column))
    if not text or unit is None:
        return text
    cell = _text(row.get("time_unit"))
    own = singular(named_time_unit(cell) if cell else unit)
    # Counted from an event or a treatment, not from the origin the axis counts
    # from: "week 2 after Resection", "month 9 before Recurrence" for -9.
    after = _text(row.get("after"))
    if not after:
        return f"{own} {text}"
    if text.startswith("-"):
        return f"{own} {text[1:].strip()} before {after}"
    return f"{own} {text} after {after}"


def _when(row, column: str, unit) -> str:
    value = row.get(column)
    return "" if pd.isna(value) else format_time(value, unit)


def date_as_known(written: str, precision: str, drawn: str) -> str:
    """Say a date as the source gives it, how well it is known, and where it is
    drawn when that differs: ``2006-08, known to the month only (drawn at
    2006-08-16)``."""
    words = _PRECISION_WORDS.get(precision, precision)
    text = f"{written}, {words}" if words else written
    if drawn and drawn != written:
        text += f" (drawn at {drawn})"
    return text


def _provenance(row) -> list[tuple[str, str]]:
    details = []
    after = _text(row.get("after"))
    if after:
        details.append(("Timed after", after))
    if bool(row.get("prior_history", False)):
        details.append(("Prior history", "reported as history, not measured here"))
    for label, column in (("Source", "source"), ("Date reasoning", "date_reasoning")):
        details.append((label, _text(row.get(column)) or "(not given)"))
    return details


def _sign_as_written(row) -> tuple[str, str]:
    """Return a result's censoring sign as written, and the column it was
    written in apart from the value (``""``: in the value's own cell)."""
    for column in QUALIFIER_COLUMNS:
        # The table's censor column is the package's, read from the others.
        sign = _text(row.get(column)) if column != "censor" else ""
        if sign in CENSOR_SIGNS:
            return sign, column
    found = LEADING_SIGN.match(_text(row["value_text"]))
    return (found.group(1), "") if found else (_text(row["censor"]), "")


def _measurement_mark(row, element, point, unit, files) -> Mark:
    value = _text(row["value_text"])
    sign, apart = _sign_as_written(row)
    # A sign in a column of its own is part of the value a reader must see,
    # once: a value cell may carry it too (<0.1 beside a qualifier <).
    shown = f"{sign}{value}" if apart and not LEADING_SIGN.match(value) else value
    unit_text = _text(row["unit_text"]) or _text(row["unit"])
    precision = _text(row["date_precision"])
    written = _written(row, "date_text", unit)
    if pd.notna(row.get("latest")):
        when = f"between {written} and {_written(row, 'latest_text', unit)}"
        drawn = f"{_when(row, 'date', unit)} to {_when(row, 'latest', unit)}"
        date = f"{when}, {_PRECISION_WORDS.get(precision, precision)} (drawn as a bar"
        date += f" from {drawn})"
    else:
        date = date_as_known(written, precision, _when(row, "date", unit))
    specimen = _text(row.get("specimen"))
    details = [
        ("Marker", _text(row["marker"])),
        *([("Specimen", specimen)] if specimen else []),
        (
            "Value as written",
            f"{value} ({sign} in its {apart} column)" if apart else value,
        ),
        *_read_as(row, value),
        ("Unit", unit_text),
        ("Censoring", _censoring(row, sign)),
    ]
    converted = _text(row.get("converted_from"))
    if converted:
        drawn_value = f"{row['value']:g} {_text(row['unit'])}"
        details.append(("Drawn as", f"{drawn_value} (converted from {converted})"))
    details += [("Date", date), *_provenance(row), ("Row", _row_text(row, files))]
    series = f"{_text(row['marker'])}{f', {specimen}' if specimen else ''}"
    heading = f"{series} {shown} {unit_text}, {written}"
    return Mark(
        element, point, "measurements", (int(row["row"]),), heading, tuple(details)
    )


def _read_as(row, written: str) -> list[tuple[str, str]]:
    """``("Read as", "2160")`` where the number read is not plain in the cell
    (``2,160``, ``1.250,5``): how a cell that could read two ways was read."""
    number = row.get("original_value")
    if number is None or pd.isna(number):
        number = row["value"]
    if pd.isna(number):
        return []
    cell = LEADING_SIGN.sub("", written, count=1).strip()
    try:
        if float(cell) == float(number):
            return []
    except ValueError:
        pass
    return [("Read as", np.format_float_positional(float(number), trim="-"))]


def _censoring(row, sign: str) -> str:
    censor = _text(row["censor"])
    if not censor:
        return _CENSOR_WORDS[""]
    written = _OR_EQUAL.get(sign, sign)
    return _CENSOR_WORDS[written if written.startswith(censor) else censor]


def _row_text(row, files, table: str = "measurements") -> str:
    """The row as a reader finds it: in the file read (``lab.xlsx [sheet
    Labs]``), or for a case made from DataFrames the row of its CSV."""
    return f"{files.get(table, f'{table}.csv')} row {int(row['row'])}"


def _event_mark(row, element, unit, files) -> Mark:
    written = _written(row, "date_text", unit)
    details = (
        ("Event", _text(row["label"])),
        (
            "Date",
            date_as_known(
                written, _text(row["date_precision"]), _when(row, "date", unit)
            ),
        ),
        *_provenance(row),
        ("Row", _row_text(row, files, "events")),
    )
    heading = f"{_text(row['label'])}, {written}"
    return Mark(element, None, "events", (int(row["row"]),), heading, details)


def _dose(row) -> str:
    parts = []
    if _text(row.get("dose")):
        parts.append(_text(row["dose"]))
    if pd.notna(row.get("dose_gy")):
        gray = f"{row['dose_gy']:g} Gy"
        fractions = row.get("fractions")
        if fractions is not None and pd.notna(fractions):
            gray += f" in {int(fractions)} fractions"
        parts.append(gray)
    return "; ".join(parts)


def _treatment_mark(rows, element, unit, files) -> Mark:
    details: list[tuple[str, str]] = []
    for row in rows:
        start = _written(row, "start_text", unit) or _when(row, "start", unit)
        if bool(row.get("start_unknown", False)):
            start = "unknown (not given by the source)"
        end = _written(row, "end_text", unit)
        if bool(row.get("ongoing", False)):
            end = f"{end + ', ' if end else ''}ongoing at the last follow-up"
        precision = _text(row["date_precision"])
        dates = f"{start} to {end}" if end else start
        words = _PRECISION_WORDS.get(precision, precision)
        kind, written = _text(row["kind"]), _text(row.get("kind_text"))
        if written and written.casefold() != kind.casefold():
            kind = f"{written}: {kind}"
        details += [
            ("Treatment", f"{_text(row['label'])} ({kind})".lstrip()),
            ("Dates", f"{dates}, {words}" if words else dates),
        ]
        for label, text in (
            ("Dose", _dose(row)),
            ("Target", _text(row.get("target"))),
            ("Technique", _text(row.get("technique"))),
        ):
            if text:
                details.append((label, text))
        details += [*_provenance(row), ("Row", _row_text(row, files, "treatments"))]
    first = rows[0]
    start = _written(first, "start_text", unit) or _when(first, "start", unit)
    # Without a label, the kind as written (the drug) names the course.
    label = _text(first["label"]) or _text(first.get("kind_text"))
    lane = _text(first.get("lane"))
    if lane and lane.casefold() not in label.casefold():
        label = f"{lane} {label}"
    heading = f"{label}, {start}"
    return Mark(
        element,
        None,
        "treatments",
        tuple(int(row["row"]) for row in rows),
        heading,
        tuple(details),
    )


def table_csv(frame: pd.DataFrame, unit) -> str:
    """Return a case table as CSV text, its dates as a reader reads them.

    Dates are written ``YYYY-MM-DD``, or for a case in relative times as the
    time since its origin (``month 3``), never as the arbitrary instant they
    are placed at; the columns as written and the provenance come unchanged.
    """
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = [
                "" if pd.isna(value) else format_time(value, unit)
                for value in out[column]
            ]
    return out.to_csv(index=False, lineterminator="\n")
