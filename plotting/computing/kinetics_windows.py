"""Kinetics windows after treatments, cut at the nadir, and the table of their rates.

A treatment's window runs from its baseline towards the next treatment, but a fall
and a later relapse are not one exponential: the window ends at the nadir of a fall
and starts at the nadir of a rise (``treatment_window``). Windows given as dates
are kept as given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from ..core.dates import format_time
from .gaps import censor_signs
from .kinetics import (
    DEFAULT_BASELINE_DAYS,
    DEFAULT_TURN_PERCENT,
    KineticsError,
    find_treatment,
    fit_kinetics,
    require_times,
    rounded_rates,
    window_bounds,
)
from .series import marker_specimens, series_rows

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ..core.case import Case


class Window(NamedTuple):
    """A kinetics window worked out from a treatment.

    Attributes
    ----------
    start, end : Timestamp
    phase : {"fall", "rise", ""}
        ``fall`` for a window ending at the nadir, ``rise`` for one starting at it,
        ``""`` when too few results tell (the whole span is kept).
    """

    start: pd.Timestamp
    end: pd.Timestamp
    phase: str = ""


def treatment_window(
    measurements,
    treatments,
    treatment,
    *,
    marker,
    until=None,
    baseline_days=DEFAULT_BASELINE_DAYS,
    turn_percent=DEFAULT_TURN_PERCENT,
    specimen=None,
) -> Window:
    """Return the window in which a marker falls (or rises) after a treatment.

    The window is of one series: the marker's results in ``specimen`` (needed
    when they are in several; see :func:`plotting.computing.series.series_rows`).

    The span considered runs from the baseline (the last result of ``marker`` at
    most ``baseline_days`` before the treatment starts, or the start itself) to the
    day before the next treatment starts, or to ``until`` (the last follow-up) after
    the last one. Within it the window is cut at the nadir, so that a fall and a
    later relapse are never fitted as one exponential:

    - if the marker falls from its first result, the window *ends at the nadir*:
      the first result within ``turn_percent`` percent of the lowest one (a
      censored ``<`` result counts at its limit, a result of 0 as 0, so a fall
      to 0 ends at the first 0), so a plateau at the nadir is left out too;
    - otherwise it rises, and the window *starts at the nadir*, the lowest result
      (the last 0, when it rises from results of 0).

    With fewer than two results the span is returned whole; the fit then says why it
    has no rate.

    Returns
    -------
    Window
        ``(start, end, phase)``; unpacks as a tuple.
    """
    row = find_treatment(treatments, treatment)
    earliest = row["start"] - pd.Timedelta(days=baseline_days)
    rows = series_rows(measurements, marker=marker, specimen=specimen)
    dates = rows["date"]
    before = dates[(dates <= row["start"]) & (dates >= earliest)]
    start = before.max() if len(before) else row["start"]
    finish = row["end"] if pd.notna(row["end"]) else row["start"]
    later = treatments[treatments["start"] > finish]
    if len(later):
        end = later["start"].min() - pd.Timedelta(days=1)
    else:
        end = pd.Timestamp(until) if until is not None else dates.max()
    return _cut_at_nadir(rows, start, end, turn_percent)


def _cut_at_nadir(rows, start, end, turn_percent) -> Window:
    inside = rows[(rows["date"] >= start) & (rows["date"] <= end)]
    signs = pd.Series(censor_signs(inside), index=inside.index)
    # Above-limit results say nothing about where the nadir is.
    known = inside[signs != ">"].sort_values("date", kind="stable")
    if known["date"].nunique() < 2:
        return Window(start, end)
    values = known["value"].to_numpy(dtype=float)
    floor = values.min() * (1 + turn_percent / 100)
    if values[0] > floor:
        nadir = known["date"].iloc[int(np.argmax(values <= floor))]
        return Window(start, nadir, "fall")
    lowest = np.flatnonzero(values == values.min())[-1]
    return Window(known["date"].iloc[int(lowest)], end, "rise")


def kinetics_table(case: Case, *, windows: Sequence[Any] | None = None) -> pd.DataFrame:
    """Return one row per series and window: rate, R², points, or why there is none.

    A series is a marker in one specimen: CEA in serum and CEA in urine are two
    rows of each window, never one fit.

    Rates are rounded to what the dates support (``rounded_rates``). The
    ``note`` says which fits are apparent (two points), poor (R² below 0.8 or a
    change of direction; such rates are not drawn on a figure unless asked for),
    rest on imprecise dates, left results of 0 out (0 has no logarithm), or
    were cut at the nadir.

    Parameters
    ----------
    case : Case
        As :func:`read_case` returns.
    windows : list, optional
        Each a treatment label (the fall to the nadir after it, or the rise from
        the nadir: ``treatment_window``) or a ``(start, end)`` pair of dates,
        kept as given. By default, every treatment.

    Returns
    -------
    DataFrame
        Columns ``marker``, ``specimen`` (``""``: not stated), ``window``,
        ``start``, ``end``, ``points``,
        ``censored_left_out``, ``slope_per_day``, ``half_life_days``,
        ``half_life_months``, ``doubling_time_days``, ``doubling_time_months``,
        ``r_squared``, ``date_precision``, ``poor_fit``, ``note``.
    """
    require_times(case.time_unit, "a kinetics table")
    if windows is None:
        windows = _every_treatment(case.treatments)
    rows = []
    series = [
        (marker, specimen)
        for marker in case.markers
        for specimen in marker_specimens(case.measurements, marker) or ("",)
    ]
    for marker, specimen in series:
        for window in windows:
            notes = []
            if isinstance(window, str):
                start, end, phase = treatment_window(
                    case.measurements,
                    case.treatments,
                    window,
                    marker=marker,
                    until=case.last_follow_up,
                    specimen=specimen,
                )
                name = f"after {_treatment_name(case.treatments, window)}: "
                name += _span_text(start, end, case.time_unit)
                notes += {"fall": ["to the nadir"], "rise": ["from the nadir"]}.get(
                    phase, []
                )
            else:
                start, end = window_bounds(window, case.time_unit)
                name = _span_text(start, end, case.time_unit)
            row = {
                "marker": marker,
                "specimen": specimen,
                "window": name,
                "start": start,
                "end": end,
            }
            try:
                fit = fit_kinetics(
                    case.measurements,
                    marker=marker,
                    start=start,
                    end=end,
                    time_unit=case.time_unit,
                    specimen=specimen,
                )
            except KineticsError as err:
                notes.insert(0, str(err).split(": ", 1)[1])
            else:
                row.update(
                    points=len(fit.values),
                    censored_left_out=fit.censored_left_out,
                    **rounded_rates(fit),
                    r_squared=fit.r_squared,
                    date_precision=fit.date_precision,
                    poor_fit=fit.poor_fit,
                )
                notes[:0] = [
                    text
                    for text in (
                        fit.poor_fit and f"poor fit: {fit.poor_fit_reason}",
                        fit.apparent and "apparent (two points)",
                        fit.ranged_left_out
                        and f"{fit.ranged_left_out} timed only as a range left out",
                        fit.precision_note,
                        fit.zeros_note,
                    )
                    if text
                ]
            row["note"] = "; ".join(notes)
            rows.append(row)
    columns = [
        "marker",
        "specimen",
        "window",
        "start",
        "end",
        "points",
        "censored_left_out",
        "slope_per_day",
        "half_life_days",
        "half_life_months",
        "doubling_time_days",
        "doubling_time_months",
        "r_squared",
        "date_precision",
        "poor_fit",
        "note",
    ]
    return pd.DataFrame(rows, columns=columns)


def _every_treatment(treatments) -> list[str]:
    """Name each treatment once: by its label, or by its row where several share
    it (the courses of a therapy whose dose changed, say)."""
    labels = [
        str(label or kind)
        for label, kind in zip(treatments["label"], treatments["kind"], strict=True)
    ]
    folded = [label.strip().casefold() for label in labels]
    return [
        label if folded.count(folded[n]) == 1 else str(n + 1)
        for n, label in enumerate(labels)
    ]


def _treatment_name(treatments, window: str) -> str:
    """``Bone RT``, or ``row 2 (Lenvatinib)`` for a treatment named by its row."""
    if window.isdigit() and 1 <= int(window) <= len(treatments):
        row = treatments.iloc[int(window) - 1]
        return f"row {window} ({row['label'] or row['kind']})"
    return window


def _span_text(start, end, unit) -> str:
    """``2012-08-01 to 2013-02-08``, or ``month 0 to month 12`` for relative times."""
    return f"{format_time(start, unit)} to {format_time(end, unit)}"
