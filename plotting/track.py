"""Axes-level drawing of treatments and events as lanes on a time axis."""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from .layout import spread_labels
from .style import ANNOTATION_SIZE, DEFAULT_LANE_COLORS, NEUTRAL_COLOR
from .treatment_kinds import LANE_ORDER
from .trend import use_date_axis

EVENTS_LANE = "Events"
DEFAULT_LANE_SYMBOLS = {EVENTS_LANE: "D", "Surgery": "^", "TACE": "v", "Ablation": "*"}
LABEL_WRAP_CHARS = 16
# Within a lane one unit tall: labels in the upper part, marks near the bottom.
_MARK_Y = -0.82
_LABEL_Y = -0.5


def track_lanes(treatments, events=None) -> list[str]:
    """Return the lanes a track needs, top to bottom: events, then known kinds."""
    present = list(dict.fromkeys(treatments["lane"])) if len(treatments) else []
    known = [lane for lane in LANE_ORDER if lane in present]
    lanes = [EVENTS_LANE] if events is not None and len(events) else []
    return lanes + known + [lane for lane in present if lane not in known]


def course_label(row) -> str:
    """Return a treatment's track label, with dose and fractions when given."""
    label = row.get("label") or str(row["kind"]).capitalize()
    if pd.notna(row.get("dose_gy")) and pd.notna(row.get("fractions")):
        label += f"\n{row['dose_gy']:g} Gy/{row['fractions']} fx"
    return label


def _wrap(text: str) -> str:
    if "\n" in text:
        return text
    return "\n".join(textwrap.wrap(text, LABEL_WRAP_CHARS)) or text


def add_treatment_track(
    treatments,
    *,
    events=None,
    ax=None,
    colors: dict | None = None,
    course_kws: dict | None = None,
    label_kws: dict | None = None,
    **kwargs,
):
    """Draw treatments (and framing events) as labelled lanes on a time axis.

    Single-day procedures are symbols, courses are bars from start to end. Procedures
    and events with approximate dates get open symbols, approximate courses open bars.
    Labels sit above their marks and are moved apart, with a leader line, where they
    would overlap; place them after the x limits are final.

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
    **kwargs
        Passed to ``Axes.plot`` for procedure and event symbols.

    Returns
    -------
    Axes
    """
    ax = plt.gca() if ax is None else ax
    lanes = track_lanes(treatments, events)
    if not lanes:
        return ax
    colors = {**DEFAULT_LANE_COLORS, **(colors or {})}
    items = _track_items(treatments, events)
    for number, lane in enumerate(lanes):
        y = -number + _MARK_Y
        ax.axhline(y, color="#d9d9d9", linewidth=0.5, zorder=0)
        color = colors.get(lane, NEUTRAL_COLOR)
        for item in items[items["lane"] == lane].itertuples():
            _draw_item(ax, item, y, color, course_kws, kwargs)
    ax.set_yticks([-n + _MARK_Y for n in range(len(lanes))], lanes)
    ax.set_ylim(-len(lanes), 0)
    ax.tick_params(axis="y", length=0)
    ax.spines[["left", "right", "top"]].set_visible(False)
    use_date_axis(ax)
    ax.autoscale_view(scaley=False)
    for number, lane in enumerate(lanes):
        _place_labels(ax, items[items["lane"] == lane], -number, label_kws)
    return ax


def _track_items(treatments, events) -> pd.DataFrame:
    rows = []
    for row in treatments.to_dict("records"):
        rows.append(
            {
                "lane": row["lane"],
                "start": row["start"],
                "end": row["end"],
                "label": course_label(row),
                "kind": row["kind"],
                "approx": row["date_precision"] != "day",
            }
        )
    for row in [] if events is None else events.to_dict("records"):
        rows.append(
            {
                "lane": EVENTS_LANE,
                "start": row["date"],
                "end": pd.NaT,
                "label": _wrap(row["label"]),
                "kind": "event",
                "approx": row["date_precision"] != "day",
            }
        )
    return pd.DataFrame(
        rows, columns=["lane", "start", "end", "label", "kind", "approx"]
    )


def _draw_item(ax, item, y, color, course_kws, symbol_kws):
    start = mdates.date2num(item.start)
    if pd.notna(item.end):
        style = {
            "height": 0.22,
            "linewidth": 0.8,
            "edgecolor": color,
            "color": "white" if item.approx else color,
            **(course_kws or {}),
        }
        ax.barh(
            y,
            mdates.date2num(item.end) - start,
            left=start,
            gid=f"course:{item.lane}",
            **style,
        )
        return
    style = {
        "marker": DEFAULT_LANE_SYMBOLS.get(item.lane, "o"),
        "markersize": 4.5,
        "markeredgewidth": 1.0,
        "color": color,
        "linestyle": "none",
        "markerfacecolor": "white" if item.approx else color,
        **symbol_kws,
    }
    ax.plot([start], [y], gid=f"mark:{item.lane}", **style)


def _place_labels(ax, items, lane_y, label_kws):
    if items.empty:
        return
    starts = mdates.date2num(items["start"].to_numpy())
    ends = mdates.date2num(items["end"].fillna(items["start"]).to_numpy())
    centers = (starts + ends) / 2
    order = centers.argsort(kind="stable")
    style = {
        "ha": "center",
        "va": "bottom",
        "fontsize": ANNOTATION_SIZE,
        "linespacing": 1.0,
        **(label_kws or {}),
    }
    texts = [
        ax.text(
            centers[i],
            lane_y + _LABEL_Y,
            items["label"].iloc[i],
            gid="track-label",
            **style,
        )
        for i in order
    ]
    renderer = ax.figure.canvas.get_renderer()
    left, right = ax.get_xlim()
    per_pixel = (right - left) / ax.bbox.width
    widths = [t.get_window_extent(renderer).width * per_pixel for t in texts]
    gap = 3 * per_pixel * ax.figure.dpi / 72
    wanted = centers[order]
    placed = spread_labels(wanted, widths, left, right, gap=gap)
    for text, x, x0 in zip(texts, placed, wanted, strict=True):
        text.set_x(x)
        if abs(x - x0) > gap:
            ax.plot(
                [x0, x],
                [lane_y + _MARK_Y + 0.1, lane_y + _LABEL_Y - 0.02],
                color="#999999",
                linewidth=0.5,
                gid="leader",
                zorder=1,
            )


def shade_courses(treatments, *, ax=None, colors: dict | None = None, **kwargs):
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
    """
    ax = plt.gca() if ax is None else ax
    colors = {**DEFAULT_LANE_COLORS, **(colors or {})}
    style = {"alpha": 0.18, "linewidth": 0, "zorder": 0, **kwargs}
    for row in treatments.dropna(subset=["end"]).itertuples():
        ax.axvspan(
            mdates.date2num(row.start),
            mdates.date2num(row.end),
            color=colors.get(row.lane, NEUTRAL_COLOR),
            gid="course-band",
            **style,
        )
    return ax
