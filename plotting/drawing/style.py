"""House style: fonts, sizes and colorblind-safe colors, applied as a context."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
from matplotlib.path import Path

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import Any

# Okabe & Ito (2008) palette: distinguishable with every common color-vision deficiency.
OKABE_ITO = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "bluish green": "#009E73",
    "reddish purple": "#CC79A7",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

DEFAULT_MARKER_COLORS = {"AFP": OKABE_ITO["blue"], "PIVKA-II": OKABE_ITO["vermillion"]}
DEFAULT_MARKER_SYMBOLS = ("o", "s", "D", "P", "X", "h")
# Markers differ by line style and symbol too, so a grayscale print tells them apart.
# None is dotted: dots are the figure's mark for an interval without results.
DEFAULT_LINESTYLES = ("-", (0, (5, 2)), (0, (6, 2, 1.5, 2)), (0, (10, 2.5)))


def _half_disc(lift: float) -> Path:
    """Return the upper half of the unit disc, its base at ``lift``."""
    arc = Path.arc(0, 180)
    vertices = np.vstack([arc.vertices + np.array([0.0, lift]), [[0.0, 0.0]]])
    return Path(vertices, [*arc.codes, Path.CLOSEPOLY])


# A result reported as 0 has no place on a log axis: it is drawn as a half disc
# standing on the axis floor (its base on the axis line), unlike every result
# symbol (^ and v mean censored; + and x are not offered) and open for an
# approximate date like them. Legends show it centred on the text.
ZERO_SYMBOL = _half_disc(0.0)
ZERO_KEY_SYMBOL = _half_disc(-0.5)
# The half disc is half as tall as it is wide: drawn this much larger than a
# result's symbol, it stands as high as half of one and reads at print size.
ZERO_SYMBOL_SCALE = 1.5

DEFAULT_LANE_COLORS = {
    "Events": "#555555",
    "Surgery": "#222222",
    "TACE": OKABE_ITO["reddish purple"],
    "TARE": OKABE_ITO["reddish purple"],
    "HAIC": OKABE_ITO["reddish purple"],
    "Ablation": OKABE_ITO["bluish green"],
    "RT": OKABE_ITO["orange"],
    "Systemic": OKABE_ITO["sky blue"],
}
NEUTRAL_COLOR = "#777777"

# Sizes in points at print size: journals ask for 6-8 pt; nothing here is below 6.5.
ANNOTATION_SIZE = 6.5
MIN_FONT_SIZE = 6.5
HOUSE_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 7.0,
    "axes.labelsize": 7.5,
    "axes.titlesize": 8.0,
    "xtick.labelsize": 7.0,
    "ytick.labelsize": 7.0,
    "legend.fontsize": 7.0,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.minor.width": 0.4,
    "ytick.minor.width": 0.4,
    "xtick.major.size": 3.0,
    "ytick.major.size": 3.0,
    "ytick.minor.size": 1.8,
    "lines.linewidth": 1.2,
    "lines.markersize": 4.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO.values())),
    "legend.frameon": False,
    "figure.dpi": 100,
}

# Read by savefig, so they must be in force when a file is written: TrueType fonts
# embedded in PDF (no Type 3), SVG text kept as text, and fixed SVG ids.
SAVE_RC = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "svg.hashsalt": "marker-trends",
}


# rcParams that describe the session, not a figure's look; a style never sets them.
_SESSION_KEYS = {
    "backend",
    "backend_fallback",
    "interactive",
    "toolbar",
    "timezone",
    "figure.max_open_warning",
    "figure.raise_window",
    "savefig.directory",
    "tk.window_focus",
    "docstring.hardcopy",
    "date.epoch",
}


@contextlib.contextmanager
def house_style(rc: Mapping[str, Any] | None = None) -> Iterator[None]:
    """Apply the house style, starting from matplotlib's defaults, inside a block.

    Only the figure-look rcParams are set and afterwards restored, so a change the
    session makes meanwhile (Jupyter switching on interactive mode when the first
    figure resolves the backend) survives the block.

    Parameters
    ----------
    rc : dict, optional
        The rcParams that override the house style.

    Yields
    ------
    None
        The block runs in the house style.

    Examples
    --------
    >>> with house_style():
    ...     fig = plot_case(case)
    """
    look = {
        key: value
        for key, value in mpl.rcParamsDefault.items()
        if key not in _SESSION_KEYS and not key.startswith("webagg.")
    }
    look.update({**HOUSE_RC, **SAVE_RC, **(rc or {})})
    saved = {key: mpl.rcParams[key] for key in look}
    try:
        mpl.rcParams.update(look)
        yield
    finally:
        mpl.rcParams.update(saved)


# The dashes of each threshold style a case may name (core.thresholds).
THRESHOLD_DASHES = {
    "dashed": (0, (4, 2)),
    "dotted": (0, (1, 1.6)),
    "dashdot": (0, (4, 1.5, 1, 1.5)),
    "solid": "-",
}
