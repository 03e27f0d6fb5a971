"""Cohort figures: aligned trajectories with their median, and small multiples."""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..computing.alignment import align_cohort, median_trajectory
from ..computing.timeline import DAYS_PER_MONTH
from ..reading.treatment_kinds import is_known_kind, lane_for
from .axes import current_axes, use_log_axis
from .presets import preset_named
from .style import ANNOTATION_SIZE, OKABE_ITO, house_style
from .time_axis import set_years_since_ticks
from .track import shade_courses
from .trend import plot_marker_trend

PATIENT_COLOR = "#8c8c8c"
MEDIAN_COLOR = OKABE_ITO["vermillion"]


def plot_aligned(
    aligned,
    *,
    column="value",
    ax=None,
    log=True,
    median=None,
    color=PATIENT_COLOR,
    median_kws=None,
    **kwargs,
):
    """Draw each patient's aligned trajectory, and the median if given.

    Parameters
    ----------
    aligned : DataFrame
        As :func:`plotting.aligned.align_cohort` returns.
    column : {"value", "percent"}
        What to draw.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    log : bool
        Log y axis.
    median : DataFrame, optional
        As :func:`plotting.aligned.median_trajectory` returns; drawn as a line with
        its interquartile band.
    color : color
        Color of the patients' lines.
    median_kws : dict, optional
        Passed to ``Axes.plot`` for the median.
    **kwargs
        Passed to ``Axes.plot`` for each patient's lines.

    Returns
    -------
    Axes
    """
    ax = current_axes() if ax is None else ax
    if aligned.empty:
        return ax
    if log:
        use_log_axis(ax)
    style = {"color": color, "linewidth": 0.6, "alpha": 0.45, **kwargs}
    measured = aligned[aligned["censor"] == ""]
    for (_, _), run in measured.groupby(["patient_id", "segment"], sort=False):
        months = run["days"].to_numpy() / DAYS_PER_MONTH
        if len(run) > 1:
            ax.plot(months, run[column], gid="patient-line", **style)
        else:
            ax.plot(
                months,
                run[column],
                marker="o",
                markersize=1.5,
                linestyle="none",
                gid="patient-line",
                **style,
            )
    ax.plot([], [], label=f"Patients (n={aligned['patient_id'].nunique()})", **style)
    for sign, shape, text in (
        ("<", "v", "Below detection limit"),
        (">", "^", "Above quantification limit"),
    ):
        censored = aligned[aligned["censor"] == sign]
        if len(censored):
            ax.plot(
                censored["days"] / DAYS_PER_MONTH,
                censored[column],
                marker=shape,
                markersize=2.5,
                linestyle="none",
                color=color,
                alpha=0.6,
                gid=f"patient-censored:{sign}",
                label=f"{text} (at the limit)",
            )
    if median is not None and len(median):
        months = median["days"] / DAYS_PER_MONTH
        ax.fill_between(
            months,
            median["q25"],
            median["q75"],
            color=MEDIAN_COLOR,
            alpha=0.18,
            linewidth=0,
            label="Interquartile range",
            gid="median-band",
        )
        ax.plot(
            months,
            median["median"],
            label="Median",
            gid="median-line",
            **{"color": MEDIAN_COLOR, "linewidth": 1.6, **(median_kws or {})},
        )
    return ax


def plot_contributing(median, *, ax=None, **kwargs):
    """Draw how many patients contribute to the median over time (a step line).

    Parameters
    ----------
    median : DataFrame
        As :func:`plotting.aligned.median_trajectory` returns.
    ax : Axes, optional
    **kwargs
        Passed to ``Axes.step``.

    Returns
    -------
    Axes
    """
    ax = current_axes() if ax is None else ax
    if median.empty:
        return ax
    style = {"where": "mid", "color": "#444444", "linewidth": 1.0, **kwargs}
    ax.step(median["days"] / DAYS_PER_MONTH, median["n"], gid="contributing", **style)
    ax.set_ylim(0, max(1, int(median["n"].max())) * 1.15)
    return ax


def plot_aligned_cohort(
    cohort,
    *,
    marker: str,
    anchor: str = "tace",
    percent: bool = False,
    log: bool = True,
    step_days: float = 30.0,
    min_patients: int = 5,
    preset: str = "double",
    rc=None,
):
    """Draw one marker for all patients from a treatment on, with the median.

    Parameters
    ----------
    cohort : Cohort
    marker : str
    anchor : str
        Treatment kind or label whose first start is time 0.
    percent : bool
        Percent of each patient's baseline instead of the value.
    log : bool
        Log y axis.
    step_days, min_patients : float, int
        Grid of the median, and fewest patients for a median point.
    preset : {"single", "1.5", "double"}
        Figure width.
    rc : dict, optional
        rcParams overriding the house style.

    Returns
    -------
    Figure
        Trajectories above, patients contributing below.
    """
    aligned = align_cohort(cohort, marker=marker, anchor=anchor, percent=percent)
    name = lane_for(anchor) if is_known_kind(anchor) else anchor
    column = "percent" if percent else "value"
    median = median_trajectory(
        aligned, column=column, step_days=step_days, min_patients=min_patients
    )
    width = preset_named(preset).width_in
    with house_style(rc):
        fig, (top, bottom) = plt.subplots(
            2,
            1,
            figsize=(width, 3.6),
            sharex=True,
            height_ratios=(4, 1),
            gridspec_kw={
                "hspace": 0.08,
                "left": 0.11,
                "right": 0.98,
                "top": 0.86,
                "bottom": 0.12,
            },
        )
        plot_aligned(aligned, column=column, ax=top, log=log, median=median)
        units = {
            c.markers[marker].unit for c in cohort.cases.values() if marker in c.markers
        }
        unit = units.pop() if len(units) == 1 else ""
        top.set_ylabel(
            f"{marker}, % of baseline"
            if percent
            else f"{marker} ({unit})"
            if unit
            else marker
        )
        for ax in (top, bottom):
            ax.axvline(
                0,
                color="#333333",
                linewidth=0.7,
                linestyle=(0, (2, 2)),
                gid="anchor-line",
            )
        top.annotate(
            f"first {name}",
            (0, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            va="top",
            fontsize=ANNOTATION_SIZE,
            color="#333333",
        )
        top.legend(
            loc="lower left", bbox_to_anchor=(0, 1.01), ncol=3, borderaxespad=0.2
        )
        plot_contributing(median, ax=bottom)
        bottom.set_ylabel("Patients")
        bottom.set_xlabel(f"Months since first {name}")
        left_out = aligned.attrs.get("left_out", {})
        if left_out:
            fig.text(
                0.01,
                0.01,
                f"Left out: {len(left_out)} patients ({_reasons(left_out)}).",
                fontsize=ANNOTATION_SIZE,
                color="#444444",
                gid="left-out-note",
            )
    return fig


def _reasons(left_out) -> str:
    counts = pd.Series(list(left_out.values())).value_counts()
    return "; ".join(f"{reason}: {n}" for reason, n in counts.items())


def plot_small_multiples(
    cohort,
    *,
    marker: str,
    ncols: int = 5,
    max_patients: int | None = None,
    preset="double",
    rc=None,
):
    """Draw one small panel per patient with shared axes, time since diagnosis.

    Parameters
    ----------
    cohort : Cohort
    marker : str
    ncols : int
        Panels per row.
    max_patients : int, optional
        Draw only the first patients (by id).
    preset : {"single", "1.5", "double"}
    rc : dict, optional

    Returns
    -------
    Figure
    """
    ids = sorted(cohort.cases)[:max_patients] if max_patients else sorted(cohort.cases)
    if not ids:
        raise ValueError("the cohort has no readable patients")
    nrows = math.ceil(len(ids) / ncols)
    width = preset_named(preset).width_in
    epoch = pd.Timestamp("2000-01-01")
    with house_style(rc):
        fig, axes = plt.subplots(
            nrows,
            ncols,
            figsize=(width, 0.2 + 0.95 * nrows),
            sharex=True,
            sharey=True,
            squeeze=False,
            gridspec_kw={
                "hspace": 0.45,
                "wspace": 0.08,
                "left": 0.08,
                "right": 0.99,
                "top": 1 - 0.2 / (0.2 + 0.95 * nrows),
                "bottom": 0.45 / (0.2 + 0.95 * nrows),
            },
        )
        span = 0.0
        for ax, pid in zip(axes.flat, ids, strict=False):
            case = cohort.cases[pid]
            shift = epoch - case.origin
            rows = case.measurements.assign(date=case.measurements["date"] + shift)
            courses = case.treatments.assign(
                start=case.treatments["start"] + shift,
                end=case.treatments["end"] + shift,
            )
            plot_marker_trend(
                rows,
                marker=marker,
                ax=ax,
                color=OKABE_ITO["blue"],
                max_gap_days=case.max_gap_days,
                label="_nolegend_",
                linewidth=0.8,
                point_kws={"markersize": 2.2, "markeredgewidth": 0.6},
            )
            shade_courses(courses, ax=ax)
            uln = case.markers[marker].uln if marker in case.markers else None
            if uln:
                ax.axhline(
                    uln,
                    color="#555555",
                    linewidth=0.6,
                    linestyle=(0, (1, 1.6)),
                    gid="reference-limit",
                )
            ax.set_title(pid, fontsize=ANNOTATION_SIZE, pad=2)
            span = max(span, (case.last_follow_up - case.origin).days)
        for ax in axes.flat[len(ids) :]:
            ax.set_visible(False)
        first = axes.flat[0]
        first.set_xlim(mdates.date2num(epoch) - 30, mdates.date2num(epoch) + span + 30)
        for ax in axes[-1]:
            set_years_since_ticks(
                ax.xaxis, epoch, width_in=width / ncols, label_in=0.25
            )
        for ax in axes.flat:
            ax.tick_params(labelsize=ANNOTATION_SIZE)
        fig.supxlabel("Years since diagnosis", fontsize=7.0, y=0.005)
        values = pd.concat([cohort.cases[p].measurements for p in ids])
        values = values.loc[values["marker"] == marker, "value"]
        if len(values):
            first.set_ylim(
                10 ** np.floor(np.log10(values.min())),
                10 ** np.ceil(np.log10(values.max())),
            )
    return fig
