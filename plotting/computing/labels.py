"""Label placement on one line: the exact least-squares spread and tiers (numpy)."""

from __future__ import annotations

import numpy as np


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
