"""Figure-level composition: marker trends above a treatment track."""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from .layout import unmeasured_spans
from .style import (
    ANNOTATION_SIZE,
    DEFAULT_MARKER_COLORS,
    DEFAULT_MARKER_SYMBOLS,
    OKABE_ITO,
    house_style,
)
from .track import add_treatment_track, shade_courses, track_lanes
from .trend import add_gap_notes, add_reference_limit, plot_marker_trend

MM_PER_INCH = 25.4
DEFAULT_WIDTH_MM = 174.0
DEFAULT_TREND_HEIGHT_IN = 2.5
LANE_HEIGHT_IN = 0.42
# Fixed margins (inches) keep the axes where the label layout measured them.
MARGINS_IN = {"left": 0.78, "right": 0.12, "top": 0.08, "bottom": 0.3, "gap": 0.06}
RIGHT_AXIS_MARGIN_IN = 0.72
NOTE_LINE_IN = 0.13


def plot_case(
    case,
    *,
    markers=None,
    width_mm: float = DEFAULT_WIDTH_MM,
    trend_height_in: float = DEFAULT_TREND_HEIGHT_IN,
    show_events: bool = True,
    rc: dict | None = None,
):
    """Draw a case's marker trends above its treatment track.

    Parameters
    ----------
    case : Case
        As :func:`plotting.read_case` returns.
    markers : list of str, optional
        Markers to draw, in order; defaults to the case's markers.
    width_mm : float
        Figure width; 174 mm is a journal's double column.
    trend_height_in : float
        Height of the trend panel in inches.
    show_events : bool
        Draw the case's events (diagnosis, recurrences, follow-up) as a lane.
    rc : dict, optional
        rcParams overriding the house style.

    Returns
    -------
    Figure
        With ``fig.axes[0]`` the trend panel (left axis), the track panel next, and a
        right-axis panel last when a marker is drawn on the right.
    """
    markers = list(case.markers) if markers is None else list(markers)
    unknown = [m for m in markers if m not in case.markers]
    if unknown:
        raise ValueError(
            f"markers {unknown} are not in this case; choose from {list(case.markers)}"
        )
    events = case.events if show_events else None
    lanes = track_lanes(case.treatments, events)
    notes = [n for n in case.notes if n.split(":")[0] in markers]
    with house_style(rc):
        right_axis = any(case.axes.get(m) == "right" for m in markers)
        fig = _make_figure(
            width_mm, trend_height_in, len(lanes), right_axis, len(notes)
        )
        for number, note in enumerate(notes):
            fig.text(
                0.01,
                0.01 + number * NOTE_LINE_IN / fig.get_figheight(),
                f"Note: {note}.",
                fontsize=ANNOTATION_SIZE,
                color="#444444",
                gid="figure-note",
            )
        trend, track = fig.axes
        _draw_trends(case, markers, trend)
        shade_courses(case.treatments, ax=trend)
        drawn = case.measurements[case.measurements["marker"].isin(markers)]
        spans = unmeasured_spans(
            drawn["date"], until=case.last_follow_up, min_days=case.max_gap_days
        )
        add_gap_notes(spans, ax=trend)
        track.set_xlim(_time_limits(case))
        _time_ticks(track)
        add_treatment_track(case.treatments, events=events, ax=track)
    return fig


def _make_figure(width_mm, trend_height_in, lane_count, right_axis, note_count=0):
    m = dict(MARGINS_IN)
    m["bottom"] += note_count * NOTE_LINE_IN
    if right_axis:
        m["right"] = RIGHT_AXIS_MARGIN_IN
    track_h = max(lane_count, 1) * LANE_HEIGHT_IN
    width = width_mm / MM_PER_INCH
    height = m["top"] + trend_height_in + m["gap"] + track_h + m["bottom"]
    fig = plt.figure(figsize=(width, height))
    axes_w = (width - m["left"] - m["right"]) / width
    left = m["left"] / width
    track = fig.add_axes((left, m["bottom"] / height, axes_w, track_h / height))
    trend_bottom = (m["bottom"] + track_h + m["gap"]) / height
    trend = fig.add_axes(
        (left, trend_bottom, axes_w, trend_height_in / height), sharex=track
    )
    fig.delaxes(track)
    fig.add_axes(track)
    trend.tick_params(axis="x", labelbottom=False)
    return fig


def _time_ticks(ax):
    """Label whole years on long follow-ups, months and years on short ones."""
    left, right = ax.get_xlim()
    years = (right - left) / 365.25
    if years >= 4:
        locator = mdates.YearLocator(base=max(1, int(years // 15) + 1))
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _time_limits(case):
    """Span the follow-up, and any result or treatment marked as prior history."""
    dated = [case.measurements["date"], case.treatments["start"], case.events["date"]]
    earliest = min([case.origin, *(d.min() for d in dated if len(d))])
    pad = max(pd.Timedelta(days=15), (case.last_follow_up - earliest) * 0.02)
    return (
        mdates.date2num(earliest - pad),
        mdates.date2num(case.last_follow_up + pad),
    )


def _draw_trends(case, markers, trend):
    right = None
    handles = []
    for number, name in enumerate(markers):
        marker = case.markers[name]
        ax = trend
        if case.axes.get(name) == "right":
            right = right or trend.twinx()
            ax = right
        color = DEFAULT_MARKER_COLORS.get(name, list(OKABE_ITO.values())[number % 8])
        symbol = DEFAULT_MARKER_SYMBOLS[number % len(DEFAULT_MARKER_SYMBOLS)]
        plot_marker_trend(
            case.measurements,
            marker=name,
            ax=ax,
            color=color,
            symbol=symbol,
            max_gap_days=case.max_gap_days,
        )
        if marker.uln is not None:
            add_reference_limit(
                marker.uln,
                ax=ax,
                color=color,
                label=f"{name} ULN {marker.uln:g} {marker.unit}",
            )
        handles += [
            h
            for h in ax.get_lines()
            if h.get_label() and not h.get_label().startswith("_") and h not in handles
        ]
    drawn = case.measurements[case.measurements["marker"].isin(markers)]
    for sign, shape, text in (
        ("<", "v", "Below detection limit (drawn at the limit)"),
        (">", "^", "Above quantification limit (drawn at the limit)"),
    ):
        if (drawn["censor"] == sign).any():
            handles.append(
                Line2D(
                    [], [], linestyle="none", marker=shape, color="#555555", label=text
                )
            )
    approx = drawn["date_precision"] != "day"
    if approx.any():
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                color="#555555",
                markerfacecolor="white",
                label="Open symbol: date approximate or month only",
            )
        )
    for ax, side in ((trend, "left"), (right, "right")):
        if ax is not None:
            _decade_axis(ax, case, [m for m in markers if case.axes[m] == side])
    if right is None:
        trend.set_ylabel("Serum level (log scale)")
    else:
        for ax, side in ((trend, "left"), (right, "right")):
            names = [m for m in markers if case.axes[m] == side]
            ax.set_ylabel(", ".join(f"{n} ({case.markers[n].unit})" for n in names))
        right.spines["right"].set_visible(True)
    trend.legend(handles=handles, loc="upper right", handlelength=2.2)
    trend.set_xlim(_time_limits(case))


def _decade_axis(ax, case, markers):
    """Set log limits on whole decades that hold the results and reference limits."""
    rows = case.measurements[case.measurements["marker"].isin(markers)]
    limits = [case.markers[m].uln for m in markers if case.markers[m].uln]
    values = [*rows["value"], *limits]
    if not values:
        return
    low = 10.0 ** math.floor(math.log10(min(values)))
    high = 10.0 ** math.ceil(math.log10(max(values)))
    ax.set_ylim(low, high)
