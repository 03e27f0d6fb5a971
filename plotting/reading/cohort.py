"""Read a cohort: a folder of case folders, or tidy tables with ``patient_id``.

Pure pandas. Patients are read lazily: a cohort holds each patient's source (a case
folder, or its rows of the tidy tables), so a batch builds one case at a time and
memory does not grow with the number of patients. A patient whose data are bad is
kept aside with its problems; the others are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core.case import Case
from ..core.cohort import Cohort, FailedSource, LoadedSource
from ..core.dates import parse_date, period_end
from ..core.errors import CaseDataError, Problem
from .case import TABLES, load_table, read_case
from .settings.case_toml import read_metadata
from .validation.cohort import CheckedCohort, check_cohort


@dataclass
class FolderSource:
    """A patient given as a case folder."""

    folder: Path
    today: pd.Timestamp

    def load(self) -> Case:
        """Read and check the patient's case."""
        return read_case(self.folder, today=self.today)

    def detached(self) -> FolderSource:
        """Return a copy that holds only this patient's data (for another process)."""
        return self


@dataclass
class TidySource:
    """A patient given as rows of a cohort's tidy tables, checked with the rest."""

    checked: CheckedCohort
    patient_id: str

    def load(self) -> Case:
        """Return the patient's case (a slice of the checked tables)."""
        return self.checked.case(self.patient_id)

    def detached(self):
        """Return the patient's own data alone (for another process)."""
        try:
            return LoadedSource(self.load())
        except CaseDataError as err:
            return FailedSource(err.problems)


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
        return Cohort({f.name: FolderSource(f, today) for f in subfolders})
    return _read_tidy(folder, today)


def _read_tidy(folder: Path, today) -> Cohort:
    problems: list[Problem] = []
    meta = read_metadata(folder / "cohort.toml", today, problems, need_time=False)
    tables = {
        name: load_table(
            folder,
            name,
            meta,
            problems,
            optional=name != "measurements",
            also_required=("patient_id",),
        )
        for name in TABLES
    }
    for table in tables.values():
        if table is None:
            continue
        for row in table.frame.loc[table.frame["patient_id"].str.strip() == "", "row"]:
            problems.append(
                Problem(
                    table.name,
                    "empty; write the patient id, or delete the row",
                    int(row),
                    table.column_name("patient_id"),
                    "",
                )
            )
    _refuse_relative(meta, tables, problems)
    spans = _patient_spans(folder, meta, problems)
    if problems:
        raise CaseDataError(problems)
    checked, ids = check_cohort(folder, meta, tables, spans, today)
    return Cohort({pid: TidySource(checked, pid) for pid in ids})


def _refuse_relative(meta, tables, problems) -> None:
    """Refuse relative times in tidy tables, which place patients by calendar span.

    Each patient as a case folder (with ``[time] relative`` in its case.toml) is
    read as a case is.
    """
    named = [
        (t.name, t.column_name("date"))
        for t in tables.values()
        if t is not None and t.column_name("date") != "date"
    ]
    if meta.time_unit is None and not named:
        return
    file, column = named[0] if named else ("cohort.toml", None)
    where = f"a {column!r} column" if column else "[time] relative"
    problems.append(
        Problem(
            file,
            f"{where}: times relative to an origin are read from case folders only, "
            "not from a cohort's tidy tables; make one folder per patient with its "
            "case.toml ([time] relative, origin_label, last_follow_up) and tables",
        )
    )


def _is_date(text: str) -> bool:
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


def _patient_spans(folder: Path, meta, problems) -> dict:
    """Return each patient's span from the patients table, if the folder has one."""
    candidates = [
        p for p in (folder / "patients.csv", folder / "patients.xlsx") if p.exists()
    ]
    if not candidates:
        return {}
    from .tables.files import read_raw_table

    table = read_raw_table(
        candidates[0],
        required=("patient_id",),
        known=("patient_id", "origin", "last_follow_up"),
        problems=problems,
    )
    return patient_spans(table, meta, problems)


def patient_spans(table, meta, problems) -> dict:
    """Return patient id to ``(origin, last_follow_up, follow_up_end)``."""
    spans = {}
    for row in [] if table is None else table.frame.itertuples():
        values = []
        for column in ("origin", "last_follow_up"):
            text = getattr(row, column, "")
            try:
                position, start, precision = parse_date(text, order=meta.date_order)
            except ValueError as err:
                problems.append(
                    Problem(
                        table.name, str(err), row.row, table.column_name(column), text
                    )
                )
                values.append(None)
                continue
            if column == "origin":
                values.append(start)
            else:
                values += [position, period_end(start, precision)]
        if len(values) == 3:
            spans[row.patient_id.strip()] = tuple(values)
    return spans
