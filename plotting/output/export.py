"""Save figures atomically and reproducibly."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import warnings
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl

from ..core.errors import InputError
from ..drawing.style import SAVE_RC
from .atomic import replace_atomically, replace_together
from .mpl_accel import ticks_computed_once

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.figure import Figure

    from ..core.case import Case
    from ..core.types import PathLike

DEFAULT_FORMATS = ("png", "pdf", "svg")
# "html": one self-contained page of the SVG that says where each value comes from.
FORMATS = ("png", "pdf", "svg", "tiff", "html")
# Formats that need the case drawn, not only the figure.
CASE_FORMATS = ("html",)
DEFAULT_DPI = 300
RASTER_FORMATS = ("png", "tiff", "tif")


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


def save_figure(
    fig: Figure,
    stem: PathLike,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    dpi: int = DEFAULT_DPI,
    png_compression: int | None = None,
    rgb: bool = False,
    case: Case | None = None,
) -> list[Path]:
    """Write a figure in each format next to ``stem``, replacing files atomically.

    Each file is rendered to a temporary file in the same folder; only when all
    are written are they renamed over the old ones, together, so an interrupted
    run leaves the previous set intact and two runs never mix their formats.

    Parameters
    ----------
    fig : Figure
        The figure to save.
    stem : str or Path
        Output path without extension, e.g. ``figures/fig4``.
    formats : sequence of str
        File formats matplotlib can write, and ``"html"``: one self-contained
        page (no network) of the SVG in which each result, treatment and event
        says, on hover, tap or keyboard focus, its value as written, its date as
        known and its source, with the case's tables as CSV downloads. It
        needs ``case``.
    dpi : int
        Resolution of raster formats.
    png_compression : int, optional
        The zlib level 0-9 for PNG (Pillow's default, 6, when None); lower is faster
        and gives larger files with the same pixels.
    rgb : bool
        Write PNG and TIFF as RGB without an alpha channel (some journals refuse
        RGBA): the pixels are the RGBA rendering composited on white.
    case : Case, optional
        The case ``fig`` was drawn from (``plot_case(case)``). With it the SVG's
        results, treatments and events carry ``<title>`` tooltips saying where
        each comes from; ``"html"`` requires it.

    Returns
    -------
    list of Path
        The files written.
    """
    stem = Path(stem)
    formats = tuple(formats)
    needs_case = [fmt for fmt in formats if fmt in CASE_FORMATS]
    if needs_case and case is None:
        raise ValueError(
            f"format {needs_case[0]!r} shows where each value comes from and needs "
            "the case drawn: save_figure(fig, stem, formats=..., case=case)"
        )
    annotated: dict = {}

    def writer(fmt):
        if rgb and fmt in RASTER_FORMATS:
            return lambda stream: _write_rgb(fig, stream, fmt, dpi, png_compression)
        if fmt == "html" or (fmt == "svg" and case is not None):
            return lambda stream: stream.write(
                _annotated(fig, case, fmt, dpi, annotated).encode("utf-8")
            )

        def write(stream):
            with (
                mpl.rc_context(SAVE_RC),
                _unique_ids(fig, fmt == "svg"),
                ticks_computed_once(fig),
            ):
                fig.savefig(
                    stream, format=fmt, dpi=dpi, **_save_options(fmt, png_compression)
                )

        return write

    return replace_together(
        (stem.with_name(f"{stem.name}.{fmt}"), writer(fmt)) for fmt in formats
    )


def _annotated(fig, case, fmt: str, dpi: int, cache: dict) -> str:
    """Return the SVG with tooltips (``"svg"``) or the page (``"html"``).

    The SVG is written once for both; its marks are read off the artists while
    their ids are the SVG's.
    """
    from .html import figure_page
    from .svg_marks import annotate_svg, figure_marks

    if "svg" not in cache:
        stream = io.BytesIO()
        with mpl.rc_context(SAVE_RC), _unique_ids(fig, True) as originals:
            fig.savefig(stream, format="svg", dpi=dpi, **_save_options("svg", None))
            cache["marks"] = figure_marks(case, fig, originals)
        cache["svg"] = stream.getvalue().decode("utf-8")
        found = cache["marks"][0]
        unmatched = found.unmatched
        if unmatched and not found.marks:
            # Not one mark has its row: the figure is of another case.
            raise InputError(
                f"none of the figure's {len(unmatched)} drawn marks is a row of the "
                "case given; pass save_figure the case the figure was drawn from "
                "(case=...)"
            )
        if unmatched:
            warnings.warn(
                f"{len(unmatched)} drawn marks match no row of the case and show no "
                f"details: {', '.join(unmatched[:5])}"
                f"{' ...' if len(unmatched) > 5 else ''}. This is a bug of "
                "marker-trends; please report it with the case",
                UserWarning,
                stacklevel=2,
            )
    marks, places = cache["marks"]
    if fmt == "svg":
        return annotate_svg(cache["svg"], marks.marks, places)
    page_svg = annotate_svg(cache["svg"], marks.marks, places, focusable=True)
    return figure_page(page_svg, marks)


@contextlib.contextmanager
def _unique_ids(fig, active: bool):
    """Number repeated artist ids (``track-label``) while an SVG is written.

    SVG ids must be unique in a document; the artists keep their shared ids, by
    which code and tests find them, outside the save. Yields each renamed
    artist's own id.
    """
    if not active:
        yield {}
        return
    artists = [a for a in fig.findobj() if a.get_gid()]
    counts = Counter(a.get_gid() for a in artists)
    seen: Counter = Counter()
    renamed = []
    for artist in artists:
        gid = artist.get_gid()
        if counts[gid] > 1:
            seen[gid] += 1
            renamed.append((artist, gid))
            artist.set_gid(f"{gid}-{seen[gid]}")
    try:
        yield dict(renamed)
    finally:
        for artist, gid in renamed:
            artist.set_gid(gid)


def render_rgba(fig, dpi: int):
    """Draw a figure at ``dpi`` and return a copy of its RGBA pixels, as savefig
    would rasterize them for PNG."""
    import numpy as np

    original = fig.dpi
    try:
        fig.set_dpi(dpi)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()
    finally:
        fig.set_dpi(original)


def composite_on_white(rgba):
    """Return RGB pixels: RGBA pixels laid over a white page."""
    import numpy as np

    alpha = rgba[..., 3:4].astype(np.float64) / 255.0
    rgb = rgba[..., :3].astype(np.float64) * alpha + 255.0 * (1.0 - alpha)
    return np.rint(rgb).astype(np.uint8)


def _write_rgb(fig, stream, fmt, dpi, png_compression) -> None:
    """Write ``fig`` as an RGB PNG or TIFF, with the resolution tag savefig writes."""
    from PIL import Image

    with mpl.rc_context(SAVE_RC):
        image = Image.fromarray(composite_on_white(render_rgba(fig, dpi)), "RGB")
    if fmt == "png":
        options = {"compress_level": png_compression} if png_compression else {}
        image.save(stream, format="png", dpi=(dpi, dpi), **options)
    else:
        image.save(stream, format="tiff", dpi=(dpi, dpi), compression="tiff_lzw")


def write_text(path, text: str) -> Path:
    """Write a text file atomically (temporary file, then rename)."""
    return replace_atomically(path, lambda stream: stream.write(text.encode("utf-8")))
