"""What kind of path a table or settings file is, before it is opened."""

from __future__ import annotations

import stat
from pathlib import Path


def special_file(path: Path) -> str | None:
    """Return a problem's message when ``path`` is a pipe, socket or device.

    Opening a named pipe blocks until something writes to it, so the reader
    would hang instead of saying what is wrong; a device is no table either.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # Missing or unreadable: the reader says so itself.
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "a named pipe" if stat.S_ISFIFO(mode) else "a device or socket"
    return f"is {kind}, not a file; save the table (or settings) as a file"
