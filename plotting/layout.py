"""Geometry computed before drawing: line segments at data gaps, label positions.

Pure numpy/pandas, so it is tested without rendering.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd


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
