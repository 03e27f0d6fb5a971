"""Place limit labels and gap notes clear of each other, the data and the lines.

The candidate places and the choice are pure (:mod:`plotting.computing.labels`);
here they are measured in display space and applied to the drawn texts.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np

from ..computing.labels import LineLabel, Obstacles, choose_boxes, place_line_labels

# Heights (axes fractions) tried for a gap note, best first.
GAP_NOTE_HEIGHTS = (0.5, 0.62, 0.38, 0.74, 0.26, 0.86, 0.14)
# Clear space, in points, between a gap note and the results around it.
GAP_NOTE_PAD = 3.0


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
    variants = [one_line]
    if len(words) > 1:
        # The break that makes the longer line shortest ("no results" / "reported").
        cut = min(
            range(1, len(words)),
            key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))),
        )
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
