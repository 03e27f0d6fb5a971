"""Time axes: calendar years, years since the time origin, or both."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator

from ..computing.timeline import DAYS_PER_YEAR, year_step


def set_calendar_ticks(ax, *, label_in: float = 0.42, step: int | None = None):
    """Tick whole years (every 1, 2, 5... as the width allows) or, on a short span,
    months and years; ``step`` fixes the years between ticks."""
    left, right = ax.get_xlim()
    width_in = ax.bbox.width / ax.figure.dpi
    if right - left >= 4 * DAYS_PER_YEAR:
        step = step or year_step(right - left, width_in, label_in)
        ax.xaxis.set_major_locator(mdates.YearLocator(base=step))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        locator = mdates.AutoDateLocator(
            minticks=3, maxticks=max(3, int(width_in / 0.6))
        )
        # Spans of 2-3 years on a narrow axis need yearly ticks among the monthly
        # steps; without 12, the locator warns and falls back to 6 months.
        locator.intervald[mdates.MONTHLY] = [1, 2, 3, 4, 6, 12]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def set_years_since_ticks(
    axis, origin, *, width_in: float, label_in: float = 0.3, step: int | None = None
):
    """Tick an x axis in whole years since ``origin`` (the axis holds date numbers)."""
    zero = mdates.date2num(pd.Timestamp(origin))
    low, high = sorted(axis.get_view_interval())
    step = step or year_step(high - low, width_in, label_in)
    first = np.ceil((low - zero) / DAYS_PER_YEAR / step) * step
    years = np.arange(first, (high - zero) / DAYS_PER_YEAR + 1e-9, step)
    axis.set_major_locator(FixedLocator(zero + years * DAYS_PER_YEAR))
    axis.set_major_formatter(
        FuncFormatter(lambda x, _: f"{round((x - zero) / DAYS_PER_YEAR):g}")
    )


def add_years_since_axis(
    ax, origin, *, label: str, width_in: float, step: int | None = None
):
    """Add a top axis in years since ``origin`` above a calendar-time Axes."""
    zero = mdates.date2num(pd.Timestamp(origin))
    top = ax.secondary_xaxis(
        "top",
        functions=(
            lambda x: (x - zero) / DAYS_PER_YEAR,
            lambda y: y * DAYS_PER_YEAR + zero,
        ),
    )
    low, high = ax.get_xlim()
    step = step or year_step(high - low, width_in, 0.3)
    top.xaxis.set_major_locator(MultipleLocator(step))
    top.xaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g}"))
    top.set_xlabel(label)
    return top
