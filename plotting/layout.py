"""Geometry computed before drawing: line segments at data gaps, label positions.

Pure numpy/pandas, so it is tested without rendering.
"""

from __future__ import annotations

import itertools
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .treatment_kinds import LANE_ORDER

EVENTS_LANE = "Events"
LABEL_WRAP_CHARS = 16
# Track geometry in inches: marks sit near the bottom of a lane, labels above them.
MARK_ABOVE_BOTTOM_IN = 0.08
LABEL_ABOVE_BOTTOM_IN = 0.21
TIER_GAP_IN = 0.03
LANE_TOP_PAD_IN = 0.03


def censor_signs(rows) -> np.ndarray:
    """Return each result's censoring sign (``"<"``, ``">"`` or ``""``).

    Tables without a ``censor`` column hold exact results only.
    """
    if "censor" not in rows:
        return np.full(len(rows), "", dtype=object)
    return rows["censor"].fillna("").to_numpy(dtype=object)


def gap_segments(dates, max_gap_days: float, *, alone=None) -> np.ndarray:
    """Number the runs of dates that may be joined by a line.

    A line between two results claims the marker moved smoothly between them; where
    results are further apart than ``max_gap_days`` nothing was measured, so the line
    breaks there. A censored result (``<2.0``) has no known value, so no line may
    run into or out of it: mark it in ``alone``.

    Parameters
    ----------
    dates : sequence of datetime-like, sorted
        Result dates in drawing order.
    max_gap_days : float
        Longest interval, in days, that a line may span.
    alone : sequence of bool, optional
        Results that get a segment of their own.

    Returns
    -------
    ndarray of int
        Segment number of each date, starting at 0.
    """
    dates = pd.to_datetime(pd.Series(dates))
    if dates.empty:
        return np.array([], dtype=int)
    gaps = dates.diff().dt.total_seconds().to_numpy()[1:] / 86400.0
    breaks = gaps > max_gap_days
    if alone is not None:
        alone = np.asarray(alone, dtype=bool)
        breaks |= alone[1:] | alone[:-1]
    return np.concatenate([[0], np.cumsum(breaks)]).astype(int)


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


def spread_labels(centers, widths, lo: float, hi: float, gap: float = 0.0):
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


def unmeasured_spans(dates, *, until=None, min_days: float) -> pd.DataFrame:
    """Return the intervals longer than ``min_days`` with no result at all.

    Parameters
    ----------
    dates : sequence of datetime-like
        Dates of every result drawn, any marker, any order.
    until : datetime-like, optional
        End of follow-up; the interval from the last result to it counts too.
    min_days : float
        Shortest interval reported.

    Returns
    -------
    DataFrame
        ``start`` and ``end`` of each interval, in time order.
    """
    points = pd.to_datetime(pd.Series(dates)).dropna().sort_values().tolist()
    if until is not None and points:
        points.append(pd.Timestamp(until))
    spans = [
        (a, b)
        for a, b in itertools.pairwise(points)
        if (b - a).total_seconds() / 86400.0 > min_days
    ]
    return pd.DataFrame(spans, columns=["start", "end"])


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


def track_items(treatments, events=None) -> pd.DataFrame:
    """Return one row per mark on the track: lane, start, end, label, approx."""
    labels = [
        course_label(row)
        for row in treatments[
            [c for c in ("label", "kind", "dose_gy", "fractions") if c in treatments]
        ].to_dict("records")
    ]
    events = (
        events
        if events is not None
        else pd.DataFrame(columns=["date", "label", "date_precision"])
    )
    items = pd.DataFrame(
        {
            "lane": [*treatments["lane"], *[EVENTS_LANE] * len(events)],
            "start": pd.to_datetime([*treatments["start"], *events["date"]]),
            "end": pd.to_datetime([*treatments["end"], *[pd.NaT] * len(events)]),
            "label": [*labels, *(_wrap(label) for label in events["label"])],
            "approx": [
                *(treatments["date_precision"] != "day"),
                *(events["date_precision"] != "day"),
            ],
        }
    )
    return items


@dataclass(frozen=True)
class TrackLayout:
    """Where every lane, mark and label of a treatment track goes, in inches.

    Attributes
    ----------
    lanes : tuple of str
        Lane titles, top to bottom.
    mark_y : dict
        Lane title to the height of its marks (0 is the top of the track, negative
        downward).
    height : float
        Total height of the track.
    items : DataFrame
        :func:`track_items` plus ``center`` (mark x), ``label_x``, ``label_y`` (label
        bottom), ``tier`` and ``mark_y``, x in data units.
    """

    lanes: tuple[str, ...]
    mark_y: dict
    height: float
    items: pd.DataFrame


def layout_track(
    items, lanes, *, xlim, width_in, sizes_in, gap_in=0.04, max_shift_in=0.45
) -> TrackLayout:
    """Compute the geometry of a treatment track before anything is drawn.

    Parameters
    ----------
    items : DataFrame
        As :func:`track_items` returns.
    lanes : sequence of str
        Lane titles, top to bottom.
    xlim : (float, float)
        The x limits, in data units (matplotlib date numbers).
    width_in : float
        Width of the Axes in inches, which fixes how many days an inch holds.
    sizes_in : sequence of (float, float)
        Width and height of each item's label in inches, in ``items`` order.
    gap_in, max_shift_in : float
        Clear space between labels, and the furthest a label should move from its
        mark before another tier is used.

    Returns
    -------
    TrackLayout
    """
    from matplotlib.dates import date2num

    items = items.reset_index(drop=True).copy()
    per_inch = (xlim[1] - xlim[0]) / width_in
    sizes = np.asarray(sizes_in, dtype=float).reshape(-1, 2)
    starts = date2num(items["start"].to_numpy()) if len(items) else np.zeros(0)
    ends = (
        date2num(items["end"].fillna(items["start"]).to_numpy())
        if len(items)
        else starts
    )
    centers = (starts + ends) / 2
    label_x, label_y = centers.copy(), np.zeros(len(items))
    tier_of, marks = np.zeros(len(items), dtype=int), np.zeros(len(items))
    lane_of = items["lane"].to_numpy()
    mark_y, top = {}, 0.0
    for lane in lanes:
        rows = np.flatnonzero(lane_of == lane)
        rows = rows[np.argsort(centers[rows], kind="stable")]
        tiers, placed = assign_tiers(
            centers[rows],
            sizes[rows, 0] * per_inch,
            xlim[0],
            xlim[1],
            gap=gap_in * per_inch,
            max_shift=max_shift_in * per_inch,
        )
        step = float(sizes[rows, 1].max(initial=0.0)) + TIER_GAP_IN
        height = LABEL_ABOVE_BOTTOM_IN + (int(tiers.max(initial=0)) + 1) * step
        bottom = top - height - LANE_TOP_PAD_IN
        mark_y[lane] = bottom + MARK_ABOVE_BOTTOM_IN
        tier_of[rows], label_x[rows] = tiers, placed
        label_y[rows] = bottom + LABEL_ABOVE_BOTTOM_IN + tiers * step
        marks[rows] = mark_y[lane]
        top = bottom
    items["center"], items["label_x"], items["label_y"] = centers, label_x, label_y
    items["tier"], items["mark_y"] = tier_of, marks
    return TrackLayout(tuple(lanes), mark_y, -top, items)
