"""Read tumour-marker results from a long lab export (CSV or XLSX).

One row per test, many patients and tests. The file is read as the package reads
a case table (:func:`plotting.reading.tables.files.read_raw_table`: encodings,
separators, a title row above the header, workbook cells as Excel shows them).
Tumour markers are picked by name or alias (:func:`.values.match_name`: the
registry's names, optionally followed by total, serum, plasma, a unit or another
of its names) or by LOINC code; a row whose name and code name different
analytes is refused. Other tests are counted by name and left out. Results are
kept as the lab printed them (``<2.0``); rows of one test at one time that
disagree are refused. A result's specimen comes from a ``specimen`` (``sample
type``, ``material``) column, the test name (``CEA (urine)``) and the LOINC
code's System, which must agree: a urine CEA is never written as one more CEA.
Pure pandas.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...core.dates import DATE_ORDERS
from ...core.errors import CaseDataError, Problem
from ...core.markers import DEFAULT_MARKERS, Marker
from ...core.units import canonical_unit
from ..tables.files import read_raw_table
from ..tables.headers import canonical_column
from ..validation.results import SPECIMEN_COLUMNS
from .export_marks import check_export_result, export_decimal, export_note
from .result import Collector, ColumnError, ImportResult, Reject, Skip, SourceError
from .values import (
    DECIMAL_MARKS,
    LOINC_CODE,
    LOINC_MARKERS,
    NameMatch,
    SpecimenError,
    match_name,
    read_day,
    result_specimen,
    time_of_day,
)

ROLES = ("patient", "marker", "value", "unit", "date")
OPTIONAL_ROLES = ("loinc", "specimen")


def read_lab_export(
    path,
    columns: dict[str, str],
    *,
    date_order: str | None = None,
    decimal: str | None = None,
    sheet: str | None = None,
    today=None,
) -> ImportResult:
    """Read a long lab export into case tables (measurements and patients).

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (comma, semicolon or tab separated; UTF-8, UTF-16 or
        Windows-1252) or ``.xlsx`` file; the header may sit below title rows.
    columns : dict of str to str
        The export's header for each role: ``patient``, ``marker``, ``value``,
        ``unit``, ``date`` and optionally ``loinc`` and ``specimen``; matched
        without regard to case, spaces or hyphens. Without ``specimen``, a
        column named specimen, specimen type, sample type or material is read
        as it.
    date_order : {"DMY", "MDY"}, optional
        How to read ``05/01/2020``; without it such a date is refused.
    decimal : {".", ","}, optional
        The decimal mark of the results; without it a result that reads two
        ways (``2,160``) is refused.
    sheet : str, optional
        The workbook's sheet; by default as for a case table.
    today : datetime-like, optional
        Later dates are refused; defaults to the current date.

    Returns
    -------
    ImportResult
        Each patient's origin is its earliest result (an export holds no
        diagnoses), which a note says.

    Raises
    ------
    ColumnError
        If the export has no column with a header given in ``columns``.
    SourceError
        If ``columns``, ``date_order`` or ``decimal`` is not as described.
    CaseDataError
        If the file cannot be read (its problems, located).

    Examples
    --------
    >>> columns = {"patient": "PatientID", "marker": "TestName", "value": "Result",
    ...            "unit": "Units", "date": "CollectionDate"}
    >>> result = read_lab_export("tests/cases/imports/lab_export.csv", columns,
    ...                          date_order="DMY", decimal=".")
    >>> result.counts["imported"]  # "CEA (serum)" is CEA
    {'measurements': 10}
    """
    path = Path(path)
    _check_options(columns, date_order, decimal)
    wanted = {role: canonical_column(header) for role, header in columns.items()}
    table = _read(path, columns, wanted, sheet)
    columns = _with_specimen(table, columns, wanted)
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    collected = Collector(path.name)
    decimal, shown = export_decimal(table, wanted["value"], decimal)
    frame = table.frame
    cells = {role: frame[name] for role, name in wanted.items()}
    read = []
    for index, number in frame["row"].items():
        row = {role: str(cells[role][index]).strip() for role in wanted}
        collected.counts["read"]["rows"] += 1
        try:
            read.append(
                _result(row, int(number), collected, date_order, decimal, today, shown)
            )
        except Skip as skip:
            collected.skipped(skip, f"row {number}")
        except _CellError as err:
            _refuse(collected, err, int(number), columns)
    for result in _settle(read, collected, columns):
        try:
            collected.add_result(*result.added)
        except Skip as skip:
            collected.skipped(skip, f"row {result.number}")
        except Reject as err:
            error = _CellError(result.marker, "unit", result.unit, str(err))
            _refuse(collected, error, result.number, columns)
    collected.problems.sort(key=lambda problem: problem.row or 0)
    imported = [(r.number, r.value, r.added[2]) for r in read]
    if note := export_note(collected.source, columns["value"], imported, shown):
        collected.notes.append(note)
    return collected.finish(decimal=decimal)


def _refuse(collected, err, number: int, columns) -> None:
    collected.counts["rejected"][err.marker] += 1
    role, text, message = err.args
    collected.problems.append(
        Problem(collected.source, message, number, columns[role], text)
    )


@dataclass(frozen=True)
class _Read:
    """A result read from a row, before results of one time are compared."""

    added: tuple  # the arguments of Collector.add_result
    number: int
    marker: str
    unit: str
    value: str
    at: tuple | None  # (patient, marker, specimen, day, time) when a time is given

    @property
    def reading(self) -> tuple:
        """What it says: value, censoring and unit."""
        return (self.added[2], self.added[3], self.added[0]["unit"])


def _settle(read: list[_Read], collected, columns) -> list[_Read]:
    """Refuse results of one patient's test at one time (the same collection
    date and time of day) that disagree, which one row cannot tell apart; return
    the others in the file's order."""
    groups = defaultdict(list)
    for result in read:
        if result.at is not None:
            groups[result.at].append(result)
    refused = set()
    for group in groups.values():
        if len({r.reading for r in group}) < 2:
            continue
        for result in group:
            others = "; ".join(
                f"row {r.number} is {r.value} {r.added[0]['unit']}"
                for r in group
                if r is not result
            )
            message = (
                f"{result.marker} of patient {result.at[0]} at {result.at[3]} "
                f"{result.at[4]} is {result.value} here, but {others}: results of one "
                "test at one time disagree, and which is right cannot be told; none "
                "is imported: keep the right one in the export"
            )
            error = _CellError(result.marker, "value", result.value, message)
            _refuse(collected, error, result.number, columns)
            refused.add(result.number)
    return [result for result in read if result.number not in refused]


class _CellError(Exception):
    """A cell that keeps its row from being imported: (role, text, message)."""

    def __init__(self, marker: str, role: str, text: str, message: str):
        super().__init__(role, text, message)
        self.marker = marker


def _checked(marker: str, role: str, text: str, parse):
    try:
        return parse(text)
    except ValueError as err:
        raise _CellError(marker, role, text, str(err)) from None


def _result(row, number, collected, order, decimal, today, shown) -> _Read:
    """Read a row's result, or raise Skip or _CellError."""
    marker, named = _marker(row)
    for role in ("patient", "value"):
        if not row[role]:
            raise _CellError(
                marker.name,
                role,
                "",
                f"empty; every {marker.name} result needs its {role}",
            )
    unit = canonical_unit(row["unit"]) or row["unit"]
    if unit not in marker.units:
        raise _CellError(
            marker.name,
            "unit",
            row["unit"],
            f"not a unit of {marker.name}; the results need one of "
            f"{', '.join(marker.units)}",
        )
    if named.unit and named.unit != unit:
        raise _CellError(
            marker.name,
            "unit",
            row["unit"],
            f"the test {row['marker']!r} is in {named.unit}, but the unit is {unit}; "
            "correct the one that is wrong",
        )
    day = _checked(
        marker.name,
        "date",
        row["date"],
        lambda t: read_day(t, order=order, today=today),
    )
    value, censor = _checked(
        marker.name,
        "value",
        row["value"],
        lambda t: check_export_result(t, decimal, shown),
    )
    try:
        specimen = result_specimen(
            [("specimen", row.get("specimen", "")), ("marker", named.specimen)],
            code=row.get("loinc", ""),
        )
    except SpecimenError as err:
        role, text, message = err.args
        raise _CellError(marker.name, role, text, message) from None
    result = {
        "patient_id": row["patient"],
        "date": day.text,
        "date_precision": day.precision,
        "marker": marker.name,
        "value": row["value"],
        "unit": unit,
        "specimen": specimen,
        "source": f"{collected.source}, row {number}",
    }
    time = time_of_day(row["date"])
    at = (row["patient"], marker.name, specimen, day.text, time) if time else None
    added = (result, day, value, censor, f"row {number}")
    return _Read(added, number, marker.name, row["unit"], row["value"], at)


def _marker(row) -> tuple[Marker, NameMatch]:
    """Return the marker a row is a result of, from its test name and LOINC code.

    The two must name the same marker when both are given: a known name with
    another marker's code, or with a code that is not one of its own, and a code
    of a marker with a name that is not that marker's, are refused (which is
    right cannot be told). Raise Skip for a test that is no registry marker.
    """
    name, loinc = row["marker"], row.get("loinc", "")
    named = match_name(name) if name else NameMatch("none")
    by_code = DEFAULT_MARKERS.get(LOINC_MARKERS.get(loinc, ("",))[0])
    by_name = named.marker if named.verdict == "marker" else None
    if named.verdict == "two markers":
        raise _CellError(
            named.marker.name,
            "marker",
            name,
            f"names two markers, {named.marker.name} and {named.other.name}; a row "
            "is one test, write the one it is",
        )
    if by_code and name and by_name is not by_code:
        what = (
            f"the test is {name!r}"
            if by_name
            else f"the test {name!r} is not {by_code.name}" + _why_not(named, by_code)
        )
        raise _CellError(
            by_code.name,
            "loinc",
            loinc,
            f"LOINC {loinc} is {by_code.name}, but {what}"
            + ("" if by_name else "; correct the test name or the code"),
        )
    if by_name and loinc and not by_code:
        codes = ", ".join(by_name.loinc) or "none"
        code = (
            f"LOINC {loinc} is not one of {by_name.name}'s codes ({codes})"
            if LOINC_CODE.fullmatch(loinc)
            else f"{loinc!r} is not a LOINC code"
        )
        raise _CellError(
            by_name.name,
            "loinc",
            loinc,
            f"the test {name!r} is {by_name.name}, but {code}; correct the test name "
            "or the code, or leave loinc out of the columns (--columns) to pick "
            "markers by name",
        )
    marker = by_code or by_name
    if marker is not None:
        return marker, named
    if named.verdict == "other analyte":
        raise Skip("skipped, another analyte of a marker", name)
    if named.verdict == "unknown qualifier":
        raise Skip(
            "skipped, marker name with an unknown qualifier",
            name,
            f"{name!r} is not read as {named.marker.name}" + _why_not(named, None),
        )
    raise Skip("skipped, not a tumour marker", name or loinc or "(no name)")


def _why_not(named: NameMatch, marker) -> str:
    """Say why a name that mentions a marker is not read as it."""
    if named.verdict == "other analyte":
        return f" ({named.qualifier.strip(' ,')!r} makes it another analyte)"
    name = named.marker.name if named.marker else ""
    if named.verdict == "unknown qualifier" and not named.qualifier:
        return (
            f" (it is not {name} or another of its names, alone or followed by total, "
            "serum, plasma or a unit in parentheses or after a comma; if the test "
            f"is {name}, name it {name} in the export)"
        )
    if named.verdict == "unknown qualifier":
        return (
            f" ({named.qualifier.strip(' ,')!r} is not total, serum, plasma, a unit "
            f"or a name of {name}; if the test is {name}, name it {name} in the "
            "export)"
        )
    return ""


def _with_specimen(table, columns, wanted) -> dict:
    """Return ``columns`` with the export's specimen column, if it has one.

    A column named specimen, specimen type, sample type or material is read
    unless ``columns`` names one: left out, a urine result would be written
    as one more result of the serum test.
    """
    if "specimen" in columns:
        return columns
    found = [
        name
        for name in table.frame.columns[1:]
        if canonical_column(str(name)) in SPECIMEN_COLUMNS
    ]
    if len(found) > 1:
        raise SourceError(
            f"{table.name}: the columns {' and '.join(map(repr, found))} both say "
            "the specimen; name the one to read (specimen in --columns)"
        )
    if not found:
        return columns
    wanted["specimen"] = found[0]
    return {**columns, "specimen": found[0]}


def _check_options(columns, date_order, decimal) -> None:
    unknown = sorted(set(columns) - set(ROLES) - set(OPTIONAL_ROLES))
    missing = [role for role in ROLES if role not in columns]
    if unknown or missing:
        parts = [f"unknown {', '.join(unknown)}"] if unknown else []
        parts += [f"missing {', '.join(missing)}"] if missing else []
        raise SourceError(
            f"columns: {'; '.join(parts)}; give the export's header for each of "
            f"{', '.join(ROLES)}, and optionally loinc and specimen"
        )
    folded = [canonical_column(header) for header in columns.values()]
    for header in columns.values():
        if folded.count(canonical_column(header)) > 1:
            raise SourceError(
                f"columns: {header!r} is given for more than one role; give each "
                "role its own column"
            )
    if date_order not in (None, *DATE_ORDERS):
        raise SourceError(f"date_order must be DMY or MDY, not {date_order!r}")
    if decimal not in (None, *DECIMAL_MARKS):
        raise SourceError(f'decimal must be "." or ",", not {decimal!r}')


def _read(path: Path, columns, wanted, sheet):
    """Return the export's table; a header it lacks is a ColumnError."""
    if not path.exists():
        raise SourceError(f"{path}: no such file; check the path")
    known = tuple(wanted.values())
    required = tuple(wanted[role] for role in ROLES)
    problems: list[Problem] = []
    table = read_raw_table(
        path, required=required, known=known, problems=problems, sheet=sheet
    )
    if table is not None and all(name in table.frame for name in known):
        return table
    if table is None:
        table = _header_row(path, known, sheet)
        if table is None:
            raise CaseDataError(problems)
    headers = _headers(table)
    present = {canonical_column(header) for header in headers}
    missing = [role for role, name in wanted.items() if name not in present]
    if not missing:
        raise CaseDataError(problems)
    raise ColumnError(
        f"{path.name} has no column {columns[missing[0]]!r} (given for "
        f"{missing[0]}); its columns are {', '.join(headers)}",
        missing[0],
        columns[missing[0]],
        headers,
    )


def export_headers(path, *, sheet: str | None = None) -> list[str]:
    """Return the headers in a lab export's first row; none if it cannot be read.

    For messages that help map ``columns``; the header may sit lower, so an
    empty list only means that the first row is not a readable header.
    """
    table = read_raw_table(Path(path), required=(), known=(), problems=[], sheet=sheet)
    return [] if table is None else _headers(table)


def _headers(table) -> list[str]:
    return [
        table.headers.get(name, name)
        for name in table.frame.columns[1:]
        if not name.startswith("column ")
    ]


def _header_row(path: Path, known, sheet):
    """Return the table found through any column given (else the first row)."""
    for names in [*((name,) for name in known), ()]:
        table = read_raw_table(
            path, required=names, known=known if names else (), problems=[], sheet=sheet
        )
        if table is not None:
            return table
    return None
