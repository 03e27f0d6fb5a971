"""Figure-level drawing: marker trends above a treatment track, as laid out."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..computing.gaps import unmeasured_spans
from ..computing.log_range import decade_range
from ..computing.timeline import since_axis_label
from ..core.errors import InputError
from .annotations import add_kinetics_fit, add_percent_change, add_uln_crossings
from .case_layout import (
    GAP_IN,
    LEGEND_GAP_IN,
    NOTE_LEFT,
    NOTE_LINE_IN,
    PANEL_LEFT_IN,
    PANEL_SIZE,
    RIGHT_AXIS_IN,
    TITLE_SIZE,
    TOP_PAD_IN,
    CaseLayout,
    compute_case_layout,
    series_text,
)
from .choices import shaded_courses
from .legend import add_legend
from .measure import literal
from .options import FigureOptions
from .placement import place_limit_labels
from .style import ANNOTATION_SIZE, THRESHOLD_DASHES, house_style
from .time_axis import add_time_since_axis, set_calendar_ticks, set_time_since_ticks
from .track import add_treatment_track, shade_courses
from .trend import add_gap_notes, add_reference_limit, plot_marker_trend

if TYPE_CHECKING:
    from typing import Unpack

    from matplotlib.figure import Figure

    from ..core.case import Case
    from .options import FigureChanges

GAP_NOTE = "no results reported"
# Drawn first at this size; the layout then sets the real height.
_DRAFT_SIZE = (6.85, 4.0)


def plot_case(
    case: Case,
    options: FigureOptions | None = None,
    *,
    fig: Figure | None = None,
    **changes: Unpack[FigureChanges],
) -> Figure:
    """Draw a case's marker trends above its treatment track.

    The layout adapts to the width: tick steps, legend columns and label rows are
    chosen so that text keeps its size (at least 6.5 pt) and nothing overlaps. It
    is computed first (``plotting.drawing.case_layout.compute_case_layout``),
    then drawn.

    Parameters
    ----------
    case : Case
        As :func:`plotting.read_case` returns.
    options : FigureOptions, optional
        The figure's options; defaults to ``FigureOptions()``.
    fig : Figure, optional
        An empty Figure to draw into (any backend, pyplot's or not); by default a
        new pyplot Figure, which Jupyter shows once (assigned or a cell's last line).
    **changes
        Any :class:`FigureOptions` field, overriding ``options``: ``markers``,
        ``preset`` (``"single"``, ``"1.5"``, ``"double"``), ``width_mm``,
        ``trend_height_in``, ``time_axis``, ``start``, ``end``, ``title``,
        ``show_events``, ``kinetics``, ``response``, ``uln_crossings``, ``rc``.

    Returns
    -------
    Figure
        ``fig.axes[0]`` is the trend panel (left axis), ``fig.axes[1]`` the track,
        then a right-axis panel when a marker is drawn on the right.

    Examples
    --------
    >>> fig = plot_case(read_case("data/yu2020"), preset="single", markers=["AFP"])
    """
    # FigureOptions checks and normalises what FigureChanges lets through.
    given: dict[str, Any] = dict(changes)
    options = dataclasses.replace(options or FigureOptions(), **given)
    with house_style(options.rc):
        frame = CaseFrame(fig) if fig is not None else CaseFrame.new(pyplot=True)
        try:
            draw_case(frame, case, options)
        except BaseException:
            # A refused figure is not left open in pyplot behind the error.
            if fig is None:
                import matplotlib.pyplot as plt

                plt.close(frame.fig)
            raise
    return frame.fig


def draw_case(frame, case, options: FigureOptions) -> CaseLayout:
    """Lay out a case and draw it into a frame (new, or reset for reuse).

    Returns
    -------
    CaseLayout
        The layout drawn.
    """
    layout = compute_case_layout(case, options, dpi=frame.fig.dpi)
    render_case(frame, case, layout, title=options.title)
    return layout


def render_case(frame, case, layout: CaseLayout, *, title=None) -> None:
    """Draw a computed layout into a frame's Figure and Axes."""
    fig, trend, track = frame.fig, frame.trend, frame.track
    view = layout.view
    fig.set_size_inches(layout.width, layout.height)
    track.set_xlim(view.xlim)
    frame.right = trend.twinx() if layout.right_axis else None
    for ax in (trend, frame.right):
        if ax is not None:
            ax.set_position(layout.trend_rect())
    track.set_position(layout.track_rect())
    _draw_trends(case, layout, trend, frame.right)
    for name, dates in layout.crossings:
        add_uln_crossings(
            dates,
            case.markers[name].uln,
            ax=_axis_of(layout, name, trend, frame.right),
            color=layout.styles[name].color,
            label=f"{name} falls below ULN",
        )
    since_label = since_axis_label(layout.since_unit, case.origin_label)
    if layout.time_axis == "both":
        add_time_since_axis(
            trend,
            case.origin,
            label=literal(since_label),
            unit=layout.since_unit,
            step=layout.since_step,
        )
    _draw_legend(layout, trend)
    shade_courses(shaded_courses(view.treatments, layout.shade), ax=trend)
    place_limit_labels(trend, frame.right)
    if case.time_unit != "order":
        spans = unmeasured_spans(
            view.measurements["date"],
            since=view.start,
            until=view.until,
            min_days=case.max_gap_days,
            ranges=view.measurements.get("latest"),
        )
        add_gap_notes(spans, ax=trend, text=GAP_NOTE)
    _draw_kinetics(layout, trend, frame.right)
    _refuse_a_legend_over_data(layout, trend, frame.right)
    add_treatment_track(
        view.treatments, events=view.events, ax=track, layout=layout.track
    )
    if layout.time_axis == "since-diagnosis":
        set_time_since_ticks(
            track.xaxis, case.origin, unit=layout.since_unit, step=layout.since_step
        )
        track.set_xlabel(literal(since_label))
    else:
        set_calendar_ticks(track, step=layout.calendar_step)
    if not layout.track.lanes:
        track.set_yticks([])
    _draw_texts(fig, layout, title)


# Legends drawn inside the trend panel, on an opaque box.
INSIDE_LEGENDS = ("upper right", "upper left", "lower right", "lower left")
_RESULT_GIDS = ("trend-points:", "trend-zero:", "trend-range:")


def _refuse_a_legend_over_data(layout, trend, right) -> None:
    """Refuse a legend inside the panel that would hide results or labels.

    Its box is nearly opaque (lines behind it stay readable), so a result or a
    label under it is lost to the reader: the corner is the user's choice,
    and the package does not move it elsewhere without a word.
    """
    legend = trend.get_legend()
    if layout.legend_position not in INSIDE_LEGENDS or legend is None:
        return
    box = legend.get_window_extent()
    where = f"the legend in the {layout.legend_position} corner"
    advice = (
        'choose another corner, or legend = "above" (on the command line, '
        "--legend above)"
    )
    if box.width > trend.bbox.width or box.height > trend.bbox.height:
        raise InputError(f"{where} is larger than the panel; {advice}")
    hidden: dict[str, int] = {}
    for ax in (trend, right):
        if ax is None:
            continue
        for line in ax.lines:
            gid = line.get_gid() or ""
            if not gid.startswith(_RESULT_GIDS) or not line.get_visible():
                continue
            half = line.get_markersize() / 2 * ax.figure.dpi / 72
            near = box.expanded(1, 1).padded(half)
            for x, y in line.get_transform().transform(line.get_xydata()):
                if near.contains(x, y):
                    marker = gid.split(":")[1]
                    hidden[marker] = hidden.get(marker, 0) + 1
    labels = [
        text.get_text()
        for ax in (trend, right)
        if ax is not None
        for text in ax.texts
        if text.get_visible()
        and text.get_text().strip()
        and box.overlaps(text.get_window_extent())
    ]
    if hidden or labels:
        what = [f"{n} {m} result{'s' if n > 1 else ''}" for m, n in hidden.items()]
        what += [f"the label {label!r}" for label in labels]
        raise InputError(f"{where} would hide {', '.join(what)}; {advice}")


def _draw_legend(layout, trend):
    position = layout.legend_position
    if position == "none":
        return
    anchor = None
    if position == "outside right":
        beside = (RIGHT_AXIS_IN if layout.right_axis else 0.0) + LEGEND_GAP_IN
        anchor = (1 + beside / layout.axes_width, 1)
    elif position == "below":
        trend_bottom = layout.bottom + layout.track_height + GAP_IN
        notes = len(layout.notes) * NOTE_LINE_IN
        anchor = (0, (notes - trend_bottom) / layout.trend_height)
    add_legend(
        layout.legend,
        ax=trend,
        ncol=layout.legend_columns,
        raise_by=layout.top_axis_height / layout.trend_height,
        position=position,
        anchor=anchor,
    )


def _axis_of(layout, name, trend, right):
    return right if layout.styles[name].side == "right" else trend


def _draw_trends(case, layout, trend, right):
    # One line per series: a marker's results in two specimens share its axis
    # and color, never a line.
    measurements = layout.view.measurements
    for (name, specimen), style in layout.series_styles.items():
        plot_marker_trend(
            measurements,
            marker=name,
            specimen=specimen,
            ax=_axis_of(layout, name, trend, right),
            color=style.color,
            symbol=style.symbol,
            linestyle=style.linestyle,
            label=literal(series_text(case, name, specimen)),
            max_gap_days=case.max_gap_days,
        )
    for ax, side in ((trend, "left"), (right, "right")):
        if ax is not None:
            names = [m for m in layout.markers if layout.styles[m].side == side]
            _decade_axis(ax, layout.limits, layout.view.measurements, names)
    for number, limit in enumerate(layout.limits):
        gid = "reference-limit" if limit.kind == "uln" else "threshold"
        add_reference_limit(
            limit.value,
            ax=_axis_of(layout, limit.marker, trend, right),
            color=layout.styles[limit.marker].color,
            label=literal(limit.label),
            start=limit.start,
            end=limit.end,
            gid=f"{gid}:{limit.marker}:{number}",
            linestyle=THRESHOLD_DASHES[limit.style],
        )
    if right is None and layout.legend_position != "none":
        trend.set_ylabel(f"{_level_of({s for _, s in layout.series})} (log scale)")
        return
    for ax, side in ((trend, "left"), (right, "right")):
        names = [
            series_text(case, n, s)
            for n in layout.markers
            if layout.styles[n].side == side
            for s in [s for m, s in layout.series if m == n] or [""]
        ]
        names = ", ".join(names)
        if ax is not None:
            ax.set_ylabel(literal(names))
    if right is not None:
        right.spines["right"].set_visible(True)


def _decade_axis(ax, limits, measurements, markers):
    """Set log limits on whole decades that hold the results and drawn limits;
    with results of 0, the floor they stand on lies half a decade or more below
    every other result and limit (``plotting.computing.log_range.decade_range``).
    """
    rows = measurements[measurements["marker"].isin(markers)]
    limits = [limit.value for limit in limits if limit.marker in markers]
    drawn = decade_range(rows["value"], limits)
    if drawn is not None:
        ax.set_ylim(*drawn)


def _draw_kinetics(layout, trend, right):
    # Marker by marker, fits before responses: each label is nudged clear of the
    # texts drawn before it.
    for name in layout.markers:
        ax, color = _axis_of(layout, name, trend, right), layout.styles[name].color
        for fit in layout.fits:
            if fit.marker == name:
                # Poor fits are in the layout only when asked for.
                add_kinetics_fit(fit, ax=ax, color=color, show_poor_fit=True)
        for response in layout.responses:
            if response.marker == name:
                add_percent_change(response, ax=ax, color=color)


def _draw_texts(fig, layout, title):
    if layout.panel:
        fig.text(
            PANEL_LEFT_IN / layout.width,
            1 - TOP_PAD_IN / layout.height,
            literal(layout.panel),
            ha="left",
            va="top",
            fontsize=PANEL_SIZE,
            fontweight="bold",
            gid="panel-letter",
        )
    # The last line lowest, at the figure's bottom edge.
    for number, line in enumerate(reversed(layout.notes)):
        fig.text(
            NOTE_LEFT,
            (0.03 + number * NOTE_LINE_IN) / layout.height,
            literal(line),
            fontsize=ANNOTATION_SIZE,
            color="#444444",
            gid="figure-note",
        )
    if title:
        fig.text(
            layout.left / layout.width,
            1 - TOP_PAD_IN / layout.height,
            literal(title),
            va="top",
            fontsize=TITLE_SIZE,
            fontweight="bold",
            gid="figure-title",
        )


class CaseFrame:
    """A Figure with the trend and track Axes, reusable across cases.

    ``plot_case`` draws into a new frame; a batch reuses one frame, resetting it
    between cases, so tick objects, Axes and the canvas are built once.
    """

    def __init__(self, fig):
        if fig.axes:
            raise ValueError("fig must be an empty Figure")
        fig.set_size_inches(*_DRAFT_SIZE)
        self.fig = fig
        self.trend = fig.add_axes((0, 0, 1, 1))
        self.track = fig.add_axes((0, 0, 1, 1), sharex=self.trend)
        self.trend.tick_params(axis="x", labelbottom=False)
        self.right = None

    @classmethod
    def new(cls, *, pyplot: bool = True) -> CaseFrame:
        """Make a frame on a pyplot Figure (shown by Jupyter) or a bare one."""
        if pyplot:
            import matplotlib.pyplot as plt

            from .notebook_figure import NotebookFigure

            return cls(plt.figure(figsize=_DRAFT_SIZE, FigureClass=NotebookFigure))
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=_DRAFT_SIZE)
        FigureCanvasAgg(fig)
        return cls(fig)

    def reset(self) -> None:
        """Remove everything a case drew, keeping the Axes and their ticks.

        The texts kept (ticks, axis labels) still hold the renderer they were
        last drawn with; a batch lets go of it with
        :func:`plotting.output.mpl_accel.forget_text_renderers`.
        """
        if self.right is not None:
            self.fig.delaxes(self.right)
            self.right = None
        for ax in (self.trend, self.track):
            for child in ax.child_axes:
                child.remove()
            legend = ax.get_legend()
            if legend is not None:
                legend.remove()
            for artist in [*ax.lines, *ax.patches, *ax.texts, *ax.collections]:
                artist.remove()
            ax.set_xlabel("")
            ax.set_ylabel("")
            ax.relim()
            ax.set_autoscale_on(True)
        for text in list(self.fig.texts):
            text.remove()


def _level_of(specimens) -> str:
    """Name what the y axis measures: ``Serum level`` only over serum.

    Results whose specimen is not stated are the registry's serum tests, as the
    axis always named them; one stated specimen names the axis (``Plasma
    level``, ``Urine level``); serum beside plasma is ``Serum or plasma
    level``; any other mix is a ``Level``.
    """
    stated = set(specimens) - {""}
    if stated <= {"serum"}:
        return "Serum level"
    if len(stated) == 1 and "" not in specimens:
        name = stated.pop()
        return f"{name[0].upper()}{name[1:]} level"
    if stated <= {"serum", "plasma", "serum or plasma"}:
        return "Serum or plasma level"
    return "Level"
