"""Marker kinetics and response: log-linear fits and criteria (pure pandas/numpy).

Definitions follow ``docs/markers.md``: the slope k of ln(value) against
time in exact days, fitted by least squares; half-life ln 2 / -k for a falling marker,
doubling time ln 2 / k for a rising one; months of 365.25 / 12 days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..reading.errors import InputError
from .gaps import censor_signs
from .timeline import DAYS_PER_MONTH

# A baseline older than this no longer describes the disease at treatment.
DEFAULT_BASELINE_DAYS = 90.0


class KineticsError(InputError):
    """Raised when a window holds too little to compute a rate or a response."""


@dataclass(frozen=True)
class Kinetics:
    """A log-linear fit of one marker over a window.

    Attributes
    ----------
    marker, unit : str
    start, end : Timestamp
        The window.
    dates, values : tuple
        The results used in the fit.
    censored_left_out : int
        Censored results in the window, left out of the fit.
    slope_per_day : float
        k, the slope of ln(value) per day.
    r_squared : float
        Coefficient of determination; 1 for two points (an apparent rate).
    half_life_days, doubling_time_days : float or None
        ln 2 / -k for a falling marker, ln 2 / k for a rising one.
    """

    marker: str
    unit: str
    start: pd.Timestamp
    end: pd.Timestamp
    dates: tuple
    values: tuple
    censored_left_out: int
    slope_per_day: float
    r_squared: float
    half_life_days: float | None
    doubling_time_days: float | None

    @property
    def apparent(self) -> bool:
        """Whether the rate rests on two points only."""
        return len(self.values) == 2

    @property
    def half_life_months(self) -> float | None:
        return (
            None
            if self.half_life_days is None
            else self.half_life_days / DAYS_PER_MONTH
        )

    @property
    def doubling_time_months(self) -> float | None:
        if self.doubling_time_days is None:
            return None
        return self.doubling_time_days / DAYS_PER_MONTH

    def describe(self) -> str:
        """Return a short label such as ``t½ 30 d`` or ``DT 49.5 mo``."""
        if self.half_life_days is not None:
            return f"t½ {_days_or_months(self.half_life_days)}"
        if self.doubling_time_days is not None:
            return f"DT {_days_or_months(self.doubling_time_days)}"
        return "flat"


def _days_or_months(days: float) -> str:
    if days < 3 * 30.4375:
        return f"{days:.0f} d" if days >= 10 else f"{days:.1f} d"
    return f"{days / DAYS_PER_MONTH:.1f} mo"


def fit_kinetics(measurements, *, marker: str, start, end) -> Kinetics:
    """Fit ln(value) against time in days over a window, both ends included.

    Parameters
    ----------
    measurements : DataFrame
        With ``date``, ``marker``, ``value``, ``unit`` and ``censor`` columns.
    marker : str
        Canonical marker name.
    start, end : datetime-like
        The window.

    Returns
    -------
    Kinetics

    Raises
    ------
    KineticsError
        When the window is empty or zero-length, or holds fewer than two uncensored
        results on different days.

    Examples
    --------
    >>> fit = fit_kinetics(case.measurements, marker="AFP",
    ...                    start="2012-08-01", end="2013-02-08")
    >>> round(fit.half_life_days, 1)
    30.1
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    window = f"{marker} {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    if end <= start:
        raise KineticsError(
            f"{window}: the window has no length; give an end after its start"
        )
    rows = measurements[
        (measurements["marker"] == marker)
        & (measurements["date"] >= start)
        & (measurements["date"] <= end)
    ].sort_values("date")
    censored = pd.Series(censor_signs(rows) != "", index=rows.index)
    usable = rows[~censored]
    if rows.empty:
        raise KineticsError(f"{window}: no results in the window")
    if usable.empty:
        raise KineticsError(
            f"{window}: all {len(rows)} results are censored; a rate needs measured "
            "values"
        )
    if usable["date"].nunique() < 2:
        left_out = (
            f" ({int(censored.sum())} censored left out)" if censored.any() else ""
        )
        raise KineticsError(
            f"{window}: measured results on one day only{left_out}; a rate needs "
            "results on two days or more"
        )
    days = (
        usable["date"] - usable["date"].iloc[0]
    ).dt.total_seconds().to_numpy() / 86400
    logs = np.log(usable["value"].to_numpy(dtype=float))
    slope, intercept = np.polyfit(days, logs, 1)
    fitted = intercept + slope * days
    total = float(np.sum((logs - logs.mean()) ** 2))
    r_squared = 1.0 - float(np.sum((logs - fitted) ** 2)) / total if total else 1.0
    return Kinetics(
        marker=marker,
        unit=str(usable["unit"].iloc[0]),
        start=start,
        end=end,
        dates=tuple(usable["date"]),
        values=tuple(usable["value"].astype(float)),
        censored_left_out=int(censored.sum()),
        slope_per_day=float(slope),
        r_squared=r_squared,
        half_life_days=math.log(2) / -slope if slope < 0 else None,
        doubling_time_days=math.log(2) / slope if slope > 0 else None,
    )


def find_treatment(treatments, name) -> pd.Series:
    """Return the treatment whose label (or 1-based row order) is ``name``."""
    labels = treatments["label"].fillna("").astype(str)
    chosen = treatments[labels.str.casefold() == str(name).strip().casefold()]
    if len(chosen) == 1:
        return chosen.iloc[0]
    if str(name).isdigit() and 1 <= int(name) <= len(treatments):
        return treatments.iloc[int(name) - 1]
    known = ", ".join(repr(label) for label in labels if label)
    raise KineticsError(f"no single treatment labelled {name!r}; known: {known}")


def treatment_window(
    measurements,
    treatments,
    treatment,
    *,
    marker,
    until=None,
    baseline_days=DEFAULT_BASELINE_DAYS,
):
    """Return the window from a treatment's baseline to the next treatment.

    The window starts at the baseline (the last result of ``marker`` at most
    ``baseline_days`` before the treatment starts, or the start itself) and ends the
    day before the next treatment starts, or at ``until`` (the last follow-up) after
    the last one.
    """
    row = find_treatment(treatments, treatment)
    earliest = row["start"] - pd.Timedelta(days=baseline_days)
    dates = measurements.loc[measurements["marker"] == marker, "date"]
    before = dates[(dates <= row["start"]) & (dates >= earliest)]
    start = before.max() if len(before) else row["start"]
    finish = row["end"] if pd.notna(row["end"]) else row["start"]
    later = treatments[treatments["start"] > finish]
    if len(later):
        end = later["start"].min() - pd.Timedelta(days=1)
    else:
        end = pd.Timestamp(until) if until is not None else dates.max()
    return start, end


def kinetics_table(case, *, windows=None) -> pd.DataFrame:
    """Return one row per marker and window: rate, R², points, or why there is none.

    Parameters
    ----------
    case : Case
    windows : list, optional
        Each a treatment label (the window after it, from its baseline to the next
        treatment) or a ``(start, end)`` pair of dates. By default, every treatment.

    Returns
    -------
    DataFrame
        Columns ``marker``, ``window``, ``start``, ``end``, ``points``,
        ``censored_left_out``, ``slope_per_day``, ``half_life_days``,
        ``half_life_months``, ``doubling_time_days``, ``doubling_time_months``,
        ``r_squared``, ``note``.
    """
    if windows is None:
        windows = [
            str(label or kind)
            for label, kind in zip(
                case.treatments["label"], case.treatments["kind"], strict=True
            )
        ]
    rows = []
    for marker in case.markers:
        for window in windows:
            if isinstance(window, str):
                name = f"after {window}"
                start, end = treatment_window(
                    case.measurements,
                    case.treatments,
                    window,
                    marker=marker,
                    until=case.last_follow_up,
                )
            else:
                start, end = (pd.Timestamp(w) for w in window)
                name = f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
            row = {"marker": marker, "window": name, "start": start, "end": end}
            try:
                fit = fit_kinetics(
                    case.measurements, marker=marker, start=start, end=end
                )
            except KineticsError as err:
                row["note"] = str(err).split(": ", 1)[1]
            else:
                row.update(
                    points=len(fit.values),
                    censored_left_out=fit.censored_left_out,
                    slope_per_day=fit.slope_per_day,
                    half_life_days=fit.half_life_days,
                    half_life_months=fit.half_life_months,
                    doubling_time_days=fit.doubling_time_days,
                    doubling_time_months=fit.doubling_time_months,
                    r_squared=fit.r_squared,
                    note="apparent (two points)" if fit.apparent else "",
                )
            rows.append(row)
    columns = [
        "marker",
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
        "note",
    ]
    return pd.DataFrame(rows, columns=columns)


def uln_crossings(measurements, *, marker, uln, max_gap_days) -> list[pd.Timestamp]:
    """Return when a marker's line falls below its upper limit, interpolated.

    Only consecutive measured results that the figure joins (no censored result,
    no gap longer than ``max_gap_days``) are used, and the crossing is interpolated
    on ln(value), as the log axis draws the line.
    """
    rows = measurements[measurements["marker"] == marker].sort_values("date")
    censored = censor_signs(rows) != ""
    dates, values = rows["date"].to_list(), rows["value"].to_numpy(dtype=float)
    crossings = []
    for i in range(len(rows) - 1):
        span = (dates[i + 1] - dates[i]).total_seconds() / 86400
        if censored[i] or censored[i + 1] or span > max_gap_days:
            continue
        if values[i] > uln >= values[i + 1]:
            share = (math.log(values[i]) - math.log(uln)) / (
                math.log(values[i]) - math.log(values[i + 1])
            )
            crossings.append(dates[i] + pd.Timedelta(days=share * span))
    return crossings
