"""Figure-level composition: marker trends above a treatment track."""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from ..computing.gaps import unmeasured_spans
from ..computing.kinetics import KineticsError, fit_kinetics, treatment_window
from ..computing.kinetics import uln_crossings as find_uln_crossings
from ..computing.response import Criterion, assess_response
from ..computing.track_layout import track_lanes
from .annotations import add_kinetics_fit, add_percent_change, add_uln_crossings
from .style import (
    ANNOTATION_SIZE,
    DEFAULT_LINESTYLES,
    DEFAULT_MARKER_COLORS,
    DEFAULT_MARKER_SYMBOLS,
    OKABE_ITO,
    house_style,
)
from .time_axis import (
    add_years_since_axis,
    check_time_axis,
    set_calendar_ticks,
    set_years_since_ticks,
)
from .track import add_treatment_track, measure_labels, plan_track, shade_courses
from .trend import add_gap_notes, add_reference_limit, plot_marker_trend

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Preset:
    """A journal figure size: width, trend panel height and raster resolution."""

    width_mm: float
    trend_height_in: float
    dpi: int = 300


# Widths used by most journals (Elsevier 90/140/190 mm, Nature 89/120-136/183 mm);
# "double" is 174 mm, the double-column width of the first target journal.
PRESETS = {
    "single": Preset(89.0, 1.9),
    "1.5": Preset(140.0, 2.2),
    "double": Preset(174.0, 2.5),
}
DEFAULT_PRESET = "double"
# Margins in inches; fixed, so the label layout measured before drawing holds.
LEFT_IN, RIGHT_IN, RIGHT_AXIS_IN = 0.78, 0.12, 0.72
TOP_PAD_IN, GAP_IN, CALENDAR_LABELS_IN, AXIS_LABEL_IN = 0.04, 0.06, 0.26, 0.17
NOTE_LINE_IN = 0.14
GAP_NOTE = "no results reported"
# Percent change only: any change counts, so no criterion decides what is drawn.
PERCENT_CHANGE = Criterion("percent change", 0.0, window_days=(1.0, 365.0))


def plot_case(
    case,
    *,
    markers=None,
    preset: str = DEFAULT_PRESET,
    width_mm: float | None = None,
    trend_height_in: float | None = None,
    time_axis: str | None = None,
    start=None,
    end=None,
    title: str | None = None,
    show_events: bool = True,
    kinetics=None,
    response=None,
    uln_crossings: bool = False,
    rc: dict | None = None,
):
    """Draw a case's marker trends above its treatment track.

    The layout adapts to the width: tick steps, legend columns and label rows are
    chosen so that text keeps its size (at least 6.5 pt) and nothing overlaps.

    Parameters
    ----------
    case : Case
        As :func:`plotting.read_case` returns.
    markers : list of str, optional
        Markers to draw, in order; defaults to the case's markers.
    preset : {"single", "1.5", "double"}
        Journal width: 89, 140 or 174 mm.
    width_mm, trend_height_in : float, optional
        Override the preset's width and trend panel height.
    time_axis : {"calendar", "since-diagnosis", "both"}, optional
        Calendar years, years since the case's time origin, or calendar years with
        years since the origin on top; defaults to the case's ``[time] axis``.
    start, end : datetime-like, optional
        Show only this window; results, treatments and events outside it are left
        out.
    title : str, optional
        A title above the figure (journals usually want none).
    show_events : bool
        Draw the case's events (diagnosis, recurrences, follow-up) as a lane.
    kinetics : list, optional
        Windows to fit and draw with their half-life or doubling time: treatment
        labels (from the baseline before it to the next treatment) or ``(start,
        end)`` pairs. Windows a marker has too few results in are skipped.
    response : list of str, optional
        Treatment labels whose percent change from baseline to nadir is written.
    uln_crossings : bool
        Mark where each marker's line falls below its upper reference limit.
    rc : dict, optional
        rcParams overriding the house style.

    Returns
    -------
    Figure
        ``fig.axes[0]`` is the trend panel (left axis), ``fig.axes[1]`` the track,
        then a right-axis panel when a marker is drawn on the right.

    Examples
    --------
    >>> fig = plot_case(read_case("data/yu2020"), preset="single", markers=["AFP"])
    """
    options = _resolve_options(
        case,
        markers=markers,
        preset=preset,
        width_mm=width_mm,
        trend_height_in=trend_height_in,
        time_axis=time_axis,
        start=start,
        end=end,
        title=title,
        show_events=show_events,
        kinetics=kinetics,
        response=response,
        uln_crossings=uln_crossings,
    )
    with house_style(rc):
        frame = CaseFrame.new(pyplot=True)
        compose_case(frame, case, options)
    return frame.fig


def _resolve_options(
    case,
    *,
    markers,
    preset,
    width_mm,
    trend_height_in,
    time_axis,
    start,
    end,
    title,
    show_events,
    kinetics,
    response,
    uln_crossings,
) -> dict:
    """Check plot_case's options and return them resolved for this case."""
    markers = list(case.markers) if markers is None else list(markers)
    unknown = [m for m in markers if m not in case.markers]
    if unknown:
        raise ValueError(
            f"markers {unknown} are not in this case; choose from {list(case.markers)}"
        )
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {', '.join(PRESETS)}, not {preset!r}")
    size = PRESETS[preset]
    width_in = (width_mm or size.width_mm) / MM_PER_INCH
    trend_h = trend_height_in or size.trend_height_in
    time_axis = check_time_axis(time_axis or case.time_axis)
    view = _window(case, markers, start, end, show_events)
    return {
        "markers": markers,
        "width_in": width_in,
        "trend_h": trend_h,
        "time_axis": time_axis,
        "view": view,
        "title": title,
        "kinetics": kinetics,
        "response": response,
        "uln_crossings": uln_crossings,
    }


def compose_case(frame, case, options) -> None:
    """Draw a case into a frame's Figure and Axes (empty, or reset for reuse)."""
    markers, width_in, trend_h = (
        options["markers"],
        options["width_in"],
        options["trend_h"],
    )
    time_axis, view, title = options["time_axis"], options["view"], options["title"]
    kinetics, response = options["kinetics"], options["response"]
    uln_crossings = options["uln_crossings"]
    fig, trend, track = frame.fig, frame.trend, frame.track
    fig.set_size_inches(width_in, 4.0)
    right_axis = any(case.axes[m] == "right" for m in markers)
    left = max(LEFT_IN, _widest(fig, view["lanes"]) + 0.16)
    axes_w = width_in - left - (RIGHT_AXIS_IN if right_axis else RIGHT_IN)
    plan = plan_track(
        view["treatments"],
        view["events"],
        fig=fig,
        xlim=view["xlim"],
        width_in=axes_w,
    )
    track_h = max(plan.height, 0.05)
    track.set_xlim(view["xlim"])
    right = _draw_trends(case, view, markers, trend, right_axis)
    frame.right = right
    if uln_crossings:
        _mark_uln_crossings(case, view, markers, trend, right)
    top_axis_h = 0.0
    if time_axis == "both":
        add_years_since_axis(
            trend,
            case.origin,
            width_in=axes_w,
            label=f"Years since {case.origin_label}",
        )
        top_axis_h = CALENDAR_LABELS_IN + AXIS_LABEL_IN
    legend = _fit_legend(
        fig,
        trend,
        _legend_handles(case, view, trend, right),
        axes_w,
        top_axis_h / trend_h,
    )
    legend_h = legend.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi
    notes = [n for n in case.notes if n.split(":")[0] in markers]
    bottom = CALENDAR_LABELS_IN + len(notes) * NOTE_LINE_IN
    bottom += AXIS_LABEL_IN if time_axis == "since-diagnosis" else 0.0
    title_h = _widest(fig, [title], size=8.0, height=True) + 0.06 if title else 0
    height = (
        TOP_PAD_IN
        + title_h
        + legend_h
        + top_axis_h
        + trend_h
        + GAP_IN
        + track_h
        + bottom
    )
    fig.set_size_inches(width_in, height)
    frac = (left / width_in, axes_w / width_in)
    track.set_position((frac[0], bottom / height, frac[1], track_h / height))
    trend_rect = (
        frac[0],
        (bottom + track_h + GAP_IN) / height,
        frac[1],
        trend_h / height,
    )
    for ax in (trend, right):
        if ax is not None:
            ax.set_position(trend_rect)
    shade_courses(view["treatments"], ax=trend)
    spans = unmeasured_spans(
        view["measurements"]["date"],
        until=view["until"],
        min_days=case.max_gap_days,
    )
    add_gap_notes(spans, ax=trend, text=GAP_NOTE)
    _annotate_kinetics(case, view, markers, trend, right, kinetics, response)
    add_treatment_track(
        view["treatments"], events=view["events"], ax=track, layout=plan
    )
    _time_ticks(track, case, time_axis, axes_w)
    if not len(plan.lanes):
        track.set_yticks([])
    for number, note in enumerate(notes):
        fig.text(
            0.01,
            (0.03 + number * NOTE_LINE_IN) / height,
            f"Note: {note}.",
            fontsize=ANNOTATION_SIZE,
            color="#444444",
            gid="figure-note",
        )
    if title:
        fig.text(
            left / width_in,
            1 - TOP_PAD_IN / height,
            title,
            va="top",
            fontsize=8.0,
            fontweight="bold",
            gid="figure-title",
        )


def _widest(fig, texts, *, size=ANNOTATION_SIZE + 0.5, height=False) -> float:
    sizes = measure_labels(fig, [t for t in texts if t], fontsize=size, ha="left")
    return max((s[1 if height else 0] for s in sizes), default=0.0)


def _window(case, markers, start, end, show_events):
    """Return the tables, x limits and lanes of the time window to draw."""
    m = case.measurements[case.measurements["marker"].isin(markers)]
    t, e = case.treatments, case.events if show_events else case.events.iloc[:0]
    dated = [m["date"], t["start"], e["date"]]
    first = min([case.origin, *(d.min() for d in dated if len(d))])
    low = pd.Timestamp(start) if start is not None else first
    high = pd.Timestamp(end) if end is not None else case.last_follow_up
    if high <= low:
        raise ValueError(
            f"the window must end after it starts ({low:%Y-%m-%d} to {high:%Y-%m-%d})"
        )
    m = m[(m["date"] >= low) & (m["date"] <= high)]
    ends = t["end"].fillna(t["start"])
    t = t[(ends >= low) & (t["start"] <= high)]
    e = e[(e["date"] >= low) & (e["date"] <= high)]
    pad = max(pd.Timedelta(days=15), (high - low) * 0.02)
    return {
        "measurements": m,
        "treatments": t,
        "events": e if show_events else None,
        "xlim": (mdates.date2num(low - pad), mdates.date2num(high + pad)),
        "until": min(high, case.last_follow_up),
        "lanes": track_lanes(t, e if show_events else None),
    }


def _time_ticks(track, case, time_axis, axes_w):
    if time_axis == "since-diagnosis":
        set_years_since_ticks(track.xaxis, case.origin, width_in=axes_w)
        track.set_xlabel(f"Years since {case.origin_label}")
    else:
        set_calendar_ticks(track)


def _draw_trends(case, view, markers, trend, right_axis):
    right = trend.twinx() if right_axis else None
    for number, name in enumerate(markers):
        marker = case.markers[name]
        ax = right if case.axes[name] == "right" else trend
        color = _marker_color(name, number)
        plot_marker_trend(
            view["measurements"],
            marker=name,
            ax=ax,
            color=color,
            symbol=DEFAULT_MARKER_SYMBOLS[number % len(DEFAULT_MARKER_SYMBOLS)],
            linestyle=DEFAULT_LINESTYLES[number % len(DEFAULT_LINESTYLES)],
            label=f"{name} ({marker.unit})",
            max_gap_days=case.max_gap_days,
        )
        if marker.uln is not None:
            add_reference_limit(
                marker.uln,
                ax=ax,
                color=color,
                label=f"{name} ULN {marker.uln:g} {marker.unit}",
            )
    for ax, side in ((trend, "left"), (right, "right")):
        if ax is not None:
            _decade_axis(ax, case, view, [m for m in markers if case.axes[m] == side])
    if right is None:
        trend.set_ylabel("Serum level (log scale)")
    else:
        for ax, side in ((trend, "left"), (right, "right")):
            names = [m for m in markers if case.axes[m] == side]
            ax.set_ylabel(", ".join(f"{n} ({case.markers[n].unit})" for n in names))
        right.spines["right"].set_visible(True)
    return right


def _marker_color(name, number):
    return DEFAULT_MARKER_COLORS.get(name, list(OKABE_ITO.values())[number % 8])


def _legend_handles(case, view, trend, right):
    handles = [
        line
        for ax in (trend, right)
        if ax is not None
        for line in ax.get_lines()
        if not line.get_label().startswith("_")
    ]
    drawn = view["measurements"]
    for sign, shape, text in (
        ("<", "v", "Below detection limit (drawn at the limit)"),
        (">", "^", "Above quantification limit (drawn at the limit)"),
    ):
        if (drawn["censor"] == sign).any():
            handles.append(
                Line2D(
                    [], [], linestyle="none", marker=shape, color="#555555", label=text
                )
            )
    if (drawn["date_precision"] != "day").any():
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                color="#555555",
                markerfacecolor="white",
                label="Open symbol: date approximate or month only",
            )
        )
    return handles


LEGEND_STYLE = {
    "handlelength": 2.4,
    "columnspacing": 1.2,
    "borderpad": 0.2,
    "borderaxespad": 0.2,
    "handletextpad": 0.8,
}


def _fit_legend(fig, trend, handles, axes_w, raise_by):
    """Place the legend above the trend panel in as many columns as fit.

    The column count is worked out from the entries' measured widths, so the
    legend is built once; the check after it guards the estimate.
    """
    renderer = fig.canvas.get_renderer()
    size = mpl.rcParams["legend.fontsize"]
    size = size if isinstance(size, int | float) else mpl.rcParams["font.size"]
    widths = [
        w * 72
        for w, _ in measure_labels(
            fig, [h.get_label() for h in handles], fontsize=size, ha="left"
        )
    ]
    entry = [
        (LEGEND_STYLE["handlelength"] + LEGEND_STYLE["handletextpad"]) * size + w
        for w in widths
    ]
    ncol = max(len(handles), 1)
    while ncol > 1 and _legend_width(entry, ncol, size) > axes_w * 72:
        ncol -= 1
    while True:
        legend = trend.legend(
            handles=handles,
            loc="lower left",
            ncol=ncol,
            bbox_to_anchor=(0, 1 + raise_by),
            **LEGEND_STYLE,
        )
        if ncol == 1 or legend.get_window_extent(renderer).width / fig.dpi <= axes_w:
            return legend
        legend.remove()
        ncol -= 1


def _legend_width(entry, ncol, size):
    rows = math.ceil(len(entry) / ncol)
    columns = [max(entry[i : i + rows]) for i in range(0, len(entry), rows)]
    spacing = LEGEND_STYLE["columnspacing"] * size * (len(columns) - 1)
    return sum(columns) + spacing + 2 * LEGEND_STYLE["borderpad"] * size


def _decade_axis(ax, case, view, markers):
    """Set log limits on whole decades that hold the results and reference limits."""
    rows = view["measurements"][view["measurements"]["marker"].isin(markers)]
    limits = [case.markers[m].uln for m in markers if case.markers[m].uln]
    values = [*rows["value"], *limits]
    if not values:
        return
    low = 10.0 ** math.floor(math.log10(min(values)))
    high = 10.0 ** math.ceil(math.log10(max(values)))
    ax.set_ylim(low, high if high > low else low * 10)


def _annotate_kinetics(case, view, markers, trend, right, windows, treatments):
    for number, name in enumerate(markers):
        ax = right if case.axes[name] == "right" else trend
        color = _marker_color(name, number)
        for window in windows or []:
            if isinstance(window, str):
                start, end = treatment_window(
                    case.measurements,
                    case.treatments,
                    window,
                    marker=name,
                    until=case.last_follow_up,
                )
            else:
                start, end = window
            try:
                fit = fit_kinetics(
                    view["measurements"], marker=name, start=start, end=end
                )
            except KineticsError:
                continue
            add_kinetics_fit(fit, ax=ax, color=color)
        for treatment in treatments or []:
            result = assess_response(
                case.measurements,
                case.treatments,
                treatment,
                marker=name,
                criterion=PERCENT_CHANGE,
            )
            add_percent_change(result, ax=ax, color=color)


def _mark_uln_crossings(case, view, markers, trend, right):
    for number, name in enumerate(markers):
        uln = case.markers[name].uln
        if uln is None:
            continue
        dates = find_uln_crossings(
            view["measurements"], marker=name, uln=uln, max_gap_days=case.max_gap_days
        )
        add_uln_crossings(
            dates,
            uln,
            ax=right if case.axes[name] == "right" else trend,
            color=_marker_color(name, number),
            label=f"{name} falls below ULN",
        )


class CaseFrame:
    """A Figure with the trend and track Axes, reusable across cases.

    ``plot_case`` draws into a new frame; a batch reuses one frame, resetting it
    between cases, so tick objects, Axes and the canvas are built once.
    """

    def __init__(self, fig):
        self.fig = fig
        self.trend = fig.add_axes((0, 0, 1, 1))
        self.track = fig.add_axes((0, 0, 1, 1), sharex=self.trend)
        self.trend.tick_params(axis="x", labelbottom=False)
        self.right = None

    @classmethod
    def new(cls, *, pyplot: bool = True) -> CaseFrame:
        """Make a frame on a pyplot Figure (shown by Jupyter) or a bare one."""
        if pyplot:
            return cls(plt.figure(figsize=(6.85, 4.0)))
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(6.85, 4.0))
        FigureCanvasAgg(fig)
        return cls(fig)

    def reset(self) -> None:
        """Remove everything a case drew, keeping the Axes and their ticks."""
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
