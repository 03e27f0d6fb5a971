"""The layout of a case figure, computed from the case and options before drawing.

Every size, tick step, legend column count and track label row is worked out here
(text is measured, nothing is drawn); :mod:`plotting.drawing.case_figure` then draws
exactly this layout, as matplotlib-venn computes a layout first and then renders it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..computing.series import names_specimen, series_label, series_of, series_rows
from ..computing.timeline import since_axis_label, since_ticks, year_step
from ..computing.track_layout import (
    TrackLayout,
    label_doses,
    layout_track,
    segment_texts,
    track_items,
)
from ..computing.view import View, select_view
from ..core.dates import time_position
from ..core.errors import InputError
from .case_annotations import (
    case_limits,
    crossings_by_marker,
    kinetics_fits,
    percent_changes,
)
from .choices import DEFAULT_SHADE, compute_shade, marker_styles, series_styles
from .legend import LegendEntry, data_key_entries, legend_columns, one_column_width
from .measure import TextError, check_glyphs, measure_texts, widest
from .options import FigureOptions
from .style import ANNOTATION_SIZE
from .time_axis import calendar_offset
from .trend import GAP_LINK_STYLE

# Margins in inches; fixed, so the label layout measured before drawing holds.
LEFT_IN, RIGHT_IN, RIGHT_AXIS_IN = 0.78, 0.12, 0.72
TOP_PAD_IN, GAP_IN, CALENDAR_LABELS_IN, AXIS_LABEL_IN = 0.04, 0.06, 0.26, 0.17
NOTE_LINE_IN = 0.14
CALENDAR_OFFSET_IN = 0.13
# Where a note line starts, as a share of the figure's width.
NOTE_LEFT = 0.01
TITLE_SIZE = 8.0
# The house style's axes.labelsize.
AXIS_LABEL_SIZE = 7.5
# Panel letters: bold, larger than the text, at the figure's top left corner.
PANEL_SIZE = 10.0
PANEL_LEFT_IN = 0.03
# Space between the trend panel (or its right axis labels) and a legend beside it.
LEGEND_GAP_IN = 0.1
DEFAULT_LEGEND = "above"
TICK_LABEL_ROOM_IN = 0.06


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
    calendar_step : int
        Years between calendar ticks (on spans of 4 years or more).
    since_unit, since_step : str, int
        The unit ticks of time since the origin count (``"months"`` on spans
        under 3 years, ``"years"`` beyond, or the unit of a case's relative
        times) and the units between them.
    notes : tuple of str
        The lines of the notes printed below the figure (unit conversions), top
        line first: each note starts with ``Note:`` and is broken between words
        where it would run past the figure's edge.
    fits, responses, crossings : tuple
        Kinetics fits, responses and ULN crossings to draw, per marker.
    legend_position : str
        Where the legend goes (see :class:`FigureOptions`); ``legend_height`` is
        the height it takes above the trend panel or below the figure, and
        ``legend_width`` the width it takes beside the trend panel.
    panel : str or None
        The panel letter drawn at the top left.
    shade : tuple of str
        Treatment kinds, lanes or labels whose courses are shaded.
    limits : tuple of Limit
        Upper reference limits and thresholds, with their values in the drawn
        units (:func:`plotting.computing.limit_values.marker_limits`).
    series : tuple of (str, str)
        The ``(marker, specimen)`` series drawn, in order: a marker measured
        in two specimens has two, never joined.
    series_styles : dict
        Each series' :class:`MarkerStyle`: the marker's for its first series,
        another symbol and line style for each further one.
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
    since_unit: str
    since_step: int
    notes: tuple[str, ...]
    fits: tuple
    responses: tuple
    crossings: tuple
    legend_position: str = DEFAULT_LEGEND
    legend_width: float = 0.0
    panel: str | None = None
    shade: tuple[str, ...] = DEFAULT_SHADE
    limits: tuple = ()
    series: tuple = ()
    series_styles: dict = field(default_factory=dict)

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
    unit = case.time_unit
    if unit is not None and time_axis != "since-diagnosis":
        raise InputError(
            f"time_axis {time_axis!r} needs calendar dates, but this case gives "
            f"times in {unit} since {case.origin_label}; leave time_axis unset"
        )
    try:
        start = time_position(options.start, unit)
        end = time_position(options.end, unit, end=True)
    except ValueError as err:
        raise InputError(f"start/end: {err}") from None
    view = select_view(
        case, markers, start=start, end=end, show_events=options.show_events
    )
    styles = marker_styles(case, markers, options)
    series = series_of(view.measurements, markers)
    drawn_styles = series_styles(styles, series)
    position = options.legend or case.figure.get("legend", DEFAULT_LEGEND)
    width = options.width_in
    left = max(LEFT_IN, widest(view.lanes, dpi=dpi, size=ANNOTATION_SIZE + 0.5) + 0.16)
    right = RIGHT_AXIS_IN if any(s.side == "right" for s in styles.values()) else 0
    crossings = (
        crossings_by_marker(case, view, markers) if options.uln_crossings else ()
    )
    legend = _legend_entries(case, view, markers, drawn_styles, styles, crossings)
    legend_width = 0.0
    if position == "outside right" and legend:
        legend_width = one_column_width(legend, dpi=dpi) + LEGEND_GAP_IN
    axes_width = width - left - (right or RIGHT_IN) - legend_width
    if axes_width < 1.0 and legend_width:
        raise InputError(
            f"the legend beside the panel leaves {axes_width:.1f} in for the data; "
            'choose a wider preset or legend = "above"'
        )
    if axes_width < 1.0:
        raise InputError(
            f"a {width * 25.4:.0f} mm wide figure leaves {axes_width:.2f} in for "
            "the data beside the axis labels, and 1 in is the least; use width_mm "
            f"of at least {math.ceil((width + 1.0 - axes_width) * 25.4)}"
        )
    items = track_items(view.treatments, view.events)
    check_glyphs(view.lanes, what="lane")
    doses = segment_texts(items)
    check_glyphs(doses, what="dose")
    dose_sizes = dict(zip(doses, measure_texts(doses, dpi=dpi), strict=True))
    items = label_doses(
        items, xlim=view.xlim, width_in=axes_width, segment_sizes_in=dose_sizes
    )
    check_glyphs(items["label"], what="track label")
    check_glyphs([options.title or "", *case.notes, *markers], what="text")
    track = layout_track(
        items,
        view.lanes,
        xlim=view.xlim,
        width_in=axes_width,
        sizes_in=measure_texts(items["label"], dpi=dpi),
        segment_sizes_in=dose_sizes,
    )
    span = view.xlim[1] - view.xlim[0]
    since_unit, since_step = since_ticks(span, axes_width, 0.3, unit=unit)
    if time_axis != "calendar":
        _check_since_label(case, since_unit, width, dpi)
    limits = case_limits(case, markers, options.limits)
    check_glyphs([limit.label for limit in limits], what="threshold label")
    _check_limit_labels(limits, axes_width, dpi)
    ncol, legend_height = _legend_size(
        legend, position, axes_width, axes_width + (right or RIGHT_IN), dpi
    )
    trend_height = options.trend_in
    top_axis = CALENDAR_LABELS_IN + AXIS_LABEL_IN if time_axis == "both" else 0.0
    notes = wrap_notes(
        [f"Note: {n}." for n in case.notes if n.split(":")[0] in markers],
        width_in=width * (1 - 2 * NOTE_LEFT),
        dpi=dpi,
    )
    bottom = CALENDAR_LABELS_IN + len(notes) * NOTE_LINE_IN
    bottom += AXIS_LABEL_IN if time_axis == "since-diagnosis" else 0.0
    if time_axis != "since-diagnosis" and calendar_offset(view.xlim, axes_width):
        # A span of months names its year once, under the tick labels.
        bottom += CALENDAR_OFFSET_IN
    if position == "below":
        bottom += legend_height + GAP_IN
    title = options.title
    if title:
        # Drawn from the panel's left edge: it must end inside the figure.
        room = width - left - RIGHT_IN / 2
        title_width = widest([title], dpi=dpi, size=TITLE_SIZE)
        if title_width > room:
            raise InputError(
                f"the title {title!r} is {title_width:.2f} in wide and the figure "
                f"leaves it {room:.2f} in; shorten it, or use a wider figure "
                "(width_mm; on the command line, a wider --preset)"
            )
    panel = options.panel or case.figure.get("panel")
    title_height = (
        widest([title], dpi=dpi, size=TITLE_SIZE, height=True) + 0.06 if title else 0
    )
    if panel:
        check_glyphs([panel], what="panel letter")
        letter = widest([panel], dpi=dpi, size=PANEL_SIZE, height=True) + 0.04
        title_height = max(title_height, letter)
    above = legend_height if position == "above" else 0.0
    # Room for the top tick label's upper half when nothing else is above it.
    above = max(above, TICK_LABEL_ROOM_IN - title_height - top_axis)
    track_height = max(track.height, 0.05)
    height = (
        TOP_PAD_IN
        + title_height
        + above
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
        since_unit=since_unit,
        since_step=since_step,
        notes=notes,
        fits=kinetics_fits(
            case, view, markers, options.kinetics, show_poor_fits=options.show_poor_fits
        ),
        responses=percent_changes(case, markers, options.response),
        crossings=crossings,
        legend_position=position if legend else "none",
        legend_width=legend_width,
        panel=panel,
        shade=compute_shade(case, options),
        limits=limits,
        series=series,
        series_styles=drawn_styles,
    )


# Room a limit label leaves at the panel's edges (its offset from the line end).
LIMIT_LABEL_MARGIN_IN = 0.1


_NUMBER = re.compile(r"[<>=~\u2264\u2265]?[+-]?[\d.,]+")


def wrap_notes(notes, *, width_in: float, dpi: float) -> tuple[str, ...]:
    """Return the lines of ``notes`` broken between words to fit ``width_in``.

    A number stays on the line of the word after it (``1.21 ng/mL``) and an
    equation on one line (``1 IU/mL = 1.21 ng/mL``); a word wider than the line
    is kept whole on its own line: cut, any of them would read otherwise.
    """
    lines = []
    for note in notes:
        words: list[str] = []
        for word in note.split(" "):
            previous = words[-1].rsplit(" ", 1)[-1] if words else None
            if previous is not None and (
                word == "=" or previous == "=" or _NUMBER.fullmatch(previous)
            ):
                words[-1] = f"{words[-1]} {word}"
            else:
                words.append(word)
        line = words[0]
        for word in words[1:]:
            longer = f"{line} {word}"
            if widest([longer], dpi=dpi, size=ANNOTATION_SIZE) <= width_in:
                line = longer
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return tuple(lines)


def _check_limit_labels(limits, axes_width: float, dpi: float) -> None:
    """Refuse a limit label wider than the trend panel: it would be clipped."""
    for limit in limits:
        width = widest([limit.label], dpi=dpi, size=ANNOTATION_SIZE)
        if width > axes_width - LIMIT_LABEL_MARGIN_IN:
            raise InputError(
                f"the {limit.marker} {'ULN' if limit.kind == 'uln' else 'threshold'} "
                f"label {limit.label!r} is {width:.1f} in wide, and the trend panel "
                f'{axes_width:.1f} in; shorten the label (label = "...") or use a '
                "wider figure"
            )


def _check_since_label(case, unit, width, dpi) -> None:
    """Refuse an origin label whose axis label would not fit across the figure."""
    label = since_axis_label(unit, case.origin_label)
    check_glyphs([case.origin_label], what="origin_label")
    if widest([label], dpi=dpi, size=AXIS_LABEL_SIZE) > width - 0.1:
        raise TextError(
            f"[time] origin_label {case.origin_label!r}: the axis label {label!r} is "
            f"wider than the figure ({width * 25.4:.0f} mm); shorten origin_label"
        )


def _legend_size(legend, position, axes_width, room, dpi) -> tuple[int, float]:
    """Return the columns and height of a legend above or below the panel.

    It starts at the panel's left edge and may run into the right margin
    (``room`` in all); one that does not fit even in one column is refused.
    """
    if not legend or position not in ("above", "below"):
        return 1, 0.0
    fit = legend_columns(legend, width_in=axes_width, dpi=dpi)
    if fit.width > room:
        labels = [entry.label for entry in legend]
        sizes = measure_texts(labels, dpi=dpi, fontsize=ANNOTATION_SIZE, ha="left")
        widest_label = labels[max(range(len(labels)), key=lambda i: sizes[i][0])]
        raise InputError(
            f"the legend is {fit.width:.2f} in wide in one column (its widest "
            f"entry: {widest_label!r}) and the figure leaves it {room:.2f} in; "
            f"use a figure at least {math.ceil((fit.width - room) * 25.4) + 1} mm "
            "wider (width_mm; on the command line, a wider --preset), or no legend "
            '(legend = "none"; --legend none)'
        )
    return fit.columns, fit.height


def _markers(case, options) -> tuple[str, ...]:
    markers = tuple(case.markers) if options.markers is None else options.markers
    unknown = [m for m in markers if m not in case.markers]
    if unknown:
        raise InputError(
            f"markers {unknown} are not in this case; choose from {list(case.markers)}"
        )
    return markers


def _legend_entries(
    case, view, markers, drawn_styles, styles, crossings
) -> list[LegendEntry]:
    """Return entries in drawing order: left axis first, then the right axis.

    Each series has its entry; a series' specimen is named where it tells it
    from another of its marker or is not serum or plasma (``CEA, urine``).
    """
    entries = []
    for side in ("left", "right"):
        names = [m for m in markers if styles[m].side == side]
        for marker, specimen in drawn_styles:
            if marker not in names:
                continue
            style = drawn_styles[marker, specimen]
            entries.append(
                LegendEntry(
                    series_text(case, marker, specimen),
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
        order_only=case.time_unit == "order",
    )


def series_text(case, marker, specimen) -> str:
    """Return a series' name and unit as the legend writes it: ``CEA (ng/mL)``,
    or ``CEA, urine (ng/mL)`` in the series' own unit where the specimen is
    named.

    Named from the whole case, as kinetics and response labels are: a figure
    zoomed to the serum results still says ``CEA, serum`` when the case has a
    urine series too.
    """
    measurements = case.measurements
    if not names_specimen(measurements, marker, specimen):
        return f"{marker} ({case.markers[marker].unit})"
    rows = series_rows(measurements, marker=marker, specimen=specimen)
    return f"{series_label(measurements, marker, specimen)} ({rows['unit'].iloc[0]})"


def _crossing_style(styles, name) -> dict:
    return {
        "color": styles[name].color,
        "marker": "|",
        "markersize": 10,
        "markeredgewidth": 1.6,
        "linestyle": "none",
    }
