"""Measure text before drawing, the same way on every backend.

Layouts are computed before anything is drawn, so text is measured on a scratch
Figure with an Agg canvas (a public API on every matplotlib backend), at the dpi of
the figure it is measured for. Sizes are cached by text, style, fonts and dpi: a
cohort repeats the same labels ("#1", "RT") for every patient.
"""

from __future__ import annotations

import functools

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..core.errors import InputError
from .style import ANNOTATION_SIZE

# Every setting a text's size may depend on: fonts and their lists, hinting,
# kerning, mathtext (colors among them cost only a cache miss).
_FONT_KEYS = tuple(
    key for key in mpl.rcParams if key.startswith(("font.", "text.", "mathtext."))
)
_SIZE_CACHE: dict = {}
_SIZE_CACHE_LIMIT = 4096
_SCRATCH: dict = {}
_SCRATCH_LIMIT = 16
LABEL_STYLE = {
    "ha": "center",
    "va": "bottom",
    "fontsize": ANNOTATION_SIZE,
    "linespacing": 1.0,
}


def _text_settings() -> tuple[str, ...]:
    return tuple(str(mpl.rcParams[k]) for k in _FONT_KEYS)


def _scratch(dpi: float, fonts: tuple[str, ...]):
    """Return a scratch Figure, its Axes and an Agg renderer for ``dpi``.

    One per dpi and text settings: matplotlib caches a text's size per renderer,
    not per setting, so a renderer kept across a change of style (hinting off)
    gave the old sizes, and a later figure of the session was laid out 3 px
    shorter than the command line draws it.
    """
    key = (dpi, fonts)
    if key not in _SCRATCH:
        if len(_SCRATCH) >= _SCRATCH_LIMIT:
            _SCRATCH.clear()
        fig = Figure(dpi=dpi)
        canvas = FigureCanvasAgg(fig)
        _SCRATCH[key] = (fig, fig.add_axes((0, 0, 1, 1)), canvas.get_renderer())
    return _SCRATCH[key]


def measure_texts(labels, *, dpi: float, **text_kws) -> list[tuple[float, float]]:
    """Return the width and height in inches of each label as a figure draws it.

    Parameters
    ----------
    labels : sequence of str
    dpi : float
        Resolution of the figure the labels are for.
    **text_kws
        Text properties, over the track label style (6.5 pt, centred, line
        spacing 1).

    Returns
    -------
    list of (float, float)
    """
    style = {**LABEL_STYLE, **text_kws}
    fonts = _text_settings()
    key = (tuple(sorted((k, str(v)) for k, v in style.items())), fonts, dpi)
    sizes = []
    for label in labels:
        cached = _SIZE_CACHE.get((label, key))
        if cached is None:
            fig, _, renderer = _scratch(dpi, fonts)
            text = fig.text(0, 0, literal(label), **style)
            box = text.get_window_extent(renderer)
            text.remove()
            cached = (box.width / dpi, box.height / dpi)
            if len(_SIZE_CACHE) >= _SIZE_CACHE_LIMIT:
                _SIZE_CACHE.clear()
            _SIZE_CACHE[(label, key)] = cached
        sizes.append(cached)
    return sizes


def widest(labels, *, dpi: float, size: float, height: bool = False) -> float:
    """Return the largest width (or height) in inches of left-aligned labels."""
    sizes = measure_texts([t for t in labels if t], dpi=dpi, fontsize=size, ha="left")
    return max((s[1 if height else 0] for s in sizes), default=0.0)


def measure_legend(handles, *, dpi: float, **legend_kws) -> tuple[float, float]:
    """Return the width and height in inches of a legend of ``handles``."""
    _, ax, renderer = _scratch(dpi, _text_settings())
    legend = ax.legend(handles=handles, **legend_kws)
    try:
        box = legend.get_window_extent(renderer)
    finally:
        legend.remove()
    return box.width / dpi, box.height / dpi


def proxy_line(**style) -> Line2D:
    """Return a line artist that stands for an entry in a legend."""
    return Line2D([], [], **style)


def literal(text) -> str:
    """Return ``text`` as matplotlib must get it to draw it as written.

    Case labels are plain text: ``$1200 + $300`` keeps its dollar signs and
    ``$\\dose$`` is not parsed as mathematics.
    """
    return str(text).replace("$", r"\$")


class TextError(InputError):
    """Raised for a label the figure cannot draw as written."""


_GLYPHS: dict = {}


def check_glyphs(texts, *, what: str = "label") -> None:
    """Refuse texts with characters that none of the configured fonts can draw.

    matplotlib would draw them as empty boxes, with one warning per glyph.

    Raises
    ------
    TextError
        Naming the text, the characters and the fonts tried.
    """
    fonts = _configured_fonts()
    for text in texts:
        missing = sorted(
            {c for c in str(text) if not c.isspace() and not _drawable(c, fonts)}
        )
        if missing:
            names = ", ".join(name for name, _ in fonts) or "no font"
            raise TextError(
                f"the {what} {str(text)!r} has characters the fonts ({names}) cannot "
                f"draw: {' '.join(missing)}; install a font that has them and put it "
                'first in rc "font.sans-serif", or write the text without them'
            )


def _configured_fonts():
    from matplotlib import font_manager

    families = mpl.rcParams["font.family"]
    names = []
    for family in [families] if isinstance(families, str) else families:
        generic = f"font.{family}"
        names += list(mpl.rcParams[generic]) if generic in mpl.rcParams else [family]
    by_name = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    return [(name, by_name[name]) for name in names if name in by_name]


def _drawable(character: str, fonts) -> bool:
    for _, path in fonts:
        key = (path, character)
        if key not in _GLYPHS:
            _GLYPHS[key] = _font(path).get_char_index(ord(character)) != 0
        if _GLYPHS[key]:
            return True
    return False


@functools.lru_cache(maxsize=16)
def _font(path: str):
    from matplotlib.ft2font import FT2Font

    return FT2Font(path)
