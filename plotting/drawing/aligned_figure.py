"""Cohort figure: trajectories aligned at a treatment, with their median."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..computing.alignment import align_cohort, median_trajectory
from ..computing.gaps import reported_zeros
from ..computing.timeline import DAYS_PER_MONTH
from ..core.specimens import series_name
from ..core.vocabulary import is_known_kind, lane_for
from .axes import current_axes, use_log_axis
from .journals import journal_preset
from .style import (
    ANNOTATION_SIZE,
    OKABE_ITO,
    ZERO_SYMBOL,
    ZERO_SYMBOL_SCALE,
    house_style,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from matplotlib.figure import Figure

    from ..core.cohort import Cohort

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
        As :func:`plotting.computing.alignment.align_cohort` returns.
    column : {"value", "percent"}
        What to draw.
    ax : Axes, optional
        Axes to draw on; defaults to the current Axes.
    log : bool
        Log y axis.
    median : DataFrame, optional
        As :func:`plotting.computing.alignment.median_trajectory` returns;
        drawn as a line with its interquartile band.
    color : color
        Color of the patients' lines.
    median_kws : dict, optional
        Passed to ``Axes.plot`` for the median.
    **kwargs
        Passed to ``Axes.plot`` for each patient's lines.

    On a log axis, results reported as 0 stand on the axis floor as half discs
    (unclipped, in axes coordinates), as :func:`plotting.plot_marker_trend`
    draws them, and are named in the legend; no line runs to them.

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
    zeros = reported_zeros(aligned) & (ax.get_yscale() == "log")
    measured = aligned[(aligned["censor"] == "") & ~zeros]
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
    if zeros.any():
        ax.plot(
            aligned.loc[zeros, "days"] / DAYS_PER_MONTH,
            np.zeros(zeros.sum()),
            marker=ZERO_SYMBOL,
            markersize=2.5 * ZERO_SYMBOL_SCALE,
            linestyle="none",
            color=color,
            alpha=0.6,
            clip_on=False,
            transform=ax.get_xaxis_transform(),
            gid="patient-zero",
            label="Reported as 0 (at the axis floor)",
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
        As :func:`plotting.computing.alignment.median_trajectory` returns.
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
    cohort: Cohort,
    *,
    marker: str,
    anchor: str = "tace",
    percent: bool = False,
    log: bool = True,
    step_days: float = 30.0,
    min_patients: int = 5,
    preset: str = "double",
    rc: Mapping[str, Any] | None = None,
    specimen: str | None = None,
) -> Figure:
    """Draw one marker for all patients from a treatment on, with the median.

    Parameters
    ----------
    cohort : Cohort
        As :func:`read_cohort` returns.
    marker : str
        The marker drawn.
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
        The rcParams that override the house style.
    specimen : str, optional
        The specimen drawn (``""``: not stated); needed when the patients'
        results are in several (one axis, one median: one series).

    Returns
    -------
    Figure
        Trajectories above, patients contributing below.
    """
    aligned = align_cohort(
        cohort, marker=marker, anchor=anchor, percent=percent, specimen=specimen
    )
    if aligned.attrs.get("specimen"):
        marker = series_name(marker, aligned.attrs["specimen"])
    name = lane_for(anchor) if is_known_kind(anchor) else anchor
    column = "percent" if percent else "value"
    median = median_trajectory(
        aligned, column=column, step_days=step_days, min_patients=min_patients
    )
    width = journal_preset(preset).width_in
    # pyplot only when drawn: importing it is a tenth of a `render`, which needs none.
    import matplotlib.pyplot as plt

    from .notebook_figure import NotebookFigure

    with house_style(rc):
        fig, (top, bottom) = plt.subplots(
            2,
            1,
            figsize=(width, 3.6),
            FigureClass=NotebookFigure,
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
        # The one unit of the values drawn (align_cohort refuses several).
        unit = aligned.attrs.get("unit") or ""
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
