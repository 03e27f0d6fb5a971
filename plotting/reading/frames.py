"""Build cases and cohorts from DataFrames a notebook already holds.

The frames are checked exactly as files are: their cells are turned into the
text a file would hold (numbers written so they read back as the same number,
dates as ISO dates), and problems name the frame and its index label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core.case import Case
from ..core.dates import TIME_COLUMNS
from ..core.errors import CaseDataError, Problem
from .case import TABLES, build_case, column_time_unit
from .settings.case_toml import metadata_from_mapping
from .tables.files import RawTable
from .tables.headers import canonical_column
from .tables.text import cell_text, date_text, is_number

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from ..core.cohort import Cohort as _Cohort
    from ..core.types import DateLike

_SETTINGS = "case_from_frames"


def case_from_frames(
    measurements: pd.DataFrame,
    treatments: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    *,
    origin: DateLike | float,
    last_follow_up: DateLike | float,
    markers: Sequence[str] | Mapping[str, Any] | None = None,
    today: DateLike | None = None,
    **settings: Any,
) -> Case:
    """Check DataFrames of results, treatments and events and return the Case.

    Parameters
    ----------
    measurements : DataFrame
        Columns as in ``measurements.csv`` (``date``, ``marker``, ``value``,
        ``unit``, ...), any dtypes: text, numbers, datetimes.
    treatments, events : DataFrame, optional
        As ``treatments.csv`` and ``events.csv``.
    origin, last_follow_up : str, datetime-like or number
        The time origin and the last follow-up (``[time]`` in case.toml); for
        relative times (``time={"relative": "months"}``, or a ``month`` column)
        numbers of that unit: ``origin=0, last_follow_up=13``.
    markers : list of str or dict, optional
        Markers to draw in order, or ``{name: {"uln": ..., "axis": ...}}`` as the
        ``[markers]`` tables of case.toml.
    today : datetime-like, optional
        Dates after this day are errors; defaults to the current date.
    **settings
        Other case.toml settings: ``title``, ``caption``, ``reference``, and
        ``time`` options (``max_gap_days``, ``axis``, ``origin_label``,
        ``date_order``) or ``files`` options (``decimal``) as dicts.

    Returns
    -------
    Case
        As :func:`read_case` returns for a folder of the same tables.

    Raises
    ------
    CaseDataError
        Every problem, naming the frame, its index label as the row, and the
        column.

    Examples
    --------
    >>> case = case_from_frames(results, origin="2006-08", last_follow_up="2019-08-27")
    """
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    problems: list[Problem] = []
    raw = _settings(settings, origin, last_follow_up, markers)
    frames = {"measurements": measurements, "treatments": treatments, "events": events}
    tables = {
        name: None if frame is None else frame_table(frame, name, problems)
        for name, frame in frames.items()
    }
    declared = metadata_from_mapping(raw, _SETTINGS, today, []).time_unit
    unit = column_time_unit(tables, declared, problems)
    meta = metadata_from_mapping(raw, _SETTINGS, today, problems, column_unit=unit)
    return build_case(None, meta, tables, today, problems)


def _settings(settings, origin, last_follow_up, markers) -> dict:
    raw = {key: value for key, value in settings.items() if key not in ("time",)}
    time = dict(settings.get("time", {}))
    for key, value in (("origin", origin), ("last_follow_up", last_follow_up)):
        if isinstance(value, int | float | np.number) and not isinstance(value, bool):
            # A number, as case.toml holds one: a year (origin = 2006) or a
            # relative time, never a date_text (it would silently be 1970-01-01).
            time[key] = value.item() if isinstance(value, np.number) else value
        elif value is not None:
            time[key] = date_text(value)
    raw["time"] = time
    if markers is not None:
        raw["markers"] = (
            dict(markers) if isinstance(markers, dict) else {m: {} for m in markers}
        )
    return raw


def frame_table(frame, name: str, problems, *, also_required=()) -> RawTable | None:
    """Return a DataFrame as a table of text cells, rows named by index label."""
    if not isinstance(frame, pd.DataFrame):
        problems.append(
            Problem(f"{name} (DataFrame)", f"must be a DataFrame, not {type(frame)}")
        )
        return None
    label = f"{name} (DataFrame)"
    required, optional = TABLES[name]
    required = (*also_required, *required)
    known = (*required, *optional)
    headers = {}
    columns, numbers = {}, {}
    names = {canonical_column(str(c)) for c in frame.columns}
    for column in frame.columns:
        canonical = canonical_column(str(column))
        key = canonical if canonical in known else str(column)
        if canonical in TIME_COLUMNS and "date" in known and "date" not in names:
            # A month (days, weeks...) column is the date column, in that unit.
            key, names = "date", names | {"date"}
        headers[key] = str(column)
        values = frame[column].tolist()
        columns[key] = [cell_text(value) for value in values]
        numbers[key] = [is_number(value) for value in values]
    missing = [c for c in required if c not in columns]
    for column in missing:
        problems.append(Problem(label, "missing; add this column", None, column))
    if missing:
        return None
    index = frame.index
    rows = list(index) if pd.api.types.is_integer_dtype(index) else range(len(frame))
    text = pd.DataFrame(columns, dtype=object)
    text.insert(0, "row", np.asarray(rows, dtype=int))
    numeric = frozenset(
        (int(row), key)
        for key, flags in numbers.items()
        for row, flag in zip(text["row"], flags, strict=True)
        if flag
    )
    known_headers = {k: v for k, v in headers.items() if k in known}
    return RawTable(label, text, known_headers, numeric=numeric)


def cohort_from_frames(
    measurements: pd.DataFrame,
    treatments: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    *,
    patients: pd.DataFrame | None = None,
    markers: Sequence[str] | Mapping[str, Any] | None = None,
    today: DateLike | None = None,
    **settings: Any,
) -> _Cohort:
    """Check a cohort's tidy DataFrames (with ``patient_id``) and return a Cohort.

    ``patients`` may hold ``patient_id``, ``origin`` and ``last_follow_up``;
    without it each patient's follow-up spans its own results. Settings are those
    of :func:`case_from_frames` (shared by every patient).

    Parameters
    ----------
    measurements : DataFrame
        Every patient's results, with ``patient_id``.
    treatments, events : DataFrame, optional
        Every patient's treatments and events, with ``patient_id``.
    patients : DataFrame, optional
        One row per patient: ``patient_id``, ``origin``, ``last_follow_up``.
    markers : list of str or dict, optional
        The markers drawn, in order, or their ``case.toml`` settings by name.
    today : datetime-like, optional
        Later dates are refused; defaults to the current date.
    **settings
        Any other setting :func:`case_from_frames` takes (``time``, ``files``,
        ``figure``), shared by every patient.

    Returns
    -------
    Cohort
        The patients read, and the problems of those who could not be.

    Raises
    ------
    CaseDataError
        For problems that concern the whole cohort (a missing column); each
        patient's own problems are kept in ``cohort.problems``.
    """
    from ..core.cohort import Cohort
    from .cohort import TidySource, patient_spans
    from .validation.cohort import check_cohort

    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    problems: list[Problem] = []
    raw = _settings(settings, None, None, markers)
    meta = metadata_from_mapping(raw, _SETTINGS, today, problems, need_time=False)
    frames = {"measurements": measurements, "treatments": treatments, "events": events}
    tables = {
        name: None
        if frame is None
        else frame_table(frame, name, problems, also_required=("patient_id",))
        for name, frame in frames.items()
    }
    spans = {}
    if patients is not None:
        spans = patient_spans(_patients_table(patients, problems), meta, problems)
    if problems:
        raise CaseDataError(problems)
    checked, ids = check_cohort(None, meta, tables, spans, today)
    return Cohort({pid: TidySource(checked, pid) for pid in ids})


def _patients_table(frame, problems) -> RawTable | None:
    text = frame.astype(object).map(cell_text)
    text.insert(0, "row", np.arange(len(frame)))
    text.columns = ["row", *(canonical_column(str(c)) for c in frame.columns)]
    if "patient_id" not in text:
        problems.append(Problem("patients (DataFrame)", "missing; add this column"))
        return None
    return RawTable("patients (DataFrame)", text, {})
