"""Where a marker's line must break, and where nothing was measured (pure pandas).

A line between two results claims the marker moved smoothly between them; these
functions decide where that claim holds.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..core.types import DateLike


def censor_signs(rows) -> np.ndarray:
    """Return each result's censoring sign (``"<"``, ``">"`` or ``""``).

    Tables without a ``censor`` column hold exact results only.
    """
    if "censor" not in rows:
        return np.full(len(rows), "", dtype=object)
    return rows["censor"].fillna("").to_numpy(dtype=object)


def reported_zeros(rows) -> np.ndarray:
    """Return where a result is a literal 0 as the lab reported it (``PSA 0``).

    A 0 is an exact result, not a censored one: it is below every limit, but it
    has no place on a log axis and no logarithm, so figures draw it at the axis
    floor and fits leave it out.
    """
    values = rows["value"].to_numpy(dtype=float)
    return (values == 0) & (censor_signs(rows) == "")


def gap_segments(
    dates: ArrayLike, max_gap_days: float, *, alone: ArrayLike | None = None
) -> np.ndarray:
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


def gap_links(dates, max_gap_days: float, *, alone=None) -> np.ndarray:
    """Return where consecutive results are further apart than ``max_gap_days``.

    Such results are not joined by the solid line (:func:`gap_segments`); a figure
    links them with a thin dotted line that says "not measured in between".
    Results marked in ``alone`` (censored: no known value) are never linked.

    Returns
    -------
    ndarray of int
        Each ``i`` whose result is linked to result ``i + 1``.
    """
    dates = pd.to_datetime(pd.Series(dates))
    if len(dates) < 2:
        return np.array([], dtype=int)
    gaps = dates.diff().dt.total_seconds().to_numpy()[1:] / 86400.0
    linked = gaps > max_gap_days
    if alone is not None:
        alone = np.asarray(alone, dtype=bool)
        linked &= ~(alone[1:] | alone[:-1])
    return np.flatnonzero(linked)


def unmeasured_spans(
    dates: ArrayLike,
    *,
    until: DateLike | None = None,
    since: DateLike | None = None,
    min_days: float,
    ranges: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the intervals longer than ``min_days`` with no result at all.

    A result known only to lie between its date and its ``ranges`` entry (its
    latest time) may have been taken anywhere in that window: no interval that
    overlaps one is reported.

    Parameters
    ----------
    dates : sequence of datetime-like
        Dates of every result drawn, any marker, any order.
    until : datetime-like, optional
        End of follow-up; the interval from the last result to it counts too.
    since : datetime-like, optional
        Start of follow-up (the time origin, or the start of the window shown);
        the interval from it to the first result counts too.
    min_days : float
        Shortest interval reported.
    ranges : sequence of datetime-like, optional
        Aligned with ``dates``: each result's latest time (NaT for a result of
        one known time).

    Returns
    -------
    DataFrame
        ``start`` and ``end`` of each interval, in time order.
    """
    points = pd.to_datetime(pd.Series(dates)).dropna().sort_values().tolist()
    if until is not None and points:
        points.append(pd.Timestamp(until))
    if since is not None and points and pd.Timestamp(since) < points[0]:
        points.insert(0, pd.Timestamp(since))
    windows = []
    if ranges is not None:
        firsts = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
        lasts = pd.to_datetime(pd.Series(ranges)).reset_index(drop=True)
        windows = [
            (a, b)
            for a, b in zip(firsts, lasts, strict=True)
            if pd.notna(a) and pd.notna(b)
        ]
    spans = [
        (a, b)
        for a, b in itertools.pairwise(points)
        if (b - a).total_seconds() / 86400.0 > min_days
        and not any(first < b and a < last for first, last in windows)
    ]
    return pd.DataFrame(spans, columns=["start", "end"])
