"""Replace files so a reader never sees half of one, or half of a set.

Each file is written to a temporary file beside its target, named with the
writing process's id, and renamed over the target. A set of files (the formats of
one figure) is renamed together while the folder is locked, so two renders to one
target never mix their formats. Temporaries of processes that died are removed;
those of live processes are left alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.part$")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_stale(folder: Path, name: str) -> None:
    """Remove temporaries in ``folder`` left by processes that no longer run.

    Temporaries without a process id (written before ids were recorded) are
    removed for ``name`` only.
    """
    for path in folder.glob(".*.part"):
        match = _PART.match(path.name)
        if match is None:
            if path.name.startswith(f".{name}."):
                path.unlink(missing_ok=True)
        elif not _alive(int(match["pid"])):
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def folder_lock(folder: Path):
    """Hold an exclusive lock on a folder (where the platform has flock)."""
    try:
        import fcntl
    except ImportError:  # Windows: renames are still atomic one by one.
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _write_temporary(target: Path, write) -> Path:
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=".part", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def replace_together(writes) -> list[Path]:
    """Write each ``(target, write)`` to a temporary file, then rename them all.

    ``write(binary_stream)`` writes one file. Nothing is replaced unless every
    file was written; the renames happen under a lock on the folder.

    Returns
    -------
    list of Path
        The targets, in order.
    """
    writes = [(Path(target), write) for target, write in writes]
    written: list[tuple[Path, Path]] = []
    try:
        for target, write in writes:
            target.parent.mkdir(parents=True, exist_ok=True)
            clear_stale(target.parent, target.name)
            written.append((_write_temporary(target, write), target))
        for folder in dict.fromkeys(target.parent for _, target in written):
            with folder_lock(folder):
                for temporary, target in written:
                    if target.parent == folder:
                        os.replace(temporary, target)
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise
    return [target for target, _ in writes]


def replace_atomically(target, write) -> Path:
    """Write ``target`` through ``write(binary_stream)`` and rename it in place.

    An interrupted write leaves the previous file intact.
    """
    return replace_together([(target, write)])[0]
