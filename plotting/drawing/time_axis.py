"""Time axes: calendar years, time since the time origin, or both."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator

from ..computing.timeline import DAYS_PER_YEAR, RELATIVE_UNITS, year_step


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
        locator = _month_locator(width_in)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _month_locator(width_in: float) -> mdates.AutoDateLocator:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=max(3, int(width_in / 0.6)))
    # Spans of 2-3 years on a narrow axis need yearly ticks among the monthly
    # steps; without 12, the locator warns and falls back to 6 months.
    locator.intervald[mdates.MONTHLY] = [1, 2, 3, 4, 6, 12]
    return locator


def calendar_offset(xlim, width_in: float) -> str:
    """Return what a calendar axis of ``set_calendar_ticks`` writes under its
    tick labels: the year of month ticks that name no January, else ``""``.

    The figure's layout leaves room for it before anything is drawn.
    """
    left, right = xlim
    if right - left >= 4 * DAYS_PER_YEAR:
        return ""
    locator = _month_locator(width_in)
    ticks = locator.tick_values(mdates.num2date(left), mdates.num2date(right))
    formatter = mdates.ConciseDateFormatter(locator)
    formatter.format_ticks(ticks)
    return formatter.get_offset()


def set_years_since_ticks(
    axis, origin, *, width_in: float, label_in: float = 0.3, step: int | None = None
):
    """Tick an x axis in whole years since ``origin`` (the axis holds date numbers)."""
    low, high = sorted(axis.get_view_interval())
    step = step or year_step(high - low, width_in, label_in)
    set_time_since_ticks(axis, origin, unit="years", step=step)


def set_time_since_ticks(axis, origin, *, unit: str, step: int):
    """Tick an x axis every ``step`` ``unit`` since ``origin``, labelled in that unit.

    Parameters
    ----------
    axis : XAxis
        An axis holding date numbers.
    origin : datetime-like
        Where 0 is.
    unit : {"days", "weeks", "months", "years"}
    step : int
        Units between ticks (see :func:`plotting.computing.timeline.since_ticks`).
    """
    zero = mdates.date2num(pd.Timestamp(origin))
    length = RELATIVE_UNITS[unit]
    low, high = sorted(axis.get_view_interval())
    first = np.ceil((low - zero) / length / step - 1e-9) * step
    values = np.arange(first, (high - zero) / length + 1e-9, step)
    axis.set_major_locator(FixedLocator(zero + values * length))
    axis.set_major_formatter(
        FuncFormatter(lambda x, _: f"{round((x - zero) / length, 6):g}")
    )


def add_years_since_axis(
    ax, origin, *, label: str, width_in: float, step: int | None = None
):
    """Add a top axis in years since ``origin`` above a calendar-time Axes."""
    low, high = ax.get_xlim()
    step = step or year_step(high - low, width_in, 0.3)
    return add_time_since_axis(ax, origin, label=label, unit="years", step=step)


def add_time_since_axis(ax, origin, *, label: str, unit: str, step: int):
    """Add a top axis in ``unit`` since ``origin`` above a calendar-time Axes."""
    zero = mdates.date2num(pd.Timestamp(origin))
    length = RELATIVE_UNITS[unit]
    top = ax.secondary_xaxis(
        "top",
        functions=(lambda x: (x - zero) / length, lambda y: y * length + zero),
    )
    top.xaxis.set_major_locator(MultipleLocator(step))
    top.xaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{round(y, 6):g}"))
    top.set_xlabel(label)
    return top
