"""Check a cohort's tidy tables once, for every patient at the same time.

Checking patient by patient cost about 16 ms each in pandas overhead; here every
cell is parsed in one pass over the whole table, the windows are compared with
vectorised masks, and each problem is handed to the patient whose row it is on.
A patient's Case is then only a slice of the checked tables.

Patient ids are settled first, the same way in every table (``settle_patient_ids``):
two spellings of one id that differ only in what a reader cannot see are one
patient; two that differ only in what a reader could take for the same id are
refused, as are rows whose patient has no results.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ...core.case import Case
from ...core.errors import CaseDataError, Problem
from ...core.markers import DEFAULT_MARKERS
from ..case import assemble_case, table_files
from ..settings.case_toml import CaseMetadata
from ..settings.marker_overrides import with_overrides
from ..tables.columns import period_starts
from .tables import check_events, check_measurements, check_treatments, check_window


@dataclass(frozen=True)
class CheckedCohort:
    """A cohort's checked tables, each patient's span, notes and problems."""

    folder: object
    meta: CaseMetadata
    registry: dict
    tables: dict
    rows: dict
    spans: dict
    notes: dict
    problems: dict
    files: dict = field(default_factory=dict)

    def case(self, patient_id) -> Case:
        """Return one patient's Case, or raise CaseDataError with its problems.

        Its title names the patient (``Cohort title: ID``, or ``Patient ID``), as
        the page made of it must: each patient's tables hold only their rows.
        """
        if patient_id in self.problems:
            raise CaseDataError(self.problems[patient_id])
        origin, last, end = self.spans[patient_id]
        title = self.meta.title
        meta = replace(
            self.meta,
            origin=origin,
            last_follow_up=last,
            follow_up_end=end,
            title=f"{title}: {patient_id}" if title else f"Patient {patient_id}",
        )
        own = {
            name: table.take(self.rows[name].get(patient_id, _NONE)).reset_index(
                drop=True
            )
            for name, table in self.tables.items()
        }
        treatments = own["treatments"]
        if treatments["ongoing"].any():
            treatments.loc[treatments["ongoing"], "end"] = last
        return assemble_case(
            self.folder,
            meta,
            self.registry,
            own["measurements"],
            own["treatments"],
            own["events"],
            self.notes.get(patient_id, []),
            self.files,
        )


_NONE = np.array([], dtype=int)


def check_cohort(folder, meta, raw, spans, today, *, ids_settled=False):
    """Check tidy cohort tables (``raw``: name to RawTable or None) at once.

    Returns
    -------
    CheckedCohort, list of str
        The checked tables, and the patient ids in order.

    Parameters
    ----------
    spans : dict
        Patient id to ``(origin, last_follow_up, follow_up_end)`` from the
        patients table; other patients span their own results.
    ids_settled : bool
        Whether :func:`settle_patient_ids` was already run on ``raw`` (with the
        patients table); otherwise it is run here.

    Raises
    ------
    CaseDataError
        For problems that belong to no patient's row, and for patient ids that
        cannot be settled (look-alike spellings, rows of patients without results).
    """
    registry = with_overrides(DEFAULT_MARKERS, meta.marker_options)
    problems: list[Problem] = []
    if not ids_settled:
        settle_patient_ids(raw, problems)
    results = raw["measurements"]
    with_results = set() if results is None else set(results.frame["patient_id"])
    problems += [
        Problem(
            "patients",
            f"patient {pid!r} has no results in the measurements; every patient of a "
            "cohort needs results: write its id as the measurements do, or leave "
            "the patient out",
        )
        for pid in sorted(set(spans) - with_results)
    ]
    if problems:
        raise CaseDataError(problems)
    measurements, notes = check_measurements(
        raw["measurements"], registry, meta, problems
    )
    checked = {
        "measurements": measurements,
        "treatments": check_treatments(raw["treatments"], meta, problems, notes),
        "events": check_events(raw["events"], meta, problems),
    }
    for table in checked.values():
        if "patient_id" not in table:
            table["patient_id"] = pd.Series(dtype=object)
        table["patient_id"] = table["patient_id"].astype(str)
    ids = sorted(set(measurements["patient_id"]) - {""})
    spans = {**_own_spans(raw["measurements"], measurements, meta), **spans}
    spans = {pid: spans.get(pid, (None, None, None)) for pid in ids}
    for name, column in (
        ("measurements", "date"),
        ("treatments", "start"),
        ("treatments", "end"),
        ("events", "date"),
    ):
        frame = checked[name]
        if raw[name] is None or frame.empty:
            continue
        per_row = [
            frame["patient_id"].map({p: s[i] for p, s in spans.items()}) for i in (0, 2)
        ]
        window = (*[pd.to_datetime(s) for s in per_row], today)
        check_window(raw[name], frame, column, window, problems)
    by_patient = _assign(problems, raw)
    ids = sorted({*ids, *by_patient})
    spans = {pid: spans.get(pid, (None, None, None)) for pid in ids}
    rows = {
        name: frame.groupby("patient_id", sort=False).indices
        for name, frame in checked.items()
    }
    # A patient's tables are its slices, without the patient column.
    checked = {
        name: frame.drop(columns="patient_id") for name, frame in checked.items()
    }
    grouped_notes: dict = {}
    for pid, note in notes:
        grouped_notes.setdefault(pid, []).append(note)
    return CheckedCohort(
        folder,
        meta,
        registry,
        checked,
        rows,
        spans,
        grouped_notes,
        by_patient,
        table_files(folder, raw),
    ), ids


def _own_spans(table, measurements, meta) -> dict:
    """Return each patient's span from its own results: first to last."""
    if table is None or measurements.empty:
        return {}
    starts = period_starts(table, "date", order=meta.date_order)
    own = pd.DataFrame(
        {
            "patient_id": table.frame["patient_id"].to_numpy(),
            "start": starts.to_numpy(),
        }
    )
    first = own.groupby("patient_id")["start"].min()
    last = measurements.groupby("patient_id")["date"].max()
    return {
        pid: (first.get(pid), last.get(pid), last.get(pid))
        for pid in last.index
        if pd.notna(last.get(pid))
    }


def _assign(problems, raw) -> dict:
    """Hand each problem to the patient on its row; raise for the others."""
    owner = {}
    for table in raw.values():
        if table is not None:
            frame = table.frame
            owner[table.name] = dict(
                zip(frame["row"], frame["patient_id"], strict=True)
            )
    by_patient: dict = {}
    cohort_wide = []
    for problem in problems:
        pid = owner.get(problem.file, {}).get(problem.row)
        if not pid:
            cohort_wide.append(problem)
        else:
            by_patient.setdefault(pid, []).append(problem)
    if cohort_wide:
        raise CaseDataError(cohort_wide)
    return {
        pid: sorted(found, key=lambda p: (p.file, p.row or 0))
        for pid, found in by_patient.items()
    }


# Patient ids -------------------------------------------------------------------

ID_TABLES = ("measurements", "treatments", "events", "patients")
# A number Excel shortened when it saved the column as CSV (1.23457E+11).
_SHORTENED_NUMBER = r"[0-9](?:[.,][0-9]+)?[eE][+-]?[0-9]+"


def _characters(texts, wanted) -> str:
    """Return the characters of ``texts`` that ``wanted`` accepts, as a regex class."""
    found = sorted(c for c in set("".join(texts)) if wanted(c))
    return f"[{re.escape(''.join(found))}]" if found else ""


# Drawn as nothing, yet not of category Cf: the combining grapheme joiner, Hangul
# fillers, Khmer inherent vowels, Mongolian and other variation selectors (the rest
# of Unicode's default-ignorable code points).
_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f"
    "\uffa0\U000e0100-\U000e01ef]"
)


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or bool(_IGNORABLE.match(char))


def _is_dash(char: str) -> bool:
    return unicodedata.category(char) == "Pd" or char == "\u2212"


def normalise_ids(ids) -> pd.Series:
    """Return patient ids as every table of a cohort is compared: one rule for all.

    Unicode NFC; format characters (category Cf: zero-width space, byte order
    mark, soft hyphen, direction marks) and the other characters drawn as
    nothing (variation selectors, Hangul fillers) removed; each run of
    whitespace (tab, no-break space...) one space, and none around the id. Each
    distinct text is normalised once, with pandas string methods, so a cohort of
    many rows per patient costs what its number of patients costs.
    """
    ids = pd.Series(ids, dtype=object)
    # The cells are text already: no conversion of every row (astype(str) would
    # also make an Arrow string column of it). A missing cell is code -1.
    codes, uniques = pd.factorize(ids, sort=False)
    clean = pd.Series([str(u) for u in uniques], dtype=object)
    if not clean.empty:
        wide = ~_ascii(clean)
        if wide.any():
            odd = clean[wide]
            invisible = _characters(odd, _is_invisible)
            if invisible:
                odd = odd.str.replace(invisible, "", regex=True)
            clean[wide] = odd.str.normalize("NFC")
        clean = clean.str.replace(r"\s+", " ", regex=True).str.strip()
    spelled = np.append(clean.to_numpy(dtype=object), "")  # -1 picks ""
    return pd.Series(spelled[codes], index=ids.index, dtype=object)


def _ascii(texts: pd.Series) -> pd.Series:
    """Whether each text is plain ASCII (``Series.str.isascii`` needs pandas 3)."""
    return texts.map(str.isascii).astype(bool)


# What a reader could take for one id, step by step: the name of each step says how
# two spellings differ when it is the step that makes them one.
# Cyrillic and Greek letters drawn as Latin ones: typed with another keyboard
# layout, P1 with a Cyrillic Er (U+0420) looks like P1 and is another text.
_LATIN_LOOKALIKES = str.maketrans(
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0423"
    "\u0406\u0408\u0405"
    "\u0430\u0435\u043a\u043e\u0440\u0441\u0445\u0443\u0456\u0458\u0455"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4"
    "\u03a5\u03a7"
    "\u03bf\u03b9\u03ba\u03bd\u03c1\u03c5\u03c7",
    "ABEKMHOPCTXYIJSaekopcxyijsABEZHIKMNOPTYXoikvpux",
)


def _character_forms(ids: pd.Series) -> pd.Series:
    ids = ids.str.normalize("NFKC")
    wide = ~_ascii(ids)
    if not wide.any():
        return ids
    dashes = _characters(ids[wide], _is_dash)
    odd = ids[wide].str.translate(_LATIN_LOOKALIKES)
    if dashes:
        odd = odd.str.replace(dashes, "-", regex=True)
    return ids.where(~wide, odd)


_LOOKALIKE_STEPS = (
    (
        "the form of a character (full-width, dash, a Cyrillic or Greek letter "
        "drawn as a Latin one)",
        _character_forms,
    ),
    ("letter case", lambda ids: ids.str.casefold()),
    ("spaces", lambda ids: ids.str.replace(r"\s", "", regex=True)),
    (
        "leading zeros or a trailing .0 of a number",
        lambda ids: ids.str.replace(r"^0*([0-9]+?)(?:\.0+)?$", r"\1", regex=True),
    ),
)


def lookalike_keys(ids: pd.Series, skip: str | None = None) -> pd.Series:
    for name, step in _LOOKALIKE_STEPS:
        if name != skip:
            ids = step(ids)
    return ids


def how_ids_differ(first: str, other: str) -> str:
    pair = pd.Series([first, other], dtype=object)
    steps = [
        name
        for name, _ in _LOOKALIKE_STEPS
        if len(set(lookalike_keys(pair, skip=name))) > 1
    ]
    return " and ".join(steps) or "their spelling"


def settle_patient_ids(tables: dict, problems: list) -> None:
    """Give each patient one id in every table of a cohort, or add problems.

    Parameters
    ----------
    tables : dict
        Table name (``measurements``, ``treatments``, ``events``, ``patients``) to
        RawTable or None. Each table's ``patient_id`` column is replaced by the
        normalised ids (:func:`normalise_ids`).
    problems : list of Problem
        Where problems are added: an empty id; two ids that differ only in letter
        case, spaces, the form of a character or the zeros of a number (never
        merged, for they may be two patients: the user says which); a number Excel
        shortened; a patient twice in the patients table; rows of treatments,
        events or patients of a patient without results (only when the
        measurements are among ``tables``).
    """
    firsts = []
    for name in ID_TABLES:
        table = tables.get(name)
        if table is None:
            continue
        frame = table.frame
        written = frame["patient_id"].to_numpy(dtype=object)
        ids = normalise_ids(frame["patient_id"])
        frame["patient_id"] = ids
        column = table.column_name("patient_id")
        rows = frame["row"].to_numpy()
        codes, spellings = pd.factorize(ids, sort=False)
        spellings = np.asarray(spellings, dtype=object)
        # Each id's first row (codes count in order of appearance), and its rows.
        first = np.unique(codes, return_index=True)[1]
        count = np.bincount(codes, minlength=len(spellings))
        empty = spellings == ""
        problems += [
            Problem(
                table.name,
                "empty; write the patient id, or delete the row",
                int(rows[index]),
                column,
                _text(written[index]),
            )
            for index in np.flatnonzero(ids.to_numpy() == "")
        ]
        if name == "patients" and (count[~empty] > 1).any():
            _listed_twice(table, ids, rows, written, problems)
        firsts.append(
            pd.DataFrame(
                {
                    "id": spellings[~empty],
                    "row": rows[first][~empty],
                    "text": [_text(t) for t in written[first][~empty]],
                    "table": name,
                    "file": table.name,
                    "column": column,
                    "count": count[~empty],
                }
            )
        )
    if not firsts:
        return
    seen = pd.concat(firsts, ignore_index=True)
    unique = pd.Series(seen["id"].unique(), dtype=object)
    keys = pd.Series(lookalike_keys(unique).to_numpy(), index=unique.to_numpy())
    seen["key"] = seen["id"].map(keys)
    lookalike = seen["key"].isin(keys[keys.duplicated(keep=False)].to_numpy())
    _lookalikes(seen[lookalike], problems)
    shortened = seen["id"].str.fullmatch(_SHORTENED_NUMBER)
    for first in seen[shortened].itertuples():
        problems.append(
            Problem(
                first.file,
                "a patient id that looks like a number Excel shortened to scientific "
                "notation, its digits lost: in the workbook, format the id column as "
                "Text, type the full ids and save the CSV again" + _rows(first.count),
                int(first.row),
                first.column,
                first.text,
            )
        )
    if tables.get("measurements") is None:
        return
    results = tables["measurements"].name
    with_results = set(seen.loc[seen["table"] == "measurements", "id"])
    orphans = seen[
        (seen["table"] != "measurements")
        & ~seen["id"].isin(with_results)
        & ~lookalike
        & ~shortened
    ]
    for first in orphans.itertuples():
        problems.append(
            Problem(
                first.file,
                f"patient {first.id!r} has no results in {results}, so these rows "
                "would belong to no figure; write the id as the results do, add the "
                "patient's results, or delete its rows" + _rows(first.count),
                int(first.row),
                first.column,
                first.text,
            )
        )


def _rows(count: int) -> str:
    return f" ({count} rows in this table)" if count > 1 else ""


def _lookalikes(seen: pd.DataFrame, problems: list) -> None:
    """Add a problem for each spelling of an id that another one resembles."""
    for _, group in seen.groupby("key", sort=False):
        first = group.iloc[0]
        for other in group[group["id"] != first["id"]].itertuples():
            how = how_ids_differ(first["id"], other.id)
            hint = (
                " (a spreadsheet that read the ids as numbers drops leading zeros: "
                "format the id column as Text)"
                if how.startswith("leading zeros")
                else ""
            )
            problems.append(
                Problem(
                    other.file,
                    f"patient {other.id!r} differs from {first['id']!r} "
                    f"({first['file']}, row {first['row']}) only by {how}, so it is "
                    f"not known whether they are one patient; write one spelling "
                    f"of one patient's id in every table{hint}, or give two patients "
                    f"ids that differ by more" + _rows(other.count),
                    int(other.row),
                    other.column,
                    other.text,
                )
            )


def _text(cell) -> str:
    return cell if isinstance(cell, str) else ""


def _listed_twice(table, ids, rows, written, problems: list) -> None:
    """Add a problem for each patient on more than one row of the patients table."""
    listed = pd.DataFrame({"id": ids.to_numpy(), "row": rows, "text": written})
    listed = listed[listed["id"] != ""]
    twice = listed[listed["id"].duplicated(keep=False)]
    for pid, group in twice.groupby("id", sort=False):
        first = int(group["row"].iloc[0])
        for other in group.iloc[1:].itertuples():
            problems.append(
                Problem(
                    table.name,
                    f"patient {pid!r} is listed twice, on rows {first} and "
                    f"{other.row}; keep one row per patient (delete one, or correct "
                    "its id)",
                    int(other.row),
                    table.column_name("patient_id"),
                    _text(other.text),
                )
            )
