"""Read a cohort: a folder of case folders, or tidy tables with ``patient_id``.

Pure pandas. A patient whose data are bad is kept aside with its problems; the
others are read.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .case import TABLES, Case, _load, build_case, read_case, read_metadata
from .dates import parse_date
from .errors import CaseDataError, Problem
from .tables import RawTable


@dataclass
class Cohort:
    """Cases by patient id, and the problems of patients that could not be read."""

    cases: dict[str, Case] = field(default_factory=dict)
    problems: dict[str, CaseDataError] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.cases) + len(self.problems)


def read_cohort(path, *, today=None) -> Cohort:
    """Read every patient of a cohort.

    Parameters
    ----------
    path : str or Path
        Either a folder of case folders (each with its ``case.toml``; the folder name
        is the patient id), or a folder of tidy tables: ``measurements`` (and
        optionally ``treatments``, ``events``) with a ``patient_id`` column, an
        optional ``patients`` table (``patient_id``, ``origin``, ``last_follow_up``;
        without it a patient's follow-up spans its own dates), and an optional
        ``cohort.toml`` with the settings of ``case.toml`` shared by all.
    today : datetime-like, optional
        Dates after this day are errors; defaults to the current date.

    Returns
    -------
    Cohort

    Raises
    ------
    CaseDataError
        Only for problems that concern the whole cohort (a missing table or column).
    """
    folder = Path(path)
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    subfolders = sorted(p.parent for p in folder.glob("*/case.toml"))
    if subfolders:
        cohort = Cohort()
        for case_folder in subfolders:
            try:
                cohort.cases[case_folder.name] = read_case(case_folder, today=today)
            except CaseDataError as err:
                cohort.problems[case_folder.name] = err
        return cohort
    return _read_tidy(folder, today)


def _read_tidy(folder: Path, today) -> Cohort:
    problems: list[Problem] = []
    meta = read_metadata(folder / "cohort.toml", today, problems, need_time=False)
    tables = {}
    for name in TABLES:
        tables[name] = _load(
            folder,
            name,
            meta,
            problems,
            optional=name != "measurements",
            also_required=("patient_id",),
        )
    spans = _patient_spans(folder, meta, problems)
    if problems:
        raise CaseDataError(problems)
    ids = sorted(set(tables["measurements"].frame["patient_id"].str.strip()) - {""})
    cohort = Cohort()
    for pid in ids:
        own = {name: _rows_of(table, pid) for name, table in tables.items()}
        patient_meta = copy.deepcopy(meta)
        origin, last = spans.get(pid, (None, None))
        dates = own["measurements"].frame["date"]
        if origin is None or last is None:
            parsed = [parse_date(d) for d in dates if _is_date(d)]
            origin = origin or min((p[1] for p in parsed), default=None)
            last = last or max((p[0] for p in parsed), default=None)
        patient_meta.update(origin=origin, last_follow_up=last)
        try:
            case = build_case(folder, patient_meta, own, today, [])
        except CaseDataError as err:
            cohort.problems[pid] = err
        else:
            cohort.cases[pid] = case
    return cohort


def _rows_of(table: RawTable | None, pid: str) -> RawTable | None:
    if table is None:
        return None
    frame = table.frame[table.frame["patient_id"].str.strip() == pid]
    return RawTable(
        table.name, frame.drop(columns="patient_id"), table.headers, table.decimal
    )


def _is_date(text: str) -> bool:
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


def _patient_spans(folder: Path, meta, problems) -> dict:
    candidates = [
        p for p in (folder / "patients.csv", folder / "patients.xlsx") if p.exists()
    ]
    if not candidates:
        return {}
    from .tables import read_raw_table

    table = read_raw_table(
        candidates[0],
        required=("patient_id",),
        known=("patient_id", "origin", "last_follow_up"),
        problems=problems,
    )
    spans = {}
    for row in [] if table is None else table.frame.itertuples():
        values = []
        for column in ("origin", "last_follow_up"):
            text = getattr(row, column, "")
            try:
                position, start, _ = parse_date(text, order=meta["date_order"])
                values.append(start if column == "origin" else position)
            except ValueError as err:
                problems.append(
                    Problem(
                        table.name, str(err), row.row, table.column_name(column), text
                    )
                )
                values.append(None)
        spans[row.patient_id.strip()] = tuple(values)
    return spans
