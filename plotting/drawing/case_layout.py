"""The layout of a case figure, computed from the case and options before drawing.

Every size, tick step, legend column count and track label row is worked out here
(text is measured, nothing is drawn); :mod:`plotting.drawing.case_figure` then draws
exactly this layout, as matplotlib-venn computes a layout first and then renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from ..computing.kinetics import KineticsError, fit_kinetics, treatment_window
from ..computing.kinetics import uln_crossings as find_uln_crossings
from ..computing.response import Criterion, assess_response
from ..computing.thresholds import marker_limits
from ..computing.timeline import year_step
from ..computing.track_layout import TrackLayout, layout_track, track_items
from ..computing.view import View, select_view
from ..reading.errors import InputError
from .legend import LegendEntry, data_key_entries, legend_columns
from .measure import check_glyphs, measure_texts, widest
from .options import FigureOptions
from .style import (
    ANNOTATION_SIZE,
    DEFAULT_LINESTYLES,
    DEFAULT_MARKER_COLORS,
    DEFAULT_MARKER_SYMBOLS,
    OKABE_ITO,
)
from .trend import GAP_LINK_STYLE

# Margins in inches; fixed, so the label layout measured before drawing holds.
LEFT_IN, RIGHT_IN, RIGHT_AXIS_IN = 0.78, 0.12, 0.72
TOP_PAD_IN, GAP_IN, CALENDAR_LABELS_IN, AXIS_LABEL_IN = 0.04, 0.06, 0.26, 0.17
NOTE_LINE_IN = 0.14
TITLE_SIZE = 8.0
# Percent change only: any change counts, so no criterion decides what is drawn.
PERCENT_CHANGE = Criterion("percent change", 0.0, window_days=(1.0, 365.0))


@dataclass(frozen=True)
class MarkerStyle:
    """How one marker is drawn: its axis side, color, symbol and line style."""

    side: str
    color: str
    symbol: str
    linestyle: object


@dataclass(frozen=True)
class CaseLayout:
    """Everything a case figure needs to be drawn, in inches and data values.

    Attributes
    ----------
    markers : tuple of str
        Markers drawn, in order, each with its :class:`MarkerStyle` in ``styles``.
    time_axis : str
        ``calendar``, ``since-diagnosis`` or ``both``.
    view : View
        The rows and x limits shown.
    width, height : float
        Figure size.
    left, axes_width : float
        Left margin (room for the lane titles) and width of the panels.
    trend_height, track_height, bottom, title_height, legend_height, top_axis_height
        Heights of the stacked parts, bottom to top.
    legend : tuple of LegendEntry
        Legend entries, drawn in ``legend_columns`` columns.
    track : TrackLayout
        The treatment track's lanes, marks and label positions.
    calendar_step, since_step : int
        Years between calendar ticks (on spans of 4 years or more) and between
        ticks of time since the origin.
    notes : tuple of str
        Notes printed below the figure (unit conversions).
    fits, responses, crossings : tuple
        Kinetics fits, responses and ULN crossings to draw, per marker.
    limits : tuple of Limit
        Upper reference limits and thresholds, with their values in the drawn
        units (:func:`plotting.computing.thresholds.marker_limits`).
    """

    markers: tuple[str, ...]
    styles: dict
    time_axis: str
    view: View
    width: float
    height: float
    left: float
    axes_width: float
    trend_height: float
    track_height: float
    bottom: float
    title_height: float
    legend_height: float
    top_axis_height: float
    legend: tuple[LegendEntry, ...]
    legend_columns: int
    track: TrackLayout
    calendar_step: int
    since_step: int
    notes: tuple[str, ...]
    fits: tuple
    responses: tuple
    crossings: tuple
    limits: tuple = ()

    @property
    def right_axis(self) -> bool:
        """Whether a marker is drawn on a right-hand y axis."""
        return any(style.side == "right" for style in self.styles.values())

    def trend_rect(self) -> tuple[float, float, float, float]:
        """Return the trend panel's left, bottom, width and height as fractions."""
        bottom = self.bottom + self.track_height + GAP_IN
        return self._rect(bottom, self.trend_height)

    def track_rect(self) -> tuple[float, float, float, float]:
        """Return the track's left, bottom, width and height as fractions."""
        return self._rect(self.bottom, self.track_height)

    def _rect(self, bottom, height):
        return (
            self.left / self.width,
            bottom / self.height,
            self.axes_width / self.width,
            height / self.height,
        )


def compute_case_layout(case, options: FigureOptions, *, dpi: float) -> CaseLayout:
    """Lay out a case figure for ``options`` on a figure of resolution ``dpi``.

    Raises
    ------
    ValueError
        For markers the case does not have, or a window that ends before it starts.
    """
    markers = _markers(case, options)
    time_axis = options.time_axis or case.time_axis
    view = select_view(
        case,
        markers,
        start=options.start,
        end=options.end,
        show_events=options.show_events,
    )
    styles = {name: _style(case, name, n) for n, name in enumerate(markers)}
    width = options.width_in
    left = max(LEFT_IN, widest(view.lanes, dpi=dpi, size=ANNOTATION_SIZE + 0.5) + 0.16)
    right = RIGHT_AXIS_IN if any(s.side == "right" for s in styles.values()) else 0
    axes_width = width - left - (right or RIGHT_IN)
    items = track_items(view.treatments, view.events)
    check_glyphs(view.lanes, what="lane")
    check_glyphs(items["label"], what="track label")
    check_glyphs([options.title or "", *case.notes, *markers], what="text")
    track = layout_track(
        items,
        view.lanes,
        xlim=view.xlim,
        width_in=axes_width,
        sizes_in=measure_texts(items["label"], dpi=dpi),
    )
    span = view.xlim[1] - view.xlim[0]
    crossings = _uln_crossings(case, view, markers) if options.uln_crossings else ()
    legend = _legend_entries(case, view, markers, styles, crossings)
    limits = tuple(
        limit
        for name in markers
        for limit in marker_limits(
            _with_limit_options(case.markers[name], options.limits),
            case.measurements,
            case.treatments,
        )
    )
    check_glyphs([limit.label for limit in limits], what="threshold label")
    ncol, legend_height = legend_columns(legend, width_in=axes_width, dpi=dpi)
    trend_height = options.trend_in
    top_axis = CALENDAR_LABELS_IN + AXIS_LABEL_IN if time_axis == "both" else 0.0
    notes = tuple(n for n in case.notes if n.split(":")[0] in markers)
    bottom = CALENDAR_LABELS_IN + len(notes) * NOTE_LINE_IN
    bottom += AXIS_LABEL_IN if time_axis == "since-diagnosis" else 0.0
    title = options.title
    title_height = (
        widest([title], dpi=dpi, size=TITLE_SIZE, height=True) + 0.06 if title else 0
    )
    track_height = max(track.height, 0.05)
    height = (
        TOP_PAD_IN
        + title_height
        + legend_height
        + top_axis
        + trend_height
        + GAP_IN
        + track_height
        + bottom
    )
    return CaseLayout(
        markers=markers,
        styles=styles,
        time_axis=time_axis,
        view=view,
        width=width,
        height=height,
        left=left,
        axes_width=axes_width,
        trend_height=trend_height,
        track_height=track_height,
        bottom=bottom,
        title_height=title_height,
        legend_height=legend_height,
        top_axis_height=top_axis,
        legend=tuple(legend),
        legend_columns=ncol,
        track=track,
        calendar_step=year_step(span, axes_width, 0.42),
        since_step=year_step(span, axes_width, 0.3),
        notes=notes,
        fits=_fits(case, view, markers, options.kinetics),
        responses=_responses(case, markers, options.response),
        crossings=crossings,
        limits=limits,
    )


def _markers(case, options) -> tuple[str, ...]:
    markers = tuple(case.markers) if options.markers is None else options.markers
    unknown = [m for m in markers if m not in case.markers]
    if unknown:
        raise InputError(
            f"markers {unknown} are not in this case; choose from {list(case.markers)}"
        )
    return markers


def _with_limit_options(marker, limits):
    """Return the marker with ``FigureOptions.limits`` applied to it."""
    chosen = (limits or {}).get(marker.name)
    if not chosen:
        return marker
    changes = {}
    if "uln" in chosen:
        changes["uln"] = None if chosen["uln"] is False else float(chosen["uln"])
    if "thresholds" in chosen:
        changes["thresholds"] = tuple(
            t if t.unit else replace(t, unit=marker.unit) for t in chosen["thresholds"]
        )
    return replace(marker, **changes)


def _style(case, name, number) -> MarkerStyle:
    palette = list(OKABE_ITO.values())
    return MarkerStyle(
        side=case.axes.get(name, "left"),
        color=DEFAULT_MARKER_COLORS.get(name, palette[number % len(palette)]),
        symbol=DEFAULT_MARKER_SYMBOLS[number % len(DEFAULT_MARKER_SYMBOLS)],
        linestyle=DEFAULT_LINESTYLES[number % len(DEFAULT_LINESTYLES)],
    )


def _legend_entries(case, view, markers, styles, crossings) -> list[LegendEntry]:
    """Return entries in drawing order: left axis first, then the right axis."""
    drawn = set(view.measurements["marker"])
    entries = []
    for side in ("left", "right"):
        names = [m for m in markers if styles[m].side == side]
        for name in names:
            if name in drawn:
                style = styles[name]
                entries.append(
                    LegendEntry(
                        f"{name} ({case.markers[name].unit})",
                        {
                            "color": style.color,
                            "linestyle": style.linestyle,
                            "marker": style.symbol,
                            "markerfacecolor": style.color,
                        },
                    )
                )
        for name, dates in crossings:
            if name in names and dates:
                entries.append(
                    LegendEntry(
                        f"{name} falls below ULN", _crossing_style(styles, name)
                    )
                )
    return entries + data_key_entries(
        view.measurements,
        view.treatments,
        max_gap_days=case.max_gap_days,
        link_style=GAP_LINK_STYLE,
    )


def _crossing_style(styles, name) -> dict:
    return {
        "color": styles[name].color,
        "marker": "|",
        "markersize": 10,
        "markeredgewidth": 1.6,
        "linestyle": "none",
    }


def _uln_crossings(case, view, markers) -> tuple:
    return tuple(
        (
            name,
            tuple(
                find_uln_crossings(
                    view.measurements,
                    marker=name,
                    uln=case.markers[name].uln,
                    max_gap_days=case.max_gap_days,
                )
            ),
        )
        for name in markers
        if case.markers[name].uln is not None
    )


def _fits(case, view, markers, windows) -> tuple:
    fits = []
    for name in markers:
        for window in windows:
            if isinstance(window, str):
                start, end = treatment_window(
                    case.measurements,
                    case.treatments,
                    window,
                    marker=name,
                    until=case.last_follow_up,
                )
            else:
                start, end = (pd.Timestamp(w) for w in window)
            try:
                fits.append(
                    fit_kinetics(view.measurements, marker=name, start=start, end=end)
                )
            except KineticsError:
                continue
    return tuple(fits)


def _responses(case, markers, treatments) -> tuple:
    return tuple(
        assess_response(
            case.measurements,
            case.treatments,
            treatment,
            marker=name,
            criterion=PERCENT_CHANGE,
        )
        for name in markers
        for treatment in treatments
    )
