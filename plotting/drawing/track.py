"""Axes-level drawing of treatments and events as lanes on a time axis."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from ..computing.sublanes import ARROW_SIZE_PT, MARK_SIZE_PT
from ..computing.track_layout import (
    BAR_HALF_HEIGHT_IN,
    EVENTS_LANE,
    label_doses,
    layout_track,
    segment_texts,
    track_items,
    track_lanes,
)
from .axes import current_axes, use_date_axis
from .measure import LABEL_STYLE, literal, measure_texts
from .style import DEFAULT_LANE_COLORS, NEUTRAL_COLOR

if TYPE_CHECKING:
    from typing import Any

    from matplotlib.axes import Axes

    from ..computing.track_layout import TrackLayout

DEFAULT_LANE_SYMBOLS = {EVENTS_LANE: "D", "Surgery": "^", "TACE": "v", "Ablation": "*"}


def plan_track(treatments, events, *, fig, xlim, width_in, label_kws=None):
    """Lay out a track for an Axes ``width_in`` inches wide spanning ``xlim``."""
    items = track_items(treatments, events)
    lanes = track_lanes(treatments, events)
    doses = segment_texts(items)
    dose_sizes = dict(zip(doses, measure_texts(doses, dpi=fig.dpi), strict=True))
    items = label_doses(
        items, xlim=xlim, width_in=width_in, segment_sizes_in=dose_sizes
    )
    sizes = measure_texts(items["label"], dpi=fig.dpi, **(label_kws or {}))
    return layout_track(
        items,
        lanes,
        xlim=xlim,
        width_in=width_in,
        sizes_in=sizes,
        segment_sizes_in=dose_sizes,
    )


def add_treatment_track(
    treatments: pd.DataFrame,
    *,
    events: pd.DataFrame | None = None,
    ax: Axes | None = None,
    colors: dict | None = None,
    course_kws: dict | None = None,
    label_kws: dict | None = None,
    layout: TrackLayout | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw treatments (and framing events) as labelled lanes on a time axis.

    Single-day procedures are symbols, courses are bars from start to end. Procedures
    and events with approximate dates get open symbols, approximate courses open bars.
    Labels sit above their marks and are moved apart, with a leader line, where they
    would overlap, over as many rows as needed (see
    :func:`plotting.layout_track`). Treatments of one lane
    that overlap in time are drawn in rows of their own within the lane (see
    ``plotting.computing.sublanes.sublanes``), joined by a bracket at the left,
    with the lane's title at their middle.
    The y axis is in inches of the layout: an Axes as tall as the layout's height
    shows it at its natural size. Set the x limits first; without them the track
    spans its own dates.

    Parameters
    ----------
    treatments : DataFrame
        As :func:`plotting.read_case` returns: ``lane``, ``start``, ``end``,
        ``label``, ``dose_gy``, ``fractions``, ``date_precision``.
    events : DataFrame, optional
        ``date``, ``label`` and ``date_precision`` of events drawn in a top lane.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    colors : dict, optional
        Lane name to color; unknown lanes are drawn in a neutral gray.
    course_kws : dict, optional
        Passed to ``Axes.barh`` for courses.
    label_kws : dict, optional
        Passed to ``Axes.text`` for labels.
    layout : TrackLayout, optional
        The layout ``plan_track`` made for these tables, this Axes' width and
        x limits; computed here when not given.
    **kwargs
        Passed to ``Axes.plot`` for procedure and event symbols.

    Returns
    -------
    Axes
        The Axes drawn on.
    """
    ax = current_axes() if ax is None else ax
    if not track_lanes(treatments, events):
        return ax
    colors = {**DEFAULT_LANE_COLORS, **(colors or {})}
    use_date_axis(ax)
    if ax.get_autoscalex_on():
        starts = pd.concat(
            [treatments["start"], treatments["end"].dropna()]
            + ([events["date"]] if events is not None else [])
        )
        ax.set_xlim(
            mdates.date2num(starts.min()) - 30, mdates.date2num(starts.max()) + 30
        )
    fig = ax.figure
    if layout is None:
        layout = plan_track(
            treatments,
            events,
            fig=fig,
            xlim=ax.get_xlim(),
            width_in=ax.bbox.width / fig.dpi,
            label_kws=label_kws,
        )
    for lane in layout.lanes:
        for y in layout.rows[lane]:
            ax.axhline(y, color=ROW_LINE_COLOR, linewidth=0.5, zorder=0)
        if len(layout.rows[lane]) > 1:
            _draw_bracket(ax, layout.rows[lane], lane)
    for item in layout.items.itertuples():
        color = colors.get(item.lane, NEUTRAL_COLOR)
        _draw_item(ax, item, color, course_kws, kwargs)
        _draw_segments(ax, item)
        _draw_label(ax, item, label_kws)
    ax.set_yticks(
        [layout.title_y(lane) for lane in layout.lanes],
        [literal(lane) for lane in layout.lanes],
    )
    ax.set_ylim(-layout.height, 0)
    ax.tick_params(axis="y", length=0)
    ax.spines[["left", "right", "top"]].set_visible(False)
    return ax


ROW_LINE_COLOR = "#d9d9d9"
# The rows of one lane are joined at their left ends by a bracket, just right of
# the lane's title, so they read as one lane.
BRACKET_LEFT_IN = 0.025
BRACKET_COLOR = "#b3b3b3"


def _draw_bracket(ax, rows, lane):
    left = -BRACKET_LEFT_IN / (ax.bbox.width / ax.figure.dpi)
    xs = [0.0, left, left, 0.0]
    ys = [rows[0], rows[0], rows[-1], rows[-1]]
    ax.plot(
        xs,
        ys,
        transform=ax.get_yaxis_transform(),
        color=BRACKET_COLOR,
        linewidth=0.6,
        solid_joinstyle="miter",
        clip_on=False,
        gid=f"sublane-bracket:{lane}",
        zorder=0,
    )


def _draw_item(ax, item, color, course_kws, symbol_kws):
    start = mdates.date2num(item.start)
    if pd.notna(item.end):
        style = {
            "height": 0.07,
            "linewidth": 0.8,
            "edgecolor": color,
            "color": "white" if item.approx else color,
            **(course_kws or {}),
        }
        ax.barh(
            item.mark_y,
            mdates.date2num(item.end) - start,
            left=start,
            gid=f"course:{item.lane}",
            **style,
        )
        if getattr(item, "start_unknown", False):
            # The source gives no start: the bar begins at the left edge in an
            # arrow pointing further back.
            _arrow(ax, start, item, "<", color, "start-unknown")
        if getattr(item, "ongoing", False):
            # Still given at the last follow-up: the bar ends in an arrow.
            _arrow(ax, mdates.date2num(item.end), item, ">", color, "ongoing")
        return
    style = {
        "marker": DEFAULT_LANE_SYMBOLS.get(item.lane, "o"),
        "markersize": MARK_SIZE_PT,
        "markeredgewidth": 1.0,
        "color": color,
        "linestyle": "none",
        "markerfacecolor": "white" if item.approx else color,
        **symbol_kws,
    }
    ax.plot([start], [item.mark_y], gid=f"mark:{item.lane}", **style)


def _arrow(ax, x, item, marker, color, gid):
    """Draw an arrow head at one end of a course's bar."""
    ax.plot(
        [x],
        [item.mark_y],
        marker=marker,
        markersize=ARROW_SIZE_PT,
        color=color,
        linestyle="none",
        gid=f"{gid}:{item.lane}",
    )


# A dose change is a dark tick across the bar, visible on filled and open bars.
DIVIDER_STYLE = {"color": "#333333", "linewidth": 0.9, "solid_capstyle": "butt"}
DIVIDER_OVERHANG_IN = 0.02


def _draw_segments(ax, item):
    reach = BAR_HALF_HEIGHT_IN + DIVIDER_OVERHANG_IN
    for x in getattr(item, "dividers", ()):
        ax.plot(
            [x, x],
            [item.mark_y - reach, item.mark_y + reach],
            gid="dose-divider",
            zorder=3,
            **DIVIDER_STYLE,
        )
    for x, text in getattr(item, "segment_labels", ()):
        ax.text(
            x,
            item.segment_label_y,
            literal(text),
            ha="center",
            va="top",
            fontsize=LABEL_STYLE["fontsize"],
            gid="dose-label",
        )


def _draw_label(ax, item, label_kws):
    ax.text(
        item.label_x,
        item.label_y,
        literal(item.label),
        gid="track-label",
        **{**LABEL_STYLE, **(label_kws or {})},
    )
    per_inch = np.diff(ax.get_xlim())[0] / (ax.bbox.width / ax.figure.dpi)
    if abs(item.label_x - item.center) > 0.04 * per_inch or item.tier > 0:
        ax.plot(
            [item.center, item.label_x],
            [item.mark_y + 0.045, item.label_y - 0.01],
            color="#999999",
            linewidth=0.5,
            gid="leader",
            zorder=1,
        )


def shade_courses(
    treatments: pd.DataFrame,
    *,
    ax: Axes | None = None,
    colors: dict | None = None,
    **kwargs: Any,
) -> Axes:
    """Shade each course's span faintly across an Axes (such as the trend panel).

    Parameters
    ----------
    treatments : DataFrame
        With ``lane``, ``start`` and ``end``; rows without an end are skipped.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    colors : dict, optional
        Lane name to color.
    **kwargs
        Passed to ``Axes.axvspan``.

    Returns
    -------
    Axes
        The Axes drawn on.
    """
    ax = current_axes() if ax is None else ax
    colors = {**DEFAULT_LANE_COLORS, **(colors or {})}
    style = {"alpha": 0.18, "linewidth": 0, "zorder": 0, **kwargs}
    courses = treatments["end"].notna().to_numpy()
    starts = mdates.date2num(treatments["start"].to_numpy()[courses])
    ends = mdates.date2num(treatments["end"].to_numpy()[courses])
    lanes = treatments["lane"].to_numpy()[courses]
    for start, end, lane in zip(starts, ends, lanes, strict=True):
        ax.axvspan(
            start,
            end,
            color=colors.get(lane, NEUTRAL_COLOR),
            gid="course-band",
            **style,
        )
    return ax
