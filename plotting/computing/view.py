"""The time window a figure shows, and the rows inside it (pure pandas)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core.dates import UNTIMED_UNITS, format_time
from ..core.errors import InputError
from .timeline import day_number
from .track_layout import track_lanes

# Space left and right of the data: 2% of the window, at least 15 days.
PAD_SHARE, MIN_PAD_DAYS = 0.02, 15
# Room before a course whose start is not given, as a share of the window.
UNKNOWN_START_SHARE = 0.08


@dataclass(frozen=True)
class View:
    """What one figure shows of a case.

    Attributes
    ----------
    measurements, treatments : DataFrame
        The chosen markers' results and the treatments inside the window.
    events : DataFrame or None
        Events inside the window; None when events are not shown.
    start, end : Timestamp
        The window.
    until : Timestamp
        Where follow-up ends inside the window (for "no results" notes).
    xlim : (float, float)
        The padded window in day numbers (matplotlib's date numbers).
    lanes : tuple of str
        Track lanes, top to bottom.
    """

    measurements: pd.DataFrame
    treatments: pd.DataFrame
    events: pd.DataFrame | None
    start: pd.Timestamp
    end: pd.Timestamp
    until: pd.Timestamp
    xlim: tuple[float, float]
    lanes: tuple[str, ...]


def select_view(case, markers, *, start=None, end=None, show_events=True) -> View:
    """Return the part of a case between ``start`` and ``end`` for ``markers``.

    The window defaults to the time origin (or the first dated row before it) and
    the last follow-up.

    Raises
    ------
    ValueError
        If the window ends before it starts.
    """
    m = case.measurements[case.measurements["marker"].isin(markers)]
    t = case.treatments
    e = case.events if show_events else case.events.iloc[:0]
    dated = [m["date"], t["start"].dropna(), e["date"]]
    untimed = getattr(case, "time_unit", None) in UNTIMED_UNITS
    # Order positions start at 1: position 0 is no moment of the case.
    origin = [] if getattr(case, "time_unit", None) == "order" else [case.origin]
    first = min([*origin, *(d.min() for d in dated if len(d))])
    unknown = t.get("start_unknown", pd.Series(False, index=t.index)).astype(bool)
    latest = m.get("latest", pd.Series(dtype="datetime64[ns]")).dropna()
    # Rows dated inside a month-precision last follow-up may lie past its middle.
    ends = [*dated, t["end"].dropna(), latest]
    if unknown.any() and start is None:
        # A course whose start is not given is drawn from the left edge: leave
        # room for a stub of it before its end, however early that is.
        last_end = max([case.last_follow_up, *(d.max() for d in ends if len(d))])
        stub = (last_end - first) * UNKNOWN_START_SHARE
        first = min(first, t.loc[unknown, "end"].min() - stub)
    low = pd.Timestamp(start) if start is not None else first
    last = [case.last_follow_up, *(d.max() for d in ends if len(d))]
    high = pd.Timestamp(end) if end is not None else max(last)
    if high < low or (high == low and (start is not None or end is not None)):
        unit = getattr(case, "time_unit", None)
        raise InputError(
            "the window must end after it starts "
            f"({format_time(low, unit)} to {format_time(high, unit)})"
        )
    shown = m[(m["date"] >= low) & (m["date"] <= high)]
    if shown.empty and not m.empty and (start is not None or end is not None):
        unit = getattr(case, "time_unit", None)
        raise InputError(
            f"no results between {format_time(low, unit)} and "
            f"{format_time(high, unit)}: the case's results of "
            f"{', '.join(markers)} run from {format_time(m['date'].min(), unit)} to "
            f"{format_time(m['date'].max(), unit)}; widen the window"
        )
    m = shown
    if unknown.any():
        t = t.copy()
        t.loc[unknown, "start"] = min(low, t.loc[unknown, "end"].min())
    ends = t["end"].fillna(t["start"])
    t = t[(ends >= low) & (t["start"] <= high)]
    e = e[(e["date"] >= low) & (e["date"] <= high)]
    # Cycles and positions are one nominal day apart: pad by half of one.
    least = pd.Timedelta(days=0.5 if untimed else MIN_PAD_DAYS)
    pad = max(least, (high - low) * PAD_SHARE)
    events = e if show_events else None
    return View(
        measurements=m,
        treatments=t,
        events=events,
        start=low,
        end=high,
        until=min(high, case.last_follow_up),
        xlim=(day_number(low - pad), day_number(high + pad)),
        lanes=tuple(track_lanes(t, events)),
    )
