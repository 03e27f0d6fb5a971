"""Save figures atomically and reproducibly."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import matplotlib as mpl

from .style import SAVE_RC

DEFAULT_FORMATS = ("png", "pdf", "svg")
FORMATS = ("png", "pdf", "svg", "tiff")
DEFAULT_DPI = 300


def file_metadata(fmt: str) -> dict | None:
    """Return metadata with no tool versions and no time but ``SOURCE_DATE_EPOCH``.

    The same inputs then give byte-identical files; a build that sets
    ``SOURCE_DATE_EPOCH`` (reproducible-builds.org) gets that date in PDF and SVG.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        if epoch and epoch.strip().isdigit()
        else None
    )
    if fmt == "pdf":
        return {
            "CreationDate": when,
            "ModDate": when,
            "Producer": None,
            "Creator": None,
        }
    if fmt == "svg":
        return {
            "Date": when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else None,
            "Creator": None,
        }
    if fmt == "png":
        return {"Software": None}
    return None


def _save_options(fmt: str, png_compression: int | None) -> dict:
    if fmt in ("tiff", "tif"):
        # Journals ask for LZW-compressed TIFF; Pillow writes it when asked.
        return {"pil_kwargs": {"compression": "tiff_lzw"}}
    options = {"metadata": file_metadata(fmt)}
    if fmt == "png" and png_compression is not None:
        options["pil_kwargs"] = {"compress_level": png_compression}
    return options


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def save_figure(
    fig,
    stem,
    *,
    formats=DEFAULT_FORMATS,
    dpi: int = DEFAULT_DPI,
    png_compression: int | None = None,
):
    """Write a figure in each format next to ``stem``, replacing files atomically.

    Each file is rendered to a temporary file in the same folder and renamed over the
    old one, so an interrupted run leaves the previous figure intact.

    Parameters
    ----------
    fig : Figure
        The figure to save.
    stem : str or Path
        Output path without extension, e.g. ``figures/fig4``.
    formats : sequence of str
        File formats matplotlib can write.
    dpi : int
        Resolution of raster formats.
    png_compression : int, optional
        zlib level 0-9 for PNG (Pillow's default, 6, when None); lower is faster
        and gives larger files with the same pixels.

    Returns
    -------
    list of Path
        The files written.
    """
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        target = stem.with_name(f"{stem.name}.{fmt}")
        # A run killed mid-save leaves its temporary file behind; clear it.
        for stale in target.parent.glob(f".{target.name}.*.part"):
            stale.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        try:
            with os.fdopen(handle, "wb") as stream, mpl.rc_context(SAVE_RC):
                fig.savefig(
                    stream, format=fmt, dpi=dpi, **_save_options(fmt, png_compression)
                )
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(target)
    return written


def write_text(path, text: str) -> Path:
    """Write a text file atomically (temporary file, then rename)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
