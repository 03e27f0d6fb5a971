"""Time units and the day numbers every stage places dates with (numpy only)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.dates import DAYS_PER_MONTH, DAYS_PER_YEAR, RELATIVE_UNITS, UNTIMED_UNITS

__all__ = [
    "DAYS_PER_MONTH",
    "DAYS_PER_YEAR",
    "day_number",
    "day_numbers",
    "since_axis_label",
    "since_ticks",
    "year_step",
]
# matplotlib's default date epoch: day numbers equal matplotlib.dates.date2num.
EPOCH = np.datetime64("1970-01-01T00:00:00", "us")
_MICROSECONDS_PER_DAY = 86_400_000_000.0
_STEPS = (1, 2, 5, 10, 20, 50)
# Tick steps of an axis of time since the origin, by the unit its labels count.
SINCE_STEPS = {
    "days": (1, 2, 5, 7, 14, 28),
    "weeks": (1, 2, 4, 8, 13, 26),
    "months": (1, 2, 3, 6, 12),
    "years": _STEPS,
    "cycles": (1, 2, 5, 10, 20, 50),
    "order": (1, 2, 5, 10, 20, 50),
}
# Spans shorter than this are ticked in months, not years: a 7-month course needs
# more than one tick.
MONTH_TICKS_BELOW_YEARS = 3


def day_numbers(dates) -> np.ndarray:
    """Return dates as days since 1970-01-01 (floats, NaN for missing dates).

    These are matplotlib's date numbers under its default epoch, computed without
    importing matplotlib so layouts can be worked out before anything is drawn.

    Parameters
    ----------
    dates : datetime-like or sequence of datetime-like

    Returns
    -------
    ndarray of float
    """
    values = pd.to_datetime(np.atleast_1d(np.asarray(dates, dtype="datetime64[ns]")))
    micro = values.to_numpy(dtype="datetime64[us]")
    numbers = (micro - EPOCH).astype(np.float64) / _MICROSECONDS_PER_DAY
    numbers[np.isnat(micro)] = np.nan
    return numbers


def day_number(date) -> float:
    """Return one date as days since 1970-01-01 (see :func:`day_numbers`)."""
    return float(day_numbers([pd.Timestamp(date)])[0])


def year_step(span_days: float, width_in: float, label_in: float) -> int:
    """Return the smallest tick step in years whose labels fit side by side."""
    years = span_days / DAYS_PER_YEAR
    for step in _STEPS:
        if years / step * label_in <= width_in:
            return step
    return _STEPS[-1]


def since_axis_label(unit: str, origin_label: str) -> str:
    """Return the label of an axis of time since the origin, in ``unit``.

    An axis of order positions says that it holds no times, so that nobody reads
    its even spacing as time.
    """
    if unit == "order":
        return "Order in the source (no times given)"
    return f"{unit.capitalize()} since {origin_label}"


def since_ticks(
    span_days: float, width_in: float, label_in: float, *, unit: str | None = None
) -> tuple[str, int]:
    """Return the unit and step of ticks of time since the origin.

    Ticks count ``unit`` (the unit relative times are written in) when one of its
    steps gives at least three ticks whose labels fit side by side; otherwise
    months on spans under ``MONTH_TICKS_BELOW_YEARS`` years, and years beyond.

    Parameters
    ----------
    span_days : float
        The span of the axis.
    width_in, label_in : float
        The axis width and the room one label needs, in inches.
    unit : {"days", "weeks", "months", "years"}, optional

    Returns
    -------
    unit : {"days", "weeks", "months", "years"}
    step : int
        Units between ticks.
    """
    if unit in UNTIMED_UNITS:
        # Cycles of unknown length and order positions convert to nothing else.
        for step in SINCE_STEPS[unit]:
            if span_days / step * label_in <= width_in:
                return unit, step
        return unit, SINCE_STEPS[unit][-1]
    short = span_days < MONTH_TICKS_BELOW_YEARS * DAYS_PER_YEAR
    for candidate in ([unit] if unit else []) + ["months" if short else "years"]:
        count = span_days / RELATIVE_UNITS[candidate]
        for step in SINCE_STEPS[candidate]:
            if count / step * label_in <= width_in and count / step >= 2:
                return candidate, step
    return "years", year_step(span_days, width_in, label_in)
