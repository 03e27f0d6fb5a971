"""Where a marker's drawn line crosses its upper reference limit (pure pandas)."""

from __future__ import annotations

import math

import pandas as pd

from .gaps import censor_signs, reported_zeros
from .series import series_rows


def uln_crossings(
    measurements, *, marker, uln, max_gap_days, specimen=None
) -> list[pd.Timestamp]:
    """Return when a series' line falls below its upper limit, interpolated.

    Only consecutive measured results that the figure joins (no censored result,
    no gap longer than ``max_gap_days``, one specimen: ``specimen``, needed when
    the marker's results are in several) are used, and the crossing is
    interpolated on ln(value), as the log axis draws the line. A result reported
    as 0 is below any limit, but has no logarithm to interpolate on (and no line
    is drawn to it): a fall from above the limit to a 0 crosses on the day of
    the 0, the first day the marker is known to be below it.
    """
    rows = series_rows(measurements, marker=marker, specimen=specimen)
    rows = rows.sort_values("date")
    censored = censor_signs(rows) != ""
    zeros = reported_zeros(rows)
    dates, values = rows["date"].to_list(), rows["value"].to_numpy(dtype=float)
    crossings = []
    for i in range(len(rows) - 1):
        span = (dates[i + 1] - dates[i]).total_seconds() / 86400
        if censored[i] or censored[i + 1] or span > max_gap_days:
            continue
        if values[i] > uln and zeros[i + 1]:
            crossings.append(dates[i + 1])
        elif values[i] > uln >= values[i + 1]:
            share = (math.log(values[i]) - math.log(uln)) / (
                math.log(values[i]) - math.log(values[i + 1])
            )
            crossings.append(dates[i] + pd.Timedelta(days=share * span))
    return crossings
