"""Copy a published case out of the package, to a folder the user can edit."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InputError
from ..reading.examples import example_folder
from ..reading.settings.case_toml import TABLE_NAMES
from .atomic import replace_together

if TYPE_CHECKING:
    from ..core.types import PathLike


def _is_case_data(path: Path) -> bool:
    return path.name in ("case.toml", "cohort.toml") or (
        path.stem in TABLE_NAMES and path.suffix.casefold() in (".csv", ".xlsx")
    )


def write_example(name: str, folder: PathLike, *, force: bool = False) -> Path:
    """Write the published case ``name`` (its ``case.toml``, tables and notes) to
    ``folder`` and return the folder.

    A new folder appears whole or not at all: the files are written into a
    temporary folder beside it, which is then renamed. Into an existing folder the
    files are renamed together, so it never holds half of the case.

    Parameters
    ----------
    name : str
        A published case, as listed by :func:`plotting.example_names`.
    folder : str or Path
        Where to write the case; made if missing.
    force : bool
        Replace files of the same names that ``folder`` already holds.

    Raises
    ------
    InputError
        If ``name`` is not a published case; if ``folder`` is a file; if it holds
        files of the same names (unless ``force``) or case data the published case
        does not have, which would make another case of the two.
    """
    source = example_folder(name)
    files = sorted(p for p in source.iterdir() if p.is_file() and p.name[0] != ".")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file; give a folder (it is made if missing)")
    if folder.is_dir():
        ours = {p.name for p in files}
        present = sorted(p for p in folder.iterdir() if p.is_file())
        foreign = [p.name for p in present if _is_case_data(p) and p.name not in ours]
        if foreign:
            raise InputError(
                f"{folder} holds case data that {name} does not have "
                f"({', '.join(foreign)}); the two would read as another case: "
                "write the example into a new folder"
            )
        clashing = [p.name for p in present if p.name in ours]
        if clashing and not force:
            raise InputError(
                f"{folder} already holds {', '.join(clashing)}; write the example "
                "into a new folder, or replace them with --force"
            )
        replace_together((folder / p.name, _copier(p)) for p in files)
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    # Not named *.part: those are files that atomic.clear_stale removes.
    staging = Path(
        tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".new", dir=folder.parent)
    )
    try:
        replace_together((staging / p.name, _copier(p)) for p in files)
        os.chmod(staging, 0o777 & ~_umask())
        # rename, not replace: a folder made meanwhile by someone else is theirs.
        if folder.exists():
            raise InputError(f"{folder} appeared while the example was written")
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _copier(source: Path):
    def write(stream):
        stream.write(source.read_bytes())

    return write


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
