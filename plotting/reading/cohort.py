"""Read a cohort: a folder of case folders, or tidy tables with ``patient_id``.

Pure pandas. Patients are read lazily: a cohort holds each patient's source (a case
folder, or its rows of the tidy tables), so a batch builds one case at a time and
memory does not grow with the number of patients. A patient whose data are bad is
kept aside with its problems; the others are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..core.case import Case
from ..core.cohort import Cohort, FailedSource, LoadedSource
from ..core.dates import parse_date, period_end
from ..core.errors import CaseDataError, Problem
from .case import TABLE_SUFFIXES, TABLES, _near_file, load_table, read_case
from .settings.case_toml import TABLE_NAMES, read_metadata
from .validation.cohort import (
    CheckedCohort,
    check_cohort,
    how_ids_differ,
    lookalike_keys,
    normalise_ids,
    settle_patient_ids,
)

if TYPE_CHECKING:
    from ..core.types import DateLike, PathLike


@dataclass
class FolderSource:
    """A patient given as a case folder."""

    folder: Path
    today: pd.Timestamp
    patient_id: str | None = None

    def load(self) -> Case:
        """Read and check the patient's case.

        A ``patient_id`` column in its tables must name this patient (the folder's
        name): rows of another patient in its folder would be drawn as its own.
        """
        case = read_case(self.folder, today=self.today)
        own = self.patient_id
        if own is None:
            own = normalise_ids([self.folder.name]).iloc[0]
        problems = []
        for name in ("measurements", "treatments", "events"):
            frame = getattr(case, name)
            if "patient_id" not in frame:
                continue
            written = frame["patient_id"].fillna("").astype(str)
            ids = normalise_ids(written)
            other = ((ids != own) & (ids != "")).to_numpy()
            for row, text in zip(frame["row"][other], written[other], strict=True):
                problems.append(
                    Problem(
                        _table_file(self.folder, name, self.today),
                        f"another patient's id in the case folder of {own!r}; a case "
                        "folder holds one patient: move the row to its patient's "
                        "folder, correct the id, or delete the column",
                        int(row),
                        "patient_id",
                        text,
                    )
                )
        if problems:
            raise CaseDataError(problems)
        return case

    def detached(self) -> FolderSource:
        """Return a copy that holds only this patient's data (for another process)."""
        return self


def _table_file(folder: Path, name: str, today) -> str:
    """Return the path of a case folder's table, as read_case found it."""
    given = read_metadata(folder / "case.toml", today, []).files.get(name)
    found = [folder / f"{name}{suffix}" for suffix in TABLE_SUFFIXES]
    return str(
        folder / given if given else next((p for p in found if p.exists()), found[0])
    )


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


def read_cohort(path: PathLike, *, today: DateLike | None = None) -> Cohort:
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
        Every patient's checked tables, and the problems of those who cannot be read.

    Raises
    ------
    CaseDataError
        Only for problems that concern the whole cohort: a missing table or
        column; patient ids that cannot be settled (spellings that differ only by
        letter case, spaces, the form of a character or the zeros of a number; an
        id Excel shortened; a patient twice in the patients table; rows of
        treatments, events or patients of a patient without results); tidy tables
        beside case folders, or a folder of a patient's tables that would be left
        out. Patient ids are normalised alike in every table and folder name
        (NFC, no invisible characters, whitespace runs as one space, stripped).
    """
    folder = Path(path)
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    if folder.exists() and not folder.is_dir():
        raise CaseDataError(
            [
                Problem(
                    str(folder),
                    "a file, not a cohort folder; give the folder that holds the "
                    "cohort's tables (or its case folders)",
                )
            ]
        )
    subfolders = sorted(p.parent for p in folder.glob("*/case.toml"))
    if subfolders:
        return Cohort(_case_folders(folder, subfolders, today))
    return _read_tidy(folder, today)


def _cohort_tables(folder: Path) -> list[str]:
    """Return the names of the files in ``folder`` that belong to tidy tables."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name == "cohort.toml"
        or (p.stem.casefold() in TABLE_NAMES and p.suffix.casefold() in _TABLE_LIKE)
    )


_TABLE_LIKE = (*TABLE_SUFFIXES, ".xlsm", ".tsv", ".txt", ".xls")


def _case_folders(folder: Path, subfolders, today) -> dict:
    """Return patient id to source for a folder of case folders, or refuse.

    Refused: tidy tables beside the case folders (one of the two would be
    ignored), a sub-folder with tables but no case.toml (a patient left out), and
    two folder names that are one id or look like one.
    """
    problems: list[Problem] = []
    tables = _cohort_tables(folder)
    if tables:
        problems.append(
            Problem(
                str(folder),
                f"holds both case folders ({_listing([f.name for f in subfolders])})"
                f" and cohort tables ({_listing(tables)}); a cohort is one or the "
                "other, so one of them would be ignored: move the tables into a "
                "folder of their own (each patient's rows into its case folder), or "
                "the case folders out",
            )
        )
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        held = [] if (sub / "case.toml").exists() else _cohort_tables(sub)
        if any(Path(name).stem.casefold() in TABLES for name in held):
            problems.append(
                Problem(
                    str(sub),
                    f"holds {_listing(held)} but no case.toml, so this patient would "
                    "be left out; add its case.toml ([time] origin, last_follow_up), "
                    "or move the folder out of the cohort",
                )
            )
    names = pd.Series([f.name for f in subfolders], dtype=object)
    ids = normalise_ids(names)
    first_of: dict = {}
    for index, key in enumerate(lookalike_keys(ids)):
        if not ids.iloc[index]:
            problems.append(
                Problem(
                    str(subfolders[index]),
                    "a folder name without a visible character; name the folder by "
                    "its patient id",
                )
            )
            continue
        first = first_of.setdefault(key, index)
        if first == index:
            continue
        how = (
            "characters that do not show (invisible ones, spaces, accents composed "
            "another way)"
            if ids.iloc[first] == ids.iloc[index]
            else how_ids_differ(ids.iloc[first], ids.iloc[index])
        )
        problems.append(
            Problem(
                str(subfolders[index]),
                f"folder {names.iloc[index]!r} differs from folder "
                f"{names.iloc[first]!r} only by {how}, so it is not known whether "
                "they are one patient; put one patient's data in one folder, or "
                "rename a folder so the ids differ by more",
            )
        )
    if problems:
        raise CaseDataError(problems)
    return {
        pid: FolderSource(sub, today, pid)
        for pid, sub in zip(ids, subfolders, strict=True)
    }


def _case_folders_inside(folder: Path) -> list:
    """Refuse sub-folders holding a patient's tables in a cohort of tidy tables."""
    return [
        Problem(
            str(sub),
            f"holds {_listing(held)}, but this cohort is read from the tidy tables "
            f"in {folder}, so this folder would be left out; move its rows into "
            "the cohort's tables (with a patient_id column), or the folder out of "
            "the cohort",
        )
        for sub in (
            sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
        )
        for held in [_cohort_tables(sub)]
        if any(Path(name).stem.casefold() in TABLES for name in held)
    ]


def _listing(names, limit: int = 5) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


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
    patients = _patients_table(folder, meta, problems)
    problems += _case_folders_inside(folder)
    settle_patient_ids({**tables, "patients": patients}, problems)
    _refuse_relative(meta, tables, problems)
    spans = patient_spans(patients, meta, problems, ids_settled=True)
    if problems:
        raise CaseDataError(problems)
    checked, ids = check_cohort(folder, meta, tables, spans, today, ids_settled=True)
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


def _patients_table(folder: Path, meta, problems):
    """Return the patients table's cells, if the folder has one.

    Found as the other tables are: under ``[files] patients`` in cohort.toml, or
    as patients.csv or .xlsx (both are refused rather than one picked), else
    patients.parquet; a file named nearly so is refused rather than not read.
    """
    given = meta.files.get("patients")
    named = [folder / f"patients{s}" for s in (".csv", ".xlsx")]
    candidates = (
        [folder / given]
        if given
        else [p for p in named if p.exists()]
        or [p for p in [folder / "patients.parquet"] if p.exists()]
    )
    if len(candidates) > 1:
        problems.append(
            Problem(
                str(candidates[0]),
                f"both {' and '.join(p.name for p in candidates)} exist; keep one, or "
                "name it under [files] in cohort.toml",
            )
        )
        return None
    if not candidates or not candidates[0].exists():
        near = None if given else _near_file(folder, "patients")
        if given or near:
            problems.append(
                Problem(
                    str(near or candidates[0]),
                    "missing; name the patients table under [files] in cohort.toml"
                    if given
                    else "looks like the patients table but is not read; name it "
                    "patients.csv or patients.xlsx, or name it under [files] in "
                    "cohort.toml",
                )
            )
        return None
    from .tables.files import read_raw_table

    return read_raw_table(
        candidates[0],
        required=("patient_id",),
        known=("patient_id", "origin", "last_follow_up"),
        problems=problems,
        sheet=meta.files.get("patients_sheet"),
    )


def patient_spans(table, meta, problems, *, ids_settled=False) -> dict:
    """Return patient id to ``(origin, last_follow_up, follow_up_end)``.

    The ids are normalised as every table's are (unless ``ids_settled``: the
    caller did it with the other tables); a patient on two rows is a problem, not
    the last row's.
    """
    spans = {}
    if table is None:
        return spans
    if not ids_settled:
        settle_patient_ids({"patients": table}, problems)
    for row in table.frame.itertuples():
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
        if len(values) == 3 and row.patient_id:
            spans.setdefault(row.patient_id, tuple(values))
    return spans
