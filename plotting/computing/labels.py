"""Label placement: the exact least-squares spread and tiers of labels on one line,
and boxes chosen clear of each other, of data and of lines (numpy)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


def _isotonic(y: np.ndarray) -> np.ndarray:
    """Return the non-decreasing sequence closest to ``y`` in least squares."""
    values, counts = [], []
    for v in y:
        values.append(float(v))
        counts.append(1)
        while len(values) > 1 and values[-2] > values[-1]:
            total = counts[-2] + counts[-1]
            merged = (values[-2] * counts[-2] + values[-1] * counts[-1]) / total
            values[-2:] = [merged]
            counts[-2:] = [total]
    return np.repeat(values, counts)


def spread_labels(
    centers: ArrayLike, widths: ArrayLike, lo: float, hi: float, gap: float = 0.0
) -> np.ndarray:
    """Move label centers apart as little as possible so that no two overlap.

    Minimises the summed squared displacement subject to neighbours being at least
    half their widths plus ``gap`` apart and every label inside ``[lo, hi]``; solved
    exactly as an isotonic regression (pool adjacent violators).

    Parameters
    ----------
    centers : array-like
        Wanted centers, in the order the labels must keep (sorted ascending).
    widths : array-like
        Label widths, in the same units.
    lo, hi : float
        Range every label must stay inside.
    gap : float
        Clear space between neighbours.

    Returns
    -------
    ndarray
        New centers; equal to ``centers`` when nothing overlaps.

    Raises
    ------
    ValueError
        If the labels cannot fit side by side in ``[lo, hi]``.
    """
    centers = np.asarray(centers, dtype=float)
    widths = np.asarray(widths, dtype=float)
    if centers.size == 0:
        return centers
    if np.any(np.diff(centers) < 0):
        raise ValueError("centers must be sorted ascending")
    steps = (widths[:-1] + widths[1:]) / 2 + gap
    offsets = np.concatenate([[0.0], np.cumsum(steps)])
    low, high = lo + widths[0] / 2, hi - widths[-1] / 2 - offsets[-1]
    if low > high:
        raise ValueError("labels are wider than the space they must fit in")
    return np.clip(_isotonic(centers - offsets), low, high) + offsets


def assign_tiers(centers, widths, lo, hi, *, gap=0.0, max_shift=None, max_tiers=4):
    """Spread labels over the fewest rows (tiers) in which they fit without overlap.

    Labels are dealt to tiers in turn (1st, 2nd, 3rd... in left-to-right order) and
    spread within each tier by :func:`spread_labels`. One more tier is tried while a
    label would move further than ``max_shift`` from its mark.

    Parameters
    ----------
    centers, widths : array-like
        Wanted centers (sorted ascending) and widths.
    lo, hi : float
        Range every label must stay inside.
    gap : float
        Clear space between neighbours in a tier.
    max_shift : float, optional
        Largest acceptable move; None accepts the first tier count that fits.
    max_tiers : int
        Most tiers to use.

    Returns
    -------
    tiers : ndarray of int
        Tier of each label, 0 the lowest.
    positions : ndarray
        Label centers.

    Raises
    ------
    ValueError
        If the labels do not fit even in ``max_tiers`` tiers.
    """
    centers = np.asarray(centers, dtype=float)
    widths = np.asarray(widths, dtype=float)
    best = None
    for count in range(1, max_tiers + 1):
        tiers = np.arange(centers.size) % count
        positions = np.empty(centers.size)
        try:
            for tier in range(count):
                chosen = tiers == tier
                positions[chosen] = spread_labels(
                    centers[chosen], widths[chosen], lo, hi, gap=gap
                )
        except ValueError:
            continue
        shift = float(np.max(np.abs(positions - centers), initial=0.0))
        if best is None or shift < best[0]:
            best = (shift, tiers, positions)
        if max_shift is None or shift <= max_shift:
            return tiers, positions
    if best is None:
        raise ValueError(
            f"track labels do not fit in {max_tiers} rows; use a wider figure or "
            "shorter labels"
        )
    return best[1], best[2]


@dataclass(frozen=True)
class Obstacles:
    """What a label must stay clear of, in display units.

    Attributes
    ----------
    boxes : array of shape (n, 4)
        ``left, bottom, right, top`` of texts and symbols.
    segments : array of shape (n, 4)
        ``x0, y0, x1, y1`` of line segments.
    """

    boxes: np.ndarray = field(default_factory=lambda: np.empty((0, 4)))
    segments: np.ndarray = field(default_factory=lambda: np.empty((0, 4)))

    @classmethod
    def of(cls, boxes=(), segments=()) -> Obstacles:
        """Return obstacles from sequences of 4-tuples."""
        return cls(
            np.asarray(boxes, dtype=float).reshape(-1, 4),
            np.asarray(segments, dtype=float).reshape(-1, 4),
        )


@dataclass(frozen=True)
class LineLabel:
    """A label to write along a horizontal line, in display units.

    The line is at height ``y`` from ``x0`` to ``x1``; the label is ``width`` by
    ``height``.
    """

    y: float
    x0: float
    x1: float
    width: float
    height: float


def overlap_areas(box, boxes) -> np.ndarray:
    """Return the overlapping area of ``box`` with each of ``boxes``."""
    if len(boxes) == 0:
        return np.zeros(0)
    dx = np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0])
    dy = np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1])
    return np.clip(dx, 0, None) * np.clip(dy, 0, None)


def _inside(box, segments) -> np.ndarray:
    """Return the part of each segment inside ``box`` as a share of its length
    (Liang-Barsky clipping); 0 for a segment that misses it."""
    shares = np.zeros(len(segments))
    for number, (x0, y0, x1, y1) in enumerate(segments):
        dx, dy = x1 - x0, y1 - y0
        low, high = 0.0, 1.0
        for p, q in (
            (-dx, x0 - box[0]),
            (dx, box[2] - x0),
            (-dy, y0 - box[1]),
            (dy, box[3] - y0),
        ):
            if p == 0:
                if q < 0:
                    low, high = 1.0, 0.0
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
        shares[number] = max(high - low, 0.0)
    return shares


def crossed_length(box, segments) -> float:
    """Return the length of the segments' parts inside ``box``, in its units.

    A line that clips a label's corner crosses less of it than one drawn
    through its words. Rounded to a hundredth of a unit (a pixel) so that
    boxes crossed equally tie exactly and keep their order of preference,
    whatever the floating-point noise of the clipping.
    """
    segments = np.asarray(segments, dtype=float).reshape(-1, 4)
    lengths = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    return round(float((_inside(box, segments) * lengths).sum()), 2)


# A line this share of a label's height from its top or bottom edge runs
# through the ascenders or descenders, not through the words.
EDGE_SHARE = 0.1
# A line drawn through a label's words, along its whole width, counts as half
# as bad as another box covering all of it.
LINE_WEIGHT = 0.5


def _words(box) -> tuple[float, float, float, float]:
    """Return the part of a label's box its words fill (inset top and bottom)."""
    inset = EDGE_SHARE * (box[3] - box[1])
    return (box[0], box[1] + inset, box[2], box[3] - inset)


def placement_cost(box, *, bounds, placed, segments) -> tuple[bool, float, float]:
    """Return how bad a place is for a label: outside ``bounds``, then what
    covers it (the area of ``placed`` boxes over it plus the lines through its
    words, weighted by :data:`LINE_WEIGHT`), then the length of any line inside
    it. ``(False, 0.0, 0.0)`` is a clear place."""
    box = np.asarray(box, dtype=float)
    outside = max(
        bounds[0] - box[0],
        bounds[1] - box[1],
        box[2] - bounds[2],
        box[3] - bounds[3],
        0.0,
    )
    area = float(overlap_areas(box, np.asarray(placed).reshape(-1, 4)).sum())
    through = crossed_length(_words(box), segments) * (box[3] - box[1])
    return (
        outside > 0.5,
        round(area + LINE_WEIGHT * through, 2),
        crossed_length(box, segments),
    )


def choose_boxes(candidates, *, bounds, obstacles: Obstacles, required=True):
    """Give each item the first of its candidate boxes that is clear of everything.

    Items are placed in order; each placed box is an obstacle for the next. A box
    is clear when it lies inside ``bounds``, overlaps no obstacle box or placed
    box, and no segment passes through it.

    Parameters
    ----------
    candidates : sequence of sequences of (left, bottom, right, top)
        Each item's boxes, best first.
    bounds : (left, bottom, right, top)
    obstacles : Obstacles
    required : bool
        Place an item even when none of its boxes is clear (the one of least
        :func:`placement_cost`: a corner of a symbol covered rather than a line
        through the words, a line grazing the box's edge rather than one
        through its middle); otherwise leave it out.

    Returns
    -------
    list of int or None
        The chosen candidate of each item, None for an item left out.
    """
    placed = [*obstacles.boxes]
    chosen = []
    for boxes in candidates:
        best, best_cost = None, None
        for number, box in enumerate(boxes):
            cost = placement_cost(
                box, bounds=bounds, placed=placed, segments=obstacles.segments
            )
            if best_cost is None or cost < best_cost:
                best, best_cost = number, cost
            if cost == (False, 0.0, 0.0):
                break
        if best_cost != (False, 0.0, 0.0) and not required:
            best = None
        chosen.append(best)
        if best is not None:
            placed.append(np.asarray(boxes[best], dtype=float))
    return chosen


def line_label_candidates(label: LineLabel, *, inset=2.0, gap=1.0, steps=9, panel=None):
    """Return where a label may go along its line, best first, with its alignment.

    Above the right end first (where limit labels are usually read), then below
    it, then the left end, then centred at points sliding from right to left;
    last, for a line shorter than the panel, points sliding across the
    ``panel`` (left, right) at the line's height, as long as the label still
    spans part of its line: further away, it would name another line, or seem
    to say the limit holds where it is not drawn.

    Returns
    -------
    list of ((left, bottom, right, top), ha, va)
    """
    w, h = label.width, label.height
    anchors = [(label.x1 - inset, "right"), (label.x0 + inset, "left")]
    anchors += [
        (label.x0 + share * (label.x1 - label.x0), "center")
        for share in np.linspace(1, 0, steps + 2)[1:-1]
    ]
    if panel is not None:
        anchors += [
            (panel[0] + share * (panel[1] - panel[0]), "center")
            for share in np.linspace(1, 0, 2 * steps + 1)
        ]
    out = []
    for x, ha in anchors:
        left = {"right": x - w, "left": x, "center": x - w / 2}[ha]
        if left >= label.x1 or left + w <= label.x0:
            continue
        out.append(((left, label.y + gap, left + w, label.y + gap + h), ha, "bottom"))
        out.append(((left, label.y - gap - h, left + w, label.y - gap), ha, "top"))
    return out


def place_line_labels(labels, *, bounds, obstacles: Obstacles, inset=2.0, gap=1.0):
    """Place labels along their horizontal lines so that none collides.

    Each label stays on its own line (above or below it, at either end or slid
    along it) and clear of the other labels, of the obstacles and of the other
    lines; see :func:`choose_boxes`.

    Parameters
    ----------
    labels : sequence of LineLabel
    bounds : (left, bottom, right, top)
        The panel every label must stay inside.
    obstacles : Obstacles
        Data symbols, data lines and other texts.
    inset, gap : float
        Space between a label and the end of its line, and between it and the
        line.

    Returns
    -------
    list of ((left, bottom, right, top), ha, va)
        The chosen box of each label with its horizontal and vertical alignment.
    """
    panel = (bounds[0], bounds[2])
    options = [
        line_label_candidates(lab, inset=inset, gap=gap, panel=panel) for lab in labels
    ]
    lines = [(lab.x0, lab.y, lab.x1, lab.y) for lab in labels]
    chosen = []
    for number, candidates in enumerate(options):
        others = [line for n, line in enumerate(lines) if n != number]
        placed = [options[n][c][0] for n, c in enumerate(chosen)]
        around = Obstacles.of(
            [*obstacles.boxes, *placed], [*obstacles.segments, *others]
        )
        (pick,) = choose_boxes(
            [[box for box, _, _ in candidates]], bounds=bounds, obstacles=around
        )
        chosen.append(pick)
    return [options[n][c] for n, c in enumerate(chosen)]
