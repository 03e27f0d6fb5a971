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
