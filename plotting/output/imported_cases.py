"""Write an import as a case folder (one patient) or a tidy cohort folder (several).

The files are written together (:func:`plotting.output.atomic.replace_together`), so
an interrupted import leaves the folder as it was. A folder that already holds
case or cohort data is refused unless forced: an import must never mix its
tables with another's.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.errors import InputError
from ..reading.case import TABLE_SUFFIXES
from ..reading.importers.result import ImportResult
from ..reading.settings.case_toml import TABLE_NAMES
from .atomic import replace_together

TABLES = ("measurements", "treatments", "events")
# Files an import writes; with force, those of an earlier import are removed.
OWN_FILES = ("case.toml", "cohort.toml", "patients.csv", *(f"{t}.csv" for t in TABLES))


def write_import(result: ImportResult, folder, *, force: bool = False) -> Path:
    """Write imported tables in the case-folder format of ``data/README.md``.

    One patient gives a case folder: ``case.toml`` (``[time]`` origin and
    last_follow_up) with ``measurements.csv`` and, when they have rows,
    ``treatments.csv`` and ``events.csv``. Several patients give a tidy cohort
    folder: the same tables with ``patient_id``, and ``patients.csv`` with each
    patient's origin and last follow-up. ``[files] decimal`` is declared (in
    ``case.toml``, or a ``cohort.toml``) only when a result needs it.

    Parameters
    ----------
    result : ImportResult
        What :func:`~plotting.reading.importers.read_fhir` or
        :func:`~plotting.reading.importers.read_lab_export` returned.
    folder : str or Path
        The folder to write; made if missing.
    force : bool, default False
        Replace the case or cohort data of the folder: the files an import
        writes are replaced, and those it does not write this time removed.

    Returns
    -------
    Path
        The folder written.

    Raises
    ------
    InputError
        If no patient has a result, or the folder holds case or cohort data
        (unless ``force``; workbook or Parquet tables, or case folders, always).

    Examples
    --------
    >>> from plotting.reading.importers import read_fhir
    >>> result = read_fhir("tests/cases/imports/example.ndjson")
    >>> write_import(result, "build/imported_ndjson", force=True)
    PosixPath('build/imported_ndjson')
    """
    folder = Path(folder)
    if not result.patient_ids:
        raise InputError(
            f"{result.source}: nothing to write; no patient has a tumour-marker result"
        )
    files = import_files(result)
    check_destination(folder, force=force)
    replace_together(
        (folder / name, lambda stream, data=data: stream.write(data))
        for name, data in files.items()
    )
    for name in OWN_FILES:
        if name not in files:
            (folder / name).unlink(missing_ok=True)
    return folder


def import_files(result: ImportResult) -> dict[str, bytes]:
    """Return the files an import writes, by name, as UTF-8 bytes."""
    single = len(result.patient_ids) == 1
    files = {}
    for name in TABLES:
        frame = result.tables[name]
        if frame.empty and name != "measurements":
            continue
        if single:
            frame = frame.drop(columns="patient_id")
        files[f"{name}.csv"] = _csv(frame)
    if single:
        files["case.toml"] = _case_toml(result).encode("utf-8")
    else:
        files["patients.csv"] = _csv(result.tables["patients"])
        if result.decimal:
            files["cohort.toml"] = "\n".join(
                [_header(result, "all patients"), _files(result)]
            ).encode("utf-8")
    return files


def check_destination(folder, *, force: bool = False) -> None:
    """Raise InputError if an import must not write into ``folder``.

    A folder holding case or cohort data (``case.toml``, ``cohort.toml``, a
    table) is refused unless ``force``. Workbook or Parquet tables and case
    folders inside it are refused even then: the package would read them beside
    the import.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file; give a folder (made if missing)")
    if not folder.is_dir():
        return
    held = sorted(
        [
            p.name
            for p in folder.iterdir()
            if p.name in ("case.toml", "cohort.toml")
            or (p.stem in TABLE_NAMES and p.suffix.casefold() in TABLE_SUFFIXES)
        ]
        + [f"{p.parent.name}/case.toml" for p in folder.glob("*/case.toml")]
    )
    if held and not force:
        raise InputError(
            f"{folder} already holds case or cohort data ({', '.join(held)}); "
            "import into a new folder, or replace them with --force"
        )
    kept = [name for name in held if name not in OWN_FILES]
    if kept:
        raise InputError(
            f"{folder} holds {', '.join(kept)}, which an import does not replace; "
            "move them away, or import into a new folder"
        )


def _csv(frame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _header(result: ImportResult, who: str) -> str:
    return (
        f"# Imported from {result.source} ({who}) by marker-trends import.\n"
        "# Check every row, the origin and the last follow-up before use.\n"
    )


def _files(result: ImportResult) -> str:
    # The results were checked with this mark; declared so they read the same.
    return f"[files]\ndecimal = {json.dumps(result.decimal)}\n"


def _case_toml(result: ImportResult) -> str:
    row = result.tables["patients"].iloc[0]
    quoted = json.dumps  # a JSON string is a valid TOML basic string
    parts = [
        _header(result, f"patient_id {quoted(row['patient_id'])}"),
        "[time]\n"
        f"origin = {quoted(row['origin'])}\n"
        f"last_follow_up = {quoted(row['last_follow_up'])}\n",
    ]
    if result.decimal:
        parts.append(_files(result))
    return "\n".join(parts)
