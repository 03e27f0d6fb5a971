"""What a case figure may be asked for: one typed value, shared by every caller."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np
import pandas as pd

from ..core.case import TIME_AXES
from ..core.dates import time_position
from ..core.errors import InputError
from ..reading.settings.figure_choices import (
    check_legend_position,
    check_marker_style,
    check_panel,
)
from ..reading.settings.limits import read_limit_options
from .journals import DEFAULT_PRESET, journal_preset

if TYPE_CHECKING:
    from ..core.types import DateLike


@dataclass(frozen=True)
class FigureOptions:
    """Options of :func:`plotting.plot_case`, checked when made.

    ``plot_case``, ``render_cohort`` and the command line all take this value, so a
    new option is added here once.

    Attributes
    ----------
    markers : tuple of str, optional
        Markers to draw, in order; defaults to the case's markers.
    preset : {"single", "1.5", "double"}
        Journal width: 89, 140 or 174 mm.
    width_mm, trend_height_in : float, optional
        Override the preset's width and trend panel height.
    time_axis : {"calendar", "since-diagnosis", "both"}, optional
        Calendar years, years since the case's time origin, or calendar years with
        years since the origin on top; defaults to the case's ``[time] axis``.
    start, end : Timestamp, float or str, optional
        Show only this window; results, treatments and events outside it are left
        out. Dates, or for a case of relative times numbers of its unit since the
        origin (``start=-1, end=6``: months -1 to 6).
    title : str, optional
        A title above the figure (journals usually want none).
    show_events : bool
        Draw the case's events (diagnosis, recurrences, follow-up) as a lane.
    kinetics : tuple, optional
        Windows to fit and draw with their half-life or doubling time: treatment
        labels (the fall to the nadir after it, or the rise from the nadir) or
        ``(start, end)`` pairs. Windows a marker has too few results in are skipped;
        poor fits (R² below 0.8 or a change of direction) are left out with a
        warning.
    show_poor_fits : bool
        Draw poor fits too, labelled "poor fit".
    response : tuple of str, optional
        Treatment labels whose percent change from baseline to nadir is written.
    uln_crossings : bool
        Mark where each marker's line falls below its upper reference limit.
    marker_styles : mapping, optional
        Marker name to its ``color`` (``"#d62728"``, ``"navy"``), ``symbol``
        (matplotlib marker: ``o s D d < > p h H 8 * P X``) and ``linestyle``
        (``- -- : -.``), over the case's ``[markers.X]`` choices and the house
        defaults; keys left out keep theirs.
    legend : str, optional
        ``"above"`` the trend panel, inside it (``"upper right"``, ``"upper
        left"``, ``"lower right"``, ``"lower left"``), ``"outside right"`` of it,
        ``"below"`` the figure, or ``"none"``; defaults to the case's ``[figure]
        legend``, else above.
    panel : str, optional
        A panel letter (``"A"``) drawn bold at the figure's top left.
    shade : tuple of str, optional
        Courses shaded across the trend panel, by treatment kind (``"radiotherapy"``,
        ``"targeted therapy"``), lane (``"RT"``, ``"Systemic"``) or label;
        ``("all",)`` shades every course, ``()`` none. Defaults to the case's
        ``[figure] shade``, else the RT lane (radiotherapy, SBRT, brachytherapy).
    limits : mapping, optional
        Per marker, ``uln`` (a number, or False to draw none) and ``thresholds``
        (as under ``[markers.X]`` in case.toml), replacing the case's: e.g.
        ``{"PSA": {"uln": False, "thresholds": ["psa-bcr-prostatectomy"]}}``.
    rc : mapping, optional
        rcParams overriding the house style.

    Examples
    --------
    >>> FigureOptions(markers=["AFP"], preset="single").markers
    ('AFP',)
    >>> FigureOptions(marker_styles={"AFP": {"color": "Navy"}}).marker_styles
    {'AFP': {'color': 'navy'}}
    """

    markers: tuple[str, ...] | None = None
    preset: str = DEFAULT_PRESET
    width_mm: float | None = None
    trend_height_in: float | None = None
    time_axis: str | None = None
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    title: str | None = None
    show_events: bool = True
    kinetics: tuple = ()
    show_poor_fits: bool = False
    response: tuple[str, ...] = ()
    uln_crossings: bool = False
    marker_styles: Mapping | None = None
    legend: str | None = None
    panel: str | None = None
    shade: tuple[str, ...] | None = None
    limits: Mapping | None = field(default=None, compare=False)
    rc: Mapping | None = field(default=None, compare=False)

    def __post_init__(self):
        journal_preset(self.preset)
        if self.time_axis is not None and self.time_axis not in TIME_AXES:
            raise InputError(
                f"time_axis must be one of {', '.join(TIME_AXES)}, "
                f"not {self.time_axis!r}"
            )
        for name in ("width_mm", "trend_height_in"):
            value = getattr(self, name)
            # True is an int to Python, and would be a 1 mm figure.
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 < value < 1000
            ):
                raise InputError(
                    f"{name} must be a number above 0 and below 1000, not {value!r}"
                )
        normalised = {
            "markers": None if self.markers is None else _strings(self.markers),
            "start": _timestamp(self.start, "start"),
            "end": _timestamp(self.end, "end"),
            "kinetics": tuple(self.kinetics or ()),
            "response": _strings(self.response or ()),
            "marker_styles": _marker_styles(self.marker_styles),
            "legend": None
            if self.legend is None
            else check_legend_position(self.legend),
            "panel": None if self.panel is None else check_panel(self.panel),
            "shade": None if self.shade is None else _strings(self.shade),
        }
        if self.limits is not None:
            normalised["limits"] = read_limit_options(self.limits)
        for name, value in normalised.items():
            object.__setattr__(self, name, value)
        bounds = (self.start, self.end)
        if {type(b) for b in bounds} <= {str, float}:
            # Numbers, or years written as numbers (2015): ordered alike either way.
            # Equal ones are a whole year, or a window of no length that the case
            # refuses once it knows which (computing/view.py).
            bounds = tuple(None if b is None else float(b) for b in bounds)
            if None not in bounds and bounds[1] < bounds[0]:
                raise InputError(
                    f"the window must end after it starts ({self.start} to {self.end})"
                )
            bounds = (None, None)
        same_kind = len({type(b) for b in bounds}) == 1
        if None not in bounds and same_kind and bounds[1] <= bounds[0]:
            if isinstance(bounds[0], float):
                raise InputError(
                    f"the window must end after it starts ({self.start} to {self.end})"
                )
            raise InputError(
                f"the window must end after it starts ({self.start:%Y-%m-%d} to "
                f"{self.end:%Y-%m-%d})"
            )

    @property
    def width_in(self) -> float:
        """The figure's width in inches."""
        return (self.width_mm or journal_preset(self.preset).width_mm) / 25.4

    @property
    def trend_in(self) -> float:
        """The trend panel's height in inches."""
        return self.trend_height_in or journal_preset(self.preset).trend_height_in


class FigureChanges(TypedDict, total=False):
    """The keywords of :func:`plotting.plot_case`: :class:`FigureOptions`' fields,
    with what each accepts before it is checked (a list for a tuple, a date as
    text). Type checkers refuse an unknown keyword or a value of the wrong type;
    tests/test_typing.py keeps these keys equal to the fields."""

    markers: Sequence[str] | None
    preset: str
    width_mm: float | None
    trend_height_in: float | None
    time_axis: str | None
    start: DateLike | float | None
    end: DateLike | float | None
    title: str | None
    show_events: bool
    kinetics: Sequence[Any]
    show_poor_fits: bool
    response: Sequence[str]
    uln_crossings: bool
    marker_styles: Mapping[str, Mapping[str, Any]] | None
    legend: str | None
    panel: str | None
    shade: Sequence[str] | None
    limits: Mapping[str, Any] | None
    rc: Mapping[str, Any] | None


def _strings(values) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    return tuple(str(v) for v in values)


def _marker_styles(styles) -> dict | None:
    if styles is None:
        return None
    if not isinstance(styles, Mapping):
        raise InputError(
            "marker_styles must map marker names to styles, such as "
            '{"AFP": {"color": "navy", "symbol": "s"}}'
        )
    checked = {}
    for name, style in styles.items():
        try:
            checked[str(name)] = check_marker_style(style)
        except InputError as err:
            raise InputError(f"marker_styles[{name!r}]: {err}") from None
    return checked


def _timestamp(value, bound: str):
    """Return a window bound: a Timestamp, or a float (a relative time).

    A date written to the month or the year names all of it: its first day as
    the ``start``, its last as the ``end`` (:func:`plotting.core.dates.time_position`).
    """
    if value is None:
        return None
    if isinstance(value, int | float | np.number) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and re.fullmatch(
        r"[+\-\u2212]?\d+(\.\d+)?", value.strip()
    ):
        # 2006 (a year) or 3 (months since the origin): the case decides.
        return value.strip().replace("\u2212", "-")
    try:
        return time_position(value, None, end=bound == "end")
    except (ValueError, TypeError) as err:
        raise InputError(f"{bound} {value!r}: {err}") from None
