"""Time units and the day numbers every stage places dates with (numpy only)."""

from __future__ import annotations

import numpy as np
import pandas as pd

DAYS_PER_YEAR = 365.25
# Months of 365.25 / 12 days, as kinetics are reported (docs/markers.md).
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
# matplotlib's default date epoch: day numbers equal matplotlib.dates.date2num.
EPOCH = np.datetime64("1970-01-01T00:00:00", "us")
_MICROSECONDS_PER_DAY = 86_400_000_000.0
_STEPS = (1, 2, 5, 10, 20, 50)


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
