"""Small multiples: one panel per patient of a cohort, on shared axes."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd

from ..computing.alignment import cohort_specimen, shared_unit
from ..computing.log_range import decade_range
from ..computing.series import series_rows
from ..core.errors import InputError
from ..core.specimens import is_reference_specimen, series_name
from .journals import journal_preset
from .measure import literal, widest
from .style import ANNOTATION_SIZE, OKABE_ITO, house_style
from .time_axis import set_years_since_ticks
from .track import shade_courses
from .trend import plot_marker_trend

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from matplotlib.figure import Figure

    from ..core.cohort import Cohort


def plot_small_multiples(
    cohort: Cohort,
    *,
    marker: str,
    ncols: int = 5,
    max_patients: int | None = None,
    preset: str = "double",
    rc: Mapping[str, Any] | None = None,
    specimen: str | None = None,
) -> Figure:
    """Draw one small panel per patient with shared axes, time since diagnosis.

    Parameters
    ----------
    cohort : Cohort
        As :func:`read_cohort` returns.
    marker : str
        The marker drawn.
    ncols : int
        Panels per row.
    max_patients : int, optional
        Draw only the first patients (by id).
    preset : {"single", "1.5", "double"}
        Figure width.
    rc : dict, optional
        The rcParams that override the house style.
    specimen : str, optional
        The specimen drawn (``""``: not stated); needed when the patients'
        results are in several (shared axes: one series).

    Returns
    -------
    Figure
        One panel per patient, on shared axes.
    """
    ids = sorted(cohort.cases)[:max_patients] if max_patients else sorted(cohort.cases)
    if not ids:
        raise InputError("the cohort has no readable patients")
    # Panels share one y axis: one series and one unit, as align_cohort.
    shown = {pid: cohort.cases[pid] for pid in ids}
    specimen = cohort_specimen(shown, marker, specimen)
    unit = shared_unit(shown, marker, specimen)
    nrows = math.ceil(len(ids) / ncols)
    width = journal_preset(preset).width_in
    epoch = pd.Timestamp("2000-01-01")
    ylabel = literal(
        f"{series_name(marker, specimen) if specimen else marker} "
        f"({unit + ', ' if unit else ''}log scale)"
    )
    # pyplot only when drawn: importing it is a tenth of a `render`, which needs none.
    import matplotlib.pyplot as plt

    from .notebook_figure import NotebookFigure

    with house_style(rc):
        # One row of panels is shorter than a long y label ("Chromogranin A,
        # peritoneal fluid (ng/mL, log scale)"): the figure grows to hold it.
        label_in = widest([ylabel], dpi=mpl.rcParams["figure.dpi"], size=7.0)
        height = max(0.2 + 0.95 * nrows, label_in + 0.3)
        fig, axes = plt.subplots(
            nrows,
            ncols,
            figsize=(width, height),
            FigureClass=NotebookFigure,
            sharex=True,
            sharey=True,
            squeeze=False,
            gridspec_kw={
                "hspace": 0.45,
                "wspace": 0.08,
                "left": 0.1,
                "right": 0.99,
                "top": 1 - 0.2 / height,
                "bottom": 0.45 / height,
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
                specimen=specimen,
                ax=ax,
                color=OKABE_ITO["blue"],
                max_gap_days=case.max_gap_days,
                label="_nolegend_",
                linewidth=0.8,
                point_kws={"markersize": 2.2, "markeredgewidth": 0.6},
            )
            shade_courses(courses, ax=ax)
            uln = case.markers[marker].uln if marker in case.markers else None
            # The registry's limits are of serum or plasma.
            if uln and is_reference_specimen(specimen):
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
        fig.supylabel(ylabel, fontsize=7.0, x=0.005)
        values = pd.concat([cohort.cases[p].measurements for p in ids])
        values = series_rows(values, marker=marker, specimen=specimen)["value"]
        # Whole decades, with a floor clear of every positive result when a
        # result of 0 stands on it.
        drawn = decade_range(values)
        if drawn is not None:
            first.set_ylim(*drawn)
    return fig
