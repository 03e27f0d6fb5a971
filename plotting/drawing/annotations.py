"""Axes-level annotations on a trend panel: kinetics, response, limit crossings,
and the placement of limit labels and gap notes clear of the data."""

from __future__ import annotations

import itertools
from collections import defaultdict

import matplotlib.dates as mdates
import numpy as np

from ..computing.labels import (
    LineLabel,
    Obstacles,
    choose_boxes,
    crossings,
    overlap_areas,
    place_line_labels,
)
from .axes import current_axes
from .measure import literal
from .style import ANNOTATION_SIZE

NUDGE_LIMIT = 30
# Heights (axes fractions) tried for a gap note, best first.
GAP_NOTE_HEIGHTS = (0.5, 0.62, 0.38, 0.74, 0.26, 0.86, 0.14)
# Clear space, in points, between a gap note and the results around it.
GAP_NOTE_PAD = 3.0


def add_kinetics_fit(fit, *, ax=None, color="#222222", text_kws=None, **kwargs):
    """Draw a fitted log-linear segment over its window, labelled with its rate.

    Parameters
    ----------
    fit : Kinetics
        As :func:`plotting.kinetics.fit_kinetics` returns.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    color : color
        Line and label color.
    text_kws : dict, optional
        Passed to ``Axes.annotate`` for the label.
    **kwargs
        Passed to ``Axes.plot`` for the segment.

    Returns
    -------
    Axes
    """
    ax = current_axes() if ax is None else ax
    first, last = fit.dates[0], fit.dates[-1]
    days = np.array([0.0, (last - first).total_seconds() / 86400])
    values = np.exp(
        np.log(fit.values).mean()
        + fit.slope_per_day
        * (days - np.mean([(d - first).total_seconds() / 86400 for d in fit.dates]))
    )
    x = mdates.date2num([first, last])
    style = {
        "linestyle": (0, (3, 1.5)),
        "linewidth": 0.9,
        "color": color,
        "zorder": 2.5,
        **kwargs,
    }
    ax.plot(x, values, gid=f"kinetics-fit:{fit.marker}", **style)
    label = literal(f"{fit.marker} {fit.describe()}")
    if not fit.apparent:
        label += f" (R² {fit.r_squared:.2f}, n={len(fit.values)})"
    middle = (x[0] + x[1]) / 2, float(np.sqrt(values[0] * values[1]))
    # Left of a falling segment (right of a rising one) lies the side without data.
    side = {"ha": "right", "xytext": (-6, 0)} if fit.slope_per_day < 0 else {}
    _annotate(
        ax,
        label,
        middle,
        color,
        "kinetics-label",
        {"va": "center", **side, **(text_kws or {})},
    )
    return ax


def add_percent_change(response, *, ax=None, color="#222222", text_kws=None):
    """Write a response's percent change from baseline next to its nadir.

    Parameters
    ----------
    response : Response
        As :func:`plotting.kinetics.assess_response` returns; one without a nadir
        draws nothing.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    color : color
        Text color.
    text_kws : dict, optional
        Passed to ``Axes.annotate``.

    Returns
    -------
    Axes
    """
    ax = current_axes() if ax is None else ax
    if response.nadir is None:
        return ax
    sign = "≤ " if response.nadir_censored else ""
    # Typographic minus sign, as journals print it.
    change = percent_text(response.percent_change).replace("-", "\u2212")
    label = literal(f"{sign}{change} vs baseline\nafter {response.treatment}")
    point = (mdates.date2num(response.nadir_date), response.nadir)
    _annotate(ax, label, point, color, "percent-change", text_kws)
    return ax


def percent_text(change: float) -> str:
    """Return a percent change with as many decimals as keep it honest.

    One decimal, or more where rounding would claim a change of exactly 100%
    (a fall of 99.991% is "-99.991%", never "-100.0%").
    """
    for decimals in range(1, 6):
        text = f"{change:+.{decimals}f}"
        if abs(float(text)) != 100.0 or abs(change) == 100.0:
            return text + "%"
    return f"{change:+.6g}%"


def add_uln_crossings(dates, uln, *, ax=None, color="#222222", label=None):
    """Mark where a marker falls below its upper limit with a tick on the limit line.

    Parameters
    ----------
    dates : sequence of datetime-like
        As :func:`plotting.kinetics.uln_crossings` returns.
    uln : float
        The limit.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    color : color
        Tick color.
    label : str, optional
        Legend label of the ticks.

    Returns
    -------
    Axes
    """
    ax = current_axes() if ax is None else ax
    if len(dates):
        ax.plot(
            mdates.date2num(list(dates)),
            [uln] * len(dates),
            marker="|",
            markersize=10,
            markeredgewidth=1.6,
            color=color,
            linestyle="none",
            zorder=4,
            gid="uln-crossing",
            label=label or "_nolegend_",
        )
    return ax


def _annotate(ax, label, point, color, gid, text_kws):
    style = {
        "fontsize": ANNOTATION_SIZE,
        "color": color,
        "ha": "left",
        "va": "bottom",
        "textcoords": "offset points",
        "xytext": (5, 3),
        "zorder": 5,
        **(text_kws or {}),
    }
    text = ax.annotate(label, point, gid=gid, **style)
    _nudge_clear(ax, text)
    return text


def _nudge_clear(ax, text):
    """Move a new annotation up and down in 6-pt steps until it clears other text.

    The first step clear of texts, data symbols and lines wins; else the first
    clear of texts; else it stays where it was asked to be.
    """
    others = [t.get_window_extent() for t in ax.texts if t is not text]
    panel = [a for a in ax.figure.axes if a.bbox.bounds == ax.bbox.bounds]
    data = _obstacles(panel, set(ax.texts) | {text})
    dx, dy = text.xyann
    fallback = None
    for step in range(NUDGE_LIMIT + 1):
        offset = 0 if step == 0 else ((step - 1) // 2 + 1) * 6 * (-1) ** (step - 1)
        text.xyann = (dx, dy + offset)
        box = text.get_window_extent()
        inside = ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1)
        if not inside or any(box.overlaps(other) for other in others):
            continue
        extents = np.asarray(box.extents)
        if not overlap_areas(extents, data.boxes).any() and not crossings(
            extents, data.segments
        ):
            return
        if fallback is None:
            fallback = text.xyann
    text.xyann = fallback or (dx, dy)


def place_limit_labels(*axes):
    """Move limit labels so that none overlaps another, a data symbol or a line.

    Every label :func:`plotting.add_reference_limit` wrote on these Axes (one
    panel, or a panel and its ``twinx``) stays on its own line, above or below
    it, at its right end if that is clear, else at its left end, else slid
    along it (:func:`plotting.computing.labels.place_line_labels`). Boxes are
    compared in display space, so labels of both y axes are placed together.
    Call it once the limits of every Axes are final.

    Parameters
    ----------
    *axes : Axes
        The Axes of one panel; None entries are skipped.

    Returns
    -------
    list of Text
        The labels, as placed.
    """
    axes = [ax for ax in axes if ax is not None]
    if not axes:
        return []
    fig = axes[0].figure
    pairs = []
    for ax in axes:
        lines, texts = defaultdict(list), defaultdict(list)
        for line in ax.lines:
            lines[line.get_gid()].append(line)
        for text in ax.texts:
            gid = text.get_gid() or ""
            if gid.endswith("-label") and gid[: -len("-label")] in lines:
                texts[gid[: -len("-label")]].append(text)
        for gid, labels in texts.items():
            pairs += [
                (ax, line, text) for line, text in zip(lines[gid], labels, strict=False)
            ]
    if not pairs:
        return []
    labels = []
    for _, line, text in pairs:
        xy = line.get_transform().transform(line.get_xydata())
        box = text.get_window_extent()
        labels.append(
            LineLabel(xy[0, 1], xy[:, 0].min(), xy[:, 0].max(), box.width, box.height)
        )
    point = fig.dpi / 72
    placed = place_line_labels(
        labels,
        bounds=tuple(axes[0].bbox.extents),
        obstacles=_obstacles(axes, {text for *_, text in pairs}),
        inset=2 * point,
        gap=1 * point,
    )
    for (ax, _, text), (box, ha, va) in zip(pairs, placed, strict=False):
        x = {"right": box[2], "left": box[0], "center": (box[0] + box[2]) / 2}[ha]
        share = ax.transAxes.inverted().transform((x, 0))[0]
        text.xy = (share, text.xy[1])
        text.xyann = (0, 1 if va == "bottom" else -1)
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)
    return [text for *_, text in pairs]


def place_gap_note(note, span, *, ax):
    """Put a gap note where it fits inside its interval, clear of everything.

    Tried on one line, then on two, at each of :data:`GAP_NOTE_HEIGHTS`; the
    first clear place wins. A note with no clear place is removed.

    Parameters
    ----------
    note : Text
        Drawn with ``ax.get_xaxis_transform()``, centred.
    span : (float, float)
        The interval's start and end as date numbers.
    ax : Axes

    Returns
    -------
    bool
        Whether the note was kept.
    """
    panel = [a for a in ax.figure.axes if a.bbox.bounds == ax.bbox.bounds]
    obstacles = _obstacles(panel, {note})
    (x0, _), (x1, _) = ax.transData.transform([(span[0], 1), (span[1], 1)])
    pad = GAP_NOTE_PAD * ax.figure.dpi / 72
    frame = ax.bbox
    bounds = (max(x0, frame.x0) + pad, frame.y0, min(x1, frame.x1) - pad, frame.y1)
    middle = (bounds[0] + bounds[2]) / 2
    one_line = note.get_text()
    words = one_line.split(" ")
    cut = len(words) // 2
    variants = [one_line]
    if cut:
        variants.append(" ".join(words[:cut]) + "\n" + " ".join(words[cut:]))
    candidates = []
    for variant in variants:
        note.set_text(variant)
        box = note.get_window_extent()
        for share in GAP_NOTE_HEIGHTS:
            y = frame.y0 + share * frame.height
            edges = (middle - box.width / 2, y - box.height / 2)
            candidates.append(
                (
                    (*edges, edges[0] + box.width, edges[1] + box.height),
                    variant,
                    share,
                )
            )
    (pick,) = choose_boxes(
        [[box for box, _, _ in candidates]],
        bounds=bounds,
        obstacles=obstacles,
        required=False,
    )
    if pick is None:
        note.remove()
        return False
    _, variant, share = candidates[pick]
    note.set_text(variant)
    x = ax.transData.inverted().transform((middle, 0))[0]
    note.set_position((x, share))
    return True


def _obstacles(axes, skip) -> Obstacles:
    """Return the symbols, line segments and texts of ``axes`` in display space."""
    boxes, segments = [], []
    for ax in axes:
        for line in ax.lines:
            if not line.get_visible() or len(line.get_xdata()) == 0:
                continue
            xy = line.get_transform().transform(line.get_xydata())
            xy = xy[np.isfinite(xy).all(axis=1)]
            if line.get_linestyle() not in ("None", "none", "", " "):
                segments += [(*a, *b) for a, b in itertools.pairwise(xy)]
            if line.get_marker() not in (None, "None", "none", "", " "):
                half = (line.get_markersize() + line.get_markeredgewidth()) / 2
                half *= ax.figure.dpi / 72
                boxes += [(x - half, y - half, x + half, y + half) for x, y in xy]
        for text in ax.texts:
            if text in skip or not text.get_visible() or not text.get_text():
                continue
            boxes.append(tuple(text.get_window_extent().extents))
    return Obstacles.of(boxes, segments)
