"""Axes-level drawing of one marker's results over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from ..computing.gaps import censor_signs, gap_links, gap_segments, reported_zeros
from ..computing.log_range import decade_range
from ..computing.series import series_id, series_rows, specimens_of
from .axes import current_axes, next_color, use_date_axis, use_log_axis
from .placement import place_gap_note
from .style import ANNOTATION_SIZE, ZERO_SYMBOL, ZERO_SYMBOL_SCALE

if TYPE_CHECKING:
    from typing import Any

    from matplotlib.axes import Axes
    from matplotlib.typing import ColorType

    from ..core.types import DateLike

EXACT_PRECISIONS = ("day",)
# Censored results point toward the side where the true value lies.
CENSOR_SYMBOLS = {"<": "v", ">": "^"}
# Results across a long gap: a thin dotted link, "not measured in between".
GAP_LINK_STYLE = {
    # Round dots well apart, unlike the fine dashes of limit lines.
    "linestyle": (0, (0.1, 5)),
    "linewidth": 1.1,
    "dash_capstyle": "round",
    "alpha": 0.8,
}
# A result known only to lie in a window: a bar across it, capped at both ends.
RANGE_STYLE = {"linewidth": 1.4, "marker": "|", "markersize": 7, "zorder": 3}


def plot_marker_trend(
    measurements: pd.DataFrame,
    *,
    marker: str,
    specimen: str | None = None,
    ax: Axes | None = None,
    color: ColorType | None = None,
    symbol: str = "o",
    label: str | None = None,
    max_gap_days: float = 365.0,
    log: bool = True,
    link_gaps: bool = True,
    point_kws: dict | None = None,
    gap_kws: dict | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw one marker's results as points joined only where measured closely.

    Results dated to the day are filled symbols; month, year or approximate dates are
    open symbols. A result known only to lie between ``date`` and ``latest`` is a
    bar across that window at its value, capped at both ends, never a point, and
    no line runs into or out of it. Censored results (``censor`` ``"<"`` or
    ``">"``) are triangles at the limit pointing toward the unknown value, never
    joined by the line.
    Consecutive results more than ``max_gap_days`` apart are not joined by the
    line, so it never suggests values in years without a measurement; a thin
    dotted link joins them instead, meaning "not measured in between". Two
    results on one day are both drawn, and the line runs through both.

    On a log axis a result reported as 0 (``PSA 0``) is a half disc standing on
    the axis floor, in the series color (open for an approximate date), drawn
    unclipped on the axis line wherever the y limits end up; the line breaks at
    it, as at a censored result, since a segment down to the floor would show a
    fall to a measured small value. The data limits reach half a decade below
    the lowest positive result (``plotting.computing.log_range.decade_range``),
    so the floor never sits on a measured value. On a linear axis a 0 is drawn and
    joined as any result.

    Parameters
    ----------
    measurements : DataFrame
        Tidy results with ``date``, ``marker``, ``value``, ``unit`` and
        ``date_precision`` columns (as :func:`plotting.read_case` returns).
    marker : str
        Canonical marker name to draw.
    specimen : str, optional
        The specimen of the series to draw (``""``: not stated): a marker's
        results in two specimens are two series, never joined. Needed when the
        marker's results are in several (else a
        ``plotting.computing.series.SeriesError``).
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    color : color, optional
        Line and symbol color; defaults to the next color of the property cycle.
    symbol : str
        Matplotlib marker symbol for the results.
    label : str, optional
        Legend label; defaults to ``"{marker} ({unit})"``, or ``"{marker},
        {specimen} ({unit})"`` for a stated specimen.
    max_gap_days : float
        Longest interval a line may span.
    log : bool
        Put the y axis on a log scale.
    link_gaps : bool
        Join results across a gap longer than ``max_gap_days`` with a dotted link
        (never a censored result).
    point_kws : dict, optional
        Passed to the ``Axes.plot`` call that draws the symbols.
    gap_kws : dict, optional
        Passed to the ``Axes.plot`` call that draws each dotted link.
    **kwargs
        Passed to the ``Axes.plot`` call that draws each line segment.

    Returns
    -------
    Axes
        The Axes drawn on.
    """
    ax = current_axes() if ax is None else ax
    rows = series_rows(measurements, marker=marker, specimen=specimen)
    rows = rows.sort_values("date")
    if rows.empty:
        return ax
    specimen = specimens_of(rows).iloc[0]
    series = series_id(marker, specimen)
    if color is None:
        color = next_color(ax)
    if label is None:
        stated = f", {specimen}" if specimen else ""
        label = f"{marker}{stated} ({rows['unit'].iloc[0]})"
    if log:
        use_log_axis(ax)
    use_date_axis(ax)
    x = mdates.date2num(rows["date"].to_numpy())
    y = rows["value"].to_numpy(dtype=float)
    censor = censor_signs(rows)
    latest = rows["latest"] if "latest" in rows else pd.Series(pd.NaT, index=rows.index)
    ranged = latest.notna().to_numpy()
    # Only a log axis has no place for 0; on a linear one it is a result as any.
    zeros = reported_zeros(rows) & (ax.get_yscale() == "log")
    alone = (censor != "") | zeros | ranged
    segments = gap_segments(rows["date"], max_gap_days, alone=alone)
    line_style = {"color": color, "solid_capstyle": "round", **kwargs}
    for number in np.unique(segments):
        keep = segments == number
        if keep.sum() > 1:
            ax.plot(x[keep], y[keep], gid=f"trend-line:{series}", **line_style)
    if link_gaps:
        link_style = {"color": color, **GAP_LINK_STYLE, **(gap_kws or {})}
        for i in gap_links(rows["date"], max_gap_days, alone=alone):
            ax.plot(x[i : i + 2], y[i : i + 2], gid=f"gap-link:{series}", **link_style)
    if ranged.any():
        ends = mdates.date2num(latest[ranged].to_numpy())
        for x0, x1, value in zip(x[ranged], ends, y[ranged], strict=True):
            ax.plot(
                [x0, x1],
                [value, value],
                color=color,
                gid=f"trend-range:{series}",
                **RANGE_STYLE,
            )
    exact = rows["date_precision"].isin(EXACT_PRECISIONS).to_numpy() & ~ranged
    points = {
        "linestyle": "none",
        "marker": symbol,
        "color": color,
        "zorder": 3,
        "markeredgewidth": 1.0,
    }
    points.update(point_kws or {})
    for sign, shape in (("", symbol), *CENSOR_SYMBOLS.items()):
        for chosen, face, gid in (
            (exact, color, "exact"),
            (~exact & ~ranged, "white", "approx"),
        ):
            chosen = chosen & (censor == sign) & ~zeros
            if chosen.any():
                name = f"trend-points:{series}:{gid}" + (f":{sign}" if sign else "")
                style = {**points, "marker": shape} if sign else points
                ax.plot(
                    x[chosen],
                    y[chosen],
                    markerfacecolor=face,
                    gid=name,
                    **style,
                )
    if zeros.any():
        _plot_zeros(ax, x, y, zeros, exact, points=points, marker=series)
    ax.plot(
        [],
        [],
        marker=symbol,
        markerfacecolor=color,
        label=label,
        **{k: v for k, v in line_style.items() if k != "solid_capstyle"},
    )
    return ax


def _plot_zeros(ax, x, y, zeros, exact, *, points, marker):
    """Draw results of 0 on the floor of a log axis, and keep the floor clear.

    The symbols are placed in axes coordinates (y 0 is the floor, wherever the
    limits end up) and unclipped, as they stand on the axis line.
    """
    size = points.get("markersize", points.get("ms", mpl.rcParams["lines.markersize"]))
    style = {
        **points,
        "marker": ZERO_SYMBOL,
        "markersize": size * ZERO_SYMBOL_SCALE,
        "clip_on": False,
        "transform": ax.get_xaxis_transform(),
    }
    style.pop("ms", None)
    for chosen, face, gid in (
        (exact, points["color"], "exact"),
        (~exact, "white", "approx"),
    ):
        chosen = chosen & zeros
        if chosen.any():
            ax.plot(
                x[chosen],
                np.zeros(chosen.sum()),
                markerfacecolor=face,
                gid=f"trend-zero:{marker}:{gid}",
                **style,
            )
    # Autoscaling (a figure of your own) reaches the floor the figure would
    # choose: a fraction of a decade under the lowest positive result.
    low, _ = decade_range(y)
    ax.update_datalim(np.column_stack([x[zeros], np.full(zeros.sum(), low)]))
    ax.autoscale_view(scalex=False)


def add_reference_limit(
    value: float,
    *,
    ax: Axes | None = None,
    color: ColorType | None = None,
    label: str | None = None,
    start: DateLike | float | None = None,
    end: DateLike | float | None = None,
    gid: str = "reference-limit",
    text_kws: dict | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw an upper reference limit (or a threshold) as a line labelled at its end.

    Parameters
    ----------
    value : float
        The limit, in the units of the y axis.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    color : color, optional
        Line and text color; defaults to the next color of the property cycle.
    label : str, optional
        Text written just above the line at its right end (see
        ``plotting.drawing.placement.place_limit_labels`` to move it clear of
        data and other labels).
    start, end : datetime-like, optional
        Where the line starts and ends (a threshold that applies after a
        treatment); by default it spans the Axes. The x limits must be final.
    gid : str
        Group id of the line; its label gets ``gid + "-label"``.
    text_kws : dict, optional
        Passed to ``Axes.annotate``.
    **kwargs
        Passed to ``Axes.axhline`` (or ``Axes.plot`` for a line with ``start`` or
        ``end``).

    Returns
    -------
    Axes
        The Axes drawn on.
    """
    ax = current_axes() if ax is None else ax
    if color is None:
        color = next_color(ax)
    style = {"linestyle": (0, (1, 1.6)), "linewidth": 0.9, "alpha": 0.9, **kwargs}
    right = 1
    if start is None and end is None:
        ax.axhline(value, color=color, gid=gid, **style)
    else:
        low, high = ax.get_xlim()
        x0 = low if start is None else max(low, mdates.date2num(pd.Timestamp(start)))
        x1 = high if end is None else min(high, mdates.date2num(pd.Timestamp(end)))
        ax.plot([x0, x1], [value, value], color=color, gid=gid, **style)
        right = ax.transAxes.inverted().transform(ax.transData.transform((x1, 1)))[0]
    if label:
        text = {
            "fontsize": ANNOTATION_SIZE,
            "ha": "right",
            "va": "bottom",
            **(text_kws or {}),
        }
        ax.annotate(
            label,
            (right, value),
            xycoords=("axes fraction", "data"),
            xytext=(-2, 1),
            textcoords="offset points",
            color=color,
            gid=f"{gid}-label",
            **text,
        )
    return ax


def add_gap_notes(
    spans: pd.DataFrame,
    *,
    ax: Axes | None = None,
    text: str = "no results reported",
    **kwargs: Any,
) -> Axes:
    """Write a note in each interval without results, where it fits clear.

    One rule for every interval (between results, before the first and after the
    last): the note is written on one line, else on two, at the first height
    (middle, then further up and down) where it fits inside the interval and
    clear of the data, lines and texts already drawn; where it cannot, it is left
    out (the dotted link between the results still marks the gap).

    Parameters
    ----------
    spans : DataFrame
        ``start`` and ``end`` of each interval (see
        :func:`plotting.unmeasured_spans`).
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes. Its x and y limits must
        be final.
    text : str
        The note; written on two lines at its middle space when one is too wide.
    **kwargs
        Passed to ``Axes.text``.

    Returns
    -------
    Axes
        The Axes drawn on.
    """
    ax = current_axes() if ax is None else ax
    style = {
        "ha": "center",
        "va": "center",
        "fontsize": ANNOTATION_SIZE,
        "color": "#6f6f6f",
        "fontstyle": "italic",
        **kwargs,
    }
    for row in spans.itertuples():
        start, end = mdates.date2num(row.start), mdates.date2num(row.end)
        note = ax.text(
            (start + end) / 2,
            0.5,
            text,
            gid="gap-note",
            transform=ax.get_xaxis_transform(),
            **style,
        )
        place_gap_note(note, (start, end), ax=ax)
    return ax
