"""What a case figure may be asked for: one typed value, shared by every caller."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..reading.case import TIME_AXES
from ..reading.errors import InputError
from ..reading.thresholds import read_limit_options
from .presets import DEFAULT_PRESET, preset_named


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
    start, end : Timestamp, optional
        Show only this window; results, treatments and events outside it are left
        out.
    title : str, optional
        A title above the figure (journals usually want none).
    show_events : bool
        Draw the case's events (diagnosis, recurrences, follow-up) as a lane.
    kinetics : tuple, optional
        Windows to fit and draw with their half-life or doubling time: treatment
        labels (from the baseline before it to the next treatment) or ``(start,
        end)`` pairs. Windows a marker has too few results in are skipped.
    response : tuple of str, optional
        Treatment labels whose percent change from baseline to nadir is written.
    uln_crossings : bool
        Mark where each marker's line falls below its upper reference limit.
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
    response: tuple[str, ...] = ()
    uln_crossings: bool = False
    limits: Mapping | None = field(default=None, compare=False)
    rc: Mapping | None = field(default=None, compare=False)

    def __post_init__(self):
        preset_named(self.preset)
        if self.time_axis is not None and self.time_axis not in TIME_AXES:
            raise InputError(
                f"time_axis must be one of {', '.join(TIME_AXES)}, "
                f"not {self.time_axis!r}"
            )
        for name in ("width_mm", "trend_height_in"):
            value = getattr(self, name)
            if value is not None and not (
                isinstance(value, int | float) and 0 < value < 1000
            ):
                raise InputError(f"{name} must be a number above 0, not {value!r}")
        normalised = {
            "markers": None if self.markers is None else _strings(self.markers),
            "start": _timestamp(self.start),
            "end": _timestamp(self.end),
            "kinetics": tuple(self.kinetics or ()),
            "response": _strings(self.response or ()),
        }
        if self.limits is not None:
            normalised["limits"] = read_limit_options(self.limits)
        for name, value in normalised.items():
            object.__setattr__(self, name, value)
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise InputError(
                f"the window must end after it starts ({self.start:%Y-%m-%d} to "
                f"{self.end:%Y-%m-%d})"
            )

    @property
    def width_in(self) -> float:
        """The figure's width in inches."""
        return (self.width_mm or preset_named(self.preset).width_mm) / 25.4

    @property
    def trend_in(self) -> float:
        """The trend panel's height in inches."""
        return self.trend_height_in or preset_named(self.preset).trend_height_in


def _strings(values) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    return tuple(str(v) for v in values)


def _timestamp(value):
    return None if value is None else pd.Timestamp(value)
