"""Axes-level annotations on a trend panel: kinetics, response, limit crossings."""

from __future__ import annotations

import warnings

import matplotlib.dates as mdates
import numpy as np

from ..computing.kinetics import poor_fit_message
from .axes import current_axes
from .measure import literal
from .style import ANNOTATION_SIZE

NUDGE_LIMIT = 30


def add_kinetics_fit(
    fit,
    *,
    ax=None,
    color="#222222",
    show_poor_fit=False,
    text_kws=None,
    **kwargs,
):
    """Draw a fitted log-linear segment over its window, labelled with its rate.

    A poor fit (R² below 0.8, or a series that changes direction in the window:
    :attr:`~plotting.computing.kinetics.Kinetics.poor_fit`) is not drawn unless
    ``show_poor_fit`` is true; a warning names the marker, the window and R². When
    drawn on request, its label says "poor fit". Rates from dates known to the
    month or less are rounded and marked ``≈`` (``Kinetics.describe``).

    Parameters
    ----------
    fit : Kinetics
        As :func:`plotting.computing.kinetics.fit_kinetics` returns.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    color : color
        Line and label color.
    show_poor_fit : bool
        Draw the fit even when it is poor.
    text_kws : dict, optional
        Passed to ``Axes.annotate`` for the label.
    **kwargs
        Passed to ``Axes.plot`` for the segment.

    Returns
    -------
    Axes
    """
    ax = current_axes() if ax is None else ax
    if fit.poor_fit and not show_poor_fit:
        warnings.warn(poor_fit_message(fit), UserWarning, stacklevel=2)
        return ax
    first, last = fit.dates[0], fit.dates[-1]
    days = np.array([0.0, (last - first).total_seconds() / 86400])
    values = np.exp(
        np.log(fit.values).mean()
        + fit.slope_per_day
        * (days - np.mean([(d - first).total_seconds() / 86400 for d in fit.dates]))
    )
    x = mdates.date2num([first, last])
    style = {
        "linestyle": (0, (3, 1.5)),
        "linewidth": 0.9,
        "color": color,
        "zorder": 2.5,
        **kwargs,
    }
    ax.plot(x, values, gid=f"kinetics-fit:{fit.marker}", **style)
    details = [f"R² {fit.r_squared:.2f}", f"n={len(fit.values)}"]
    details = [] if fit.apparent else details
    details += ["poor fit"] if fit.poor_fit else []
    label = literal(f"{fit.name} {fit.describe()}")
    if details:
        label += f" ({', '.join(details)})"
    middle = (x[0] + x[1]) / 2, float(np.sqrt(values[0] * values[1]))
    # Left of a falling segment (right of a rising one) lies the side without data.
    side = {"ha": "right", "xytext": (-6, 0)} if fit.slope_per_day < 0 else {}
    _annotate(
        ax,
        label,
        middle,
        color,
        "kinetics-label",
        {"va": "center", **side, **(text_kws or {})},
    )
    return ax


def add_percent_change(response, *, ax=None, color="#222222", text_kws=None):
    """Write a response's percent change from baseline next to its nadir.

    Parameters
    ----------
    response : Response
        As :func:`plotting.computing.response.assess_response` returns; one
        without a nadir draws nothing. A nadir of 0 on a log axis is labelled
        at the axis floor, where it is drawn.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    color : color
        Text color.
    text_kws : dict, optional
        Passed to ``Axes.annotate``.

    Returns
    -------
    Axes
    """
    ax = current_axes() if ax is None else ax
    if response.nadir is None:
        return ax
    sign = "≤ " if response.nadir_censored else ""
    # Typographic minus sign, as journals print it.
    change = percent_text(response.percent_change).replace("-", "\u2212")
    # A marker's two series share a color: the text names which one it is.
    series = f"{response.series}: " if response.series else ""
    label = literal(f"{series}{sign}{change} vs baseline\nafter {response.treatment}")
    point = (mdates.date2num(response.nadir_date), response.nadir)
    if response.nadir == 0 and ax.get_yscale() == "log":
        # A nadir of 0 stands on the axis floor (plot_marker_trend): so does
        # its label, wherever the y limits end up.
        point = (point[0], 0.0)
        text_kws = {"xycoords": ("data", "axes fraction"), **(text_kws or {})}
    _annotate(ax, label, point, color, "percent-change", text_kws)
    return ax


def percent_text(change: float) -> str:
    """Return a percent change with as many decimals as keep it honest.

    One decimal, or more where rounding would claim a change of exactly 100%
    (a fall of 99.991% is "-99.991%", never "-100.0%").
    """
    for decimals in range(1, 6):
        text = f"{change:+.{decimals}f}"
        if abs(float(text)) != 100.0 or abs(change) == 100.0:
            return text + "%"
    return f"{change:+.6g}%"


def add_uln_crossings(dates, uln, *, ax=None, color="#222222", label=None):
    """Mark where a marker falls below its upper limit with a tick on the limit line.

    Parameters
    ----------
    dates : sequence of datetime-like
        As :func:`plotting.computing.crossings.uln_crossings` returns.
    uln : float
        The limit.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    color : color
        Tick color.
    label : str, optional
        Legend label of the ticks.

    Returns
    -------
    Axes
    """
    ax = current_axes() if ax is None else ax
    if len(dates):
        ax.plot(
            mdates.date2num(list(dates)),
            [uln] * len(dates),
            marker="|",
            markersize=10,
            markeredgewidth=1.6,
            color=color,
            linestyle="none",
            zorder=4,
            gid="uln-crossing",
            label=label or "_nolegend_",
        )
    return ax


def _annotate(ax, label, point, color, gid, text_kws):
    style = {
        "fontsize": ANNOTATION_SIZE,
        "color": color,
        "ha": "left",
        "va": "bottom",
        "textcoords": "offset points",
        "xytext": (5, 3),
        "zorder": 5,
        **(text_kws or {}),
    }
    text = ax.annotate(label, point, gid=gid, **style)
    _nudge_clear(ax, text)
    return text


def _nudge_clear(ax, text):
    """Move a new annotation up and down in 6-pt steps until it clears other text.

    It clears the drawn lines too where it can. When no step clears it on its own
    side of the point, the other side is tried (a nadir at the right edge of the
    panel gets its label on the left); failing that, it clears the other texts only,
    and when nothing clears, it at least stays inside the axes if either side allows.
    """
    others = [t.get_window_extent() for t in ax.texts if t is not text]
    lines = [_drawn_path(line) for line in ax.get_lines()]
    dx, dy = text.xyann
    align = text.get_horizontalalignment()
    sides = [(align, dx), ({"left": "right", "right": "left"}.get(align, align), -dx)]
    offsets = [0] + [
        (step // 2 + 1) * 6 * (1 if step % 2 == 0 else -1)
        for step in range(NUDGE_LIMIT - 2)
    ]

    def place(side, x, offset):
        text.set_horizontalalignment(side)
        text.xyann = (x, dy + offset)
        box = text.get_window_extent()
        inside = ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1)
        return inside, box

    for side, x in sides:
        for offset in offsets:
            inside, box = place(side, x, offset)
            if (
                inside
                and not any(box.overlaps(other) for other in others)
                and not any(crosses(box) for crosses in lines)
            ):
                return
    # Nothing clears lines too: clear the other texts at least, inside the axes.
    for side, x in sides:
        for offset in offsets:
            inside, box = place(side, x, offset)
            if inside and not any(box.overlaps(other) for other in others):
                return
    for side, x in sides:
        if place(side, x, 0)[0]:
            return
    place(align, dx, 0)


def _drawn_path(line):
    """Return a test of whether a box crosses a line's segments or its symbols."""
    path = line.get_transform().transform_path(line.get_path())
    joined = line.get_linestyle() not in ("None", "", " ") and len(path.vertices) > 1
    # Symbols reach half their size (points) beyond their centre.
    reach = line.get_markersize() / 2 * line.figure.dpi / 72
    points = path.vertices if line.get_marker() not in (None, "None", "", " ") else ()

    def crosses(box):
        if joined and path.intersects_bbox(box, filled=False):
            return True
        grown = box.expanded(1, 1).padded(reach)
        return any(grown.contains(x, y) for x, y in points)

    return crosses
