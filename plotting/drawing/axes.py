"""Axes helpers shared by the drawing functions: defaults, date and log scales."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
from matplotlib.ticker import Formatter, LogLocator


def current_axes():
    """Return pyplot's current Axes (imported only when no Axes is given)."""
    import matplotlib.pyplot as plt

    return plt.gca()


def next_color(ax):
    """Return the next color of an Axes' property cycle, advancing it."""
    (probe,) = ax.plot([], [])
    color = probe.get_color()
    probe.remove()
    return color


def use_date_axis(ax):
    """Give an x axis date ticks with concise labels, unless it already has them."""
    date_formatters = (
        mdates.DateFormatter,
        mdates.ConciseDateFormatter,
        mdates.AutoDateFormatter,
    )
    if not isinstance(ax.xaxis.get_major_formatter(), date_formatters):
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


class PlainLogFormatter(Formatter):
    """Label log ticks as plain numbers (1, 10, 1,000), never as powers of ten.

    Minor ticks at 2 and 5 times a power of ten are labelled only when the axis spans
    less than ``minor_below_decades``, so a narrow axis still has several labels.
    """

    def __init__(self, *, minor: bool = False, minor_below_decades: float = 1.5):
        self.minor = minor
        self.minor_below_decades = minor_below_decades

    def __call__(self, x, pos=None):
        if x <= 0:
            return ""
        if self.minor:
            low, high = sorted(self.axis.get_view_interval())
            if low <= 0 or np.log10(high / low) >= self.minor_below_decades:
                return ""
            if round(x / 10.0 ** np.floor(np.log10(x) + 1e-9)) not in (2, 5):
                return ""
        return f"{x:,.10g}"


def use_log_axis(ax):
    """Put the y axis on a log scale labelled with plain numbers."""
    if ax.get_yscale() != "log":
        ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10))
    ax.yaxis.set_major_formatter(PlainLogFormatter())
    ax.yaxis.set_minor_formatter(PlainLogFormatter(minor=True))
