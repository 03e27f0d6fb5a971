"""The legend of a case figure: its entries as values, and the columns that fit."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib as mpl
import pandas as pd

from ..computing.gaps import gap_links, reported_zeros
from ..computing.series import specimens_of
from .measure import literal, measure_legend, measure_texts, proxy_line
from .style import ZERO_KEY_SYMBOL, ZERO_SYMBOL_SCALE

LEGEND_STYLE = {
    "handlelength": 2.4,
    "columnspacing": 1.2,
    "borderpad": 0.2,
    "borderaxespad": 0.2,
    "handletextpad": 0.8,
}
CENSOR_ENTRIES = (
    ("<", "v", "Below detection limit (drawn at the limit)"),
    (">", "^", "Above quantification limit (drawn at the limit)"),
)
ZERO_ENTRY = "0 as reported (drawn at the axis floor)"
APPROXIMATE_ENTRY = "Open symbol: date approximate or month only"
GAP_LINK_ENTRY = "Dotted: over {days:g} days without a result"
ONGOING_ENTRY = "Arrow: treatment ongoing at last follow-up"
RANGE_ENTRY = "Capped bar: time known only as a range"
START_UNKNOWN_ENTRY = "Left arrow: start of treatment not given"
ORDER_LINK_ENTRY = "Dotted: order only (spacing is not time)"
KEY_COLOR = "#555555"


@dataclass(frozen=True)
class LegendEntry:
    """One legend entry: its text and the line style of its symbol."""

    label: str
    style: Mapping

    def handle(self):
        """Return a proxy artist drawn as this entry's symbol."""
        return proxy_line(label=literal(self.label), **self.style)


def data_key_entries(
    measurements,
    treatments=None,
    *,
    max_gap_days=None,
    link_style=None,
    order_only=False,
) -> list[LegendEntry]:
    """Return entries for censored results, results of 0, approximate dates,
    results timed as a range, dotted links across gaps (when ``max_gap_days`` is
    given; between positions when ``order_only``) and ongoing therapies, where
    drawn."""
    entries = [
        LegendEntry(text, {"linestyle": "none", "marker": shape, "color": KEY_COLOR})
        for sign, shape, text in CENSOR_ENTRIES
        if (measurements["censor"] == sign).any()
    ]
    if reported_zeros(measurements).any():
        size = mpl.rcParams["lines.markersize"] * ZERO_SYMBOL_SCALE
        style = {
            "linestyle": "none",
            "marker": ZERO_KEY_SYMBOL,
            "markersize": size,
            "color": KEY_COLOR,
        }
        entries.append(LegendEntry(ZERO_ENTRY, style))
    ranged = (
        measurements["latest"].notna()
        if "latest" in measurements
        else pd.Series(False, index=measurements.index)
    )
    if ((measurements["date_precision"] != "day") & ~ranged).any():
        style = {
            "linestyle": "none",
            "marker": "o",
            "color": KEY_COLOR,
            "markerfacecolor": "white",
        }
        entries.append(LegendEntry(APPROXIMATE_ENTRY, style))
    if ranged.any():
        style = {"color": KEY_COLOR, "marker": "|", "markersize": 7}
        entries.append(LegendEntry(RANGE_ENTRY, style))
    if max_gap_days is not None and _has_gap_link(measurements, max_gap_days):
        style = {"color": KEY_COLOR, **(link_style or {})}
        text = ORDER_LINK_ENTRY if order_only else GAP_LINK_ENTRY
        entries.append(LegendEntry(text.format(days=max_gap_days), style))
    if treatments is not None and treatments.get("ongoing", pd.Series()).any():
        style = {"linestyle": "none", "marker": ">", "color": KEY_COLOR}
        entries.append(LegendEntry(ONGOING_ENTRY, style))
    if treatments is not None and treatments.get("start_unknown", pd.Series()).any():
        style = {"linestyle": "none", "marker": "<", "color": KEY_COLOR}
        entries.append(LegendEntry(START_UNKNOWN_ENTRY, style))
    return entries


def _has_gap_link(measurements, max_gap_days) -> bool:
    # Per series (a serum and a urine result are never linked), as
    # plot_marker_trend links them: never to a censored result or a 0.
    ordered = measurements.sort_values("date")
    for _, rows in ordered.groupby(["marker", specimens_of(ordered)]):
        alone = (rows["censor"].fillna("").to_numpy() != "") | reported_zeros(rows)
        if "latest" in rows:
            alone |= rows["latest"].notna().to_numpy()
        if len(gap_links(rows["date"], max_gap_days, alone=alone)):
            return True
    return False


@dataclass(frozen=True)
class LegendFit:
    """The most columns in which a legend fits a width, and its size in inches.

    ``width`` may exceed the width asked for when even one column does not fit.
    """

    columns: int
    width: float
    height: float


def legend_columns(entries, *, width_in: float, dpi: float) -> LegendFit:
    """Return the most columns whose legend fits ``width_in``, with its size.

    The column count is first estimated from the entries' measured widths, then
    checked on a measured legend, so the legend drawn later needs no retries.
    Results are kept by entries, width, dpi and the settings a legend's size
    depends on: the patients of a cohort mostly share a legend.
    """
    key = (
        tuple((e.label, tuple(sorted(e.style.items()))) for e in entries),
        width_in,
        dpi,
        # Names first: reading every value would read "backend", which resolves
        # the backend through pyplot (importing it for nothing).
        tuple(
            (name, str(mpl.rcParams[name]))
            for name in mpl.rcParams
            if name.startswith(_SIZE_SETTINGS)
        ),
    )
    try:
        kept = _COLUMNS.get(key)
    except TypeError:  # a style given as a list, say: measured every time
        return _measure_columns(entries, width_in=width_in, dpi=dpi)
    if kept is None:
        if len(_COLUMNS) >= _KEPT_COLUMNS:
            _COLUMNS.clear()
        kept = _COLUMNS[key] = _measure_columns(entries, width_in=width_in, dpi=dpi)
    return kept


# The settings a measured legend's size depends on.
_SIZE_SETTINGS = ("font.", "legend.", "lines.", "text.", "patch.", "axes.unicode")
_COLUMNS: dict = {}
_KEPT_COLUMNS = 512


def _measure_columns(entries, *, width_in: float, dpi: float) -> LegendFit:
    handles = [entry.handle() for entry in entries]
    size = mpl.rcParams["legend.fontsize"]
    size = size if isinstance(size, int | float) else mpl.rcParams["font.size"]
    widths = [
        w * 72
        for w, _ in measure_texts(
            [e.label for e in entries], dpi=dpi, fontsize=size, ha="left"
        )
    ]
    entry = [
        (LEGEND_STYLE["handlelength"] + LEGEND_STYLE["handletextpad"]) * size + w
        for w in widths
    ]
    ncol = max(len(entries), 1)
    while ncol > 1 and _legend_width(entry, ncol, size) > width_in * 72:
        ncol -= 1
    while True:
        width, height = measure_legend(handles, dpi=dpi, ncol=ncol, **LEGEND_STYLE)
        if ncol == 1 or width <= width_in:
            return LegendFit(ncol, width, height)
        ncol -= 1


def _legend_width(entry, ncol, size):
    rows = math.ceil(len(entry) / ncol)
    columns = [max(entry[i : i + rows]) for i in range(0, len(entry), rows)]
    spacing = LEGEND_STYLE["columnspacing"] * size * (len(columns) - 1)
    return sum(columns) + spacing + 2 * LEGEND_STYLE["borderpad"] * size


def one_column_width(entries, *, dpi: float) -> float:
    """Return the width in inches of the entries' legend in one column."""
    handles = [entry.handle() for entry in entries]
    return measure_legend(handles, dpi=dpi, ncol=1, **LEGEND_STYLE)[0]


# Legends inside the trend panel sit on a nearly opaque white box, so the lines
# they cover do not run through their text.
INSIDE_STYLE = {"frameon": True, "framealpha": 0.9, "edgecolor": "none"}


def add_legend(
    entries,
    *,
    ax,
    ncol: int,
    raise_by: float = 0.0,
    position: str = "above",
    anchor: tuple[float, float] | None = None,
):
    """Draw the legend above an Axes (its lower left corner at the Axes' top
    left), inside one of its corners, or at ``anchor``.

    Parameters
    ----------
    position : str
        ``"above"``; ``"upper right"``, ``"upper left"``, ``"lower right"``,
        ``"lower left"`` (inside); ``"outside right"`` (upper left corner at
        ``anchor``, in Axes fractions); ``"below"`` (lower left corner at
        ``anchor``, in Axes fractions).

    Returns
    -------
    Legend
    """
    handles = [entry.handle() for entry in entries]
    if position == "above":
        place = {"loc": "lower left", "bbox_to_anchor": (0, 1 + raise_by)}
    elif position == "outside right":
        place = {"loc": "upper left", "bbox_to_anchor": anchor}
    elif position == "below":
        place = {"loc": "lower left", "bbox_to_anchor": anchor}
    else:
        place = {"loc": position, **INSIDE_STYLE}
    return ax.legend(handles=handles, ncol=ncol, **place, **LEGEND_STYLE)
