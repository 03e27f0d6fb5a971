"""Rows within a lane (sub-lanes) for items that would be drawn on one another.

Pure numpy: concurrent therapies of one lane (a drug added to another, a course
begun while one runs) each get a row, so no bar, mark or label covers another;
a lane whose items never overlap keeps its one row.
"""

from __future__ import annotations

import numpy as np

from .timeline import day_numbers

# Symbol sizes in points, as drawn: a procedure's or event's mark, and the arrowhead
# that ends an ongoing course.
MARK_SIZE_PT = 4.5
ARROW_SIZE_PT = 6.0


def item_rows(items, *, per_inch) -> np.ndarray:
    """Return each track item's row in its lane, 0 the top (see :func:`sublanes`).

    Parameters
    ----------
    items : DataFrame
        As :func:`plotting.computing.track_layout.track_items` returns: ``lane``,
        ``start``, ``end`` (NaT for a mark) and ``ongoing``.
    per_inch : float
        Days an inch of the track holds, which sets how many days a mark covers.

    Returns
    -------
    ndarray of int
    """
    rows = np.zeros(len(items), dtype=int)
    if not len(items):
        return rows
    starts = day_numbers(items["start"].to_numpy())
    ends = day_numbers(items["end"].fillna(items["start"]).to_numpy())
    ongoing = (
        items["ongoing"].to_numpy(dtype=bool)
        if "ongoing" in items
        else np.zeros(len(items), dtype=bool)
    )
    # A course still given at the last follow-up reaches on into its arrowhead.
    ends = np.where(ongoing, ends + per_inch * ARROW_SIZE_PT / 72 / 2, ends)
    ends[items["end"].isna().to_numpy()] = np.nan
    lanes = items["lane"].to_numpy()
    for lane in dict.fromkeys(lanes):
        chosen = lanes == lane
        rows[chosen] = sublanes(
            starts[chosen], ends[chosen], reach=per_inch * MARK_SIZE_PT / 72 / 2
        )
    return rows


def sublanes(starts, ends, *, reach=0.0) -> np.ndarray:
    """Deal a lane's items to rows (sub-lanes) so that none is drawn on another.

    Items are taken by start (ties in the order given) and each goes to the
    first row, top down, where it covers nothing. A course covers the days from
    its start to its end; two courses starting the same day cover each other,
    courses that only touch (one ends the day the next starts) do not. A mark
    covers ``reach`` either side of its day on a course, and covers another mark
    whose center is under it (closer than ``reach``): marks of sessions a few days
    apart may touch, as they always have, but never hide one another.

    Taking spans by start and each in the first row free is the greedy colouring
    of an interval graph: among courses it uses as many rows as the most courses
    given on one day, no more.

    Parameters
    ----------
    starts, ends : array-like of float
        Day numbers of each item's start and end; ``ends`` NaN for a mark.
    reach : float
        Half a mark's width, in days.

    Returns
    -------
    ndarray of int
        Each item's row, 0 the top.
    """
    starts = np.asarray(starts, dtype=float)
    ends = np.asarray(ends, dtype=float)
    marks = np.isnan(ends)
    rows = np.zeros(starts.size, dtype=int)
    taken: list[list[int]] = []
    for i in np.argsort(starts, kind="stable"):
        free = (
            row
            for row, others in enumerate(taken)
            if not any(_covers(i, j, starts, ends, marks, reach) for j in others)
        )
        rows[i] = next(free, len(taken))
        if rows[i] == len(taken):
            taken.append([])
        taken[rows[i]].append(i)
    return rows


def _covers(i, j, starts, ends, marks, reach) -> bool:
    if marks[i] and marks[j]:
        return abs(starts[i] - starts[j]) < reach
    if marks[i] or marks[j]:
        mark, course = (i, j) if marks[i] else (j, i)
        return (
            starts[mark] + reach > starts[course]
            and starts[mark] - reach < ends[course]
        )
    return starts[i] == starts[j] or (starts[i] < ends[j] and starts[j] < ends[i])
