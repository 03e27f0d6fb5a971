"""Helpers that read back what a figure drew, independent of fonts and pixels."""

from __future__ import annotations

import itertools

import matplotlib.dates as mdates
import pandas as pd


def lines_with_gid(ax, prefix):
    return [
        line for line in ax.get_lines() if (line.get_gid() or "").startswith(prefix)
    ]


def plotted_points(ax, marker):
    """Return (date, value) pairs of every symbol drawn for one marker."""
    points = []
    for line in lines_with_gid(ax, f"trend-points:{marker}:"):
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
            day = pd.Timestamp(mdates.num2date(x)).tz_localize(None)
            points.append((day, float(y)))
    return sorted(points)


def _tick_labels(axis):
    low, high = sorted(axis.get_view_interval())
    return [
        label
        for tick in axis.get_major_ticks()
        if low <= tick.get_loc() <= high
        for label in (tick.label1, tick.label2)
    ]


def visible_texts(fig):
    """Return every text the figure draws: labels, ticks, legends, annotations."""
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += [*ax.texts, ax.title, ax.xaxis.label, ax.yaxis.label]
        texts += _tick_labels(ax.xaxis) + _tick_labels(ax.yaxis)
        # The year a span of months names once, under its tick labels; an
        # axis whose tick labels are hidden draws none.
        texts += [
            axis.get_offset_text()
            for axis in (ax.xaxis, ax.yaxis)
            if _tick_labels(axis)
        ]
        legend = ax.get_legend()
        if legend is not None:
            texts += legend.get_texts()
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def overlapping_texts(fig):
    """Return the pairs of visible texts whose boxes overlap on the rendered figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in visible_texts(fig)]
    return [
        (a, b)
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        if box_a.overlaps(box_b)
        and min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > 0.5
        and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > 0.5
    ]


def outside_figure(fig):
    """Return the visible texts that stick out of the figure canvas."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    canvas = fig.bbox
    return [
        t.get_text()
        for t in visible_texts(fig)
        if (box := t.get_window_extent(renderer)).x0 < canvas.x0 - 0.5
        or box.y0 < canvas.y0 - 0.5
        or box.x1 > canvas.x1 + 0.5
        or box.y1 > canvas.y1 + 0.5
    ]


def track_artists(ax):
    """Return (kind, name, display box) of every bar, mark and label on a track.

    Kinds are ``bar`` (a course), ``mark`` (a procedure's or event's symbol),
    ``arrow`` (an ongoing course's arrowhead) and ``label`` (a track or dose label).
    """
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    found = []
    for patch in ax.patches:
        if (patch.get_gid() or "").startswith("course:"):
            found.append(("bar", patch.get_gid(), patch.get_window_extent(renderer)))
    for line in ax.get_lines():
        gid = line.get_gid() or ""
        for prefix, kind in (("mark:", "mark"), ("ongoing:", "arrow")):
            if gid.startswith(prefix):
                found.append((kind, gid, line.get_window_extent(renderer)))
    for text in ax.texts:
        if text.get_gid() in ("track-label", "dose-label") and text.get_text():
            found.append(("label", text.get_text(), text.get_window_extent(renderer)))
    return found


def _covers(a, b, tolerance=0.5):
    return (
        min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
        and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance
    )


def _arrow_of(bar, arrow):
    # An ongoing course's arrowhead sits on its own bar's right end, by design.
    return (
        abs(arrow.x0 + arrow.width / 2 - bar.x1) < 1
        and abs((arrow.y0 + arrow.y1) / 2 - (bar.y0 + bar.y1) / 2) < 1
    )


def overlapping_track_artists(ax, tolerance=0.5):
    """Return pairs of track bars, marks and labels drawn on one another.

    Boxes are compared in display space (pixels); they must share more than
    ``tolerance`` pixels both ways to count. Two labels are left to
    :func:`overlapping_texts`; an arrowhead on its own bar's end is not a pair.
    """
    pairs = []
    for (kind_a, a, box_a), (kind_b, b, box_b) in itertools.combinations(
        track_artists(ax), 2
    ):
        if kind_a == kind_b == "label" or not _covers(box_a, box_b, tolerance):
            continue
        kinds = {kind_a: box_a, kind_b: box_b}
        if set(kinds) == {"bar", "arrow"} and _arrow_of(kinds["bar"], kinds["arrow"]):
            continue
        pairs.append(((kind_a, a), (kind_b, b)))
    return pairs
