"""Marker kinetics and response: log-linear fits and criteria (pure pandas/numpy).

Definitions follow ``docs/markers.md``: the slope k of ln(value) against
time in exact days, fitted by least squares; half-life ln 2 / -k for a falling marker,
doubling time ln 2 / k for a rising one; months of 365.25 / 12 days.

A rate is only as good as its window. A fit is a *poor fit* when its R² is below
:data:`POOR_FIT_R_SQUARED` or when the series changes direction inside the window
(:data:`DEFAULT_TURN_PERCENT`); and a rate is only as precise as its dates, so rates
from dates known to the month or less are rounded (``rounded_rates``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core.dates import UNTIMED_UNITS, format_time, time_position
from ..core.errors import InputError
from .gaps import censor_signs, reported_zeros
from .series import series_label, series_rows, specimens_of
from .timeline import DAYS_PER_MONTH, RELATIVE_UNITS

if TYPE_CHECKING:
    from ..core.types import DateLike

# A baseline older than this no longer describes the disease at treatment.
DEFAULT_BASELINE_DAYS = 90.0
# Below this R², one exponential does not describe the window: the rate is not shown
# on a figure unless asked for.
POOR_FIT_R_SQUARED = 0.8
# A rise or fall of less than this many percent between results is taken as
# measurement noise (assay imprecision plus day-to-day variation), not as a change
# of direction, and a result this close to the lowest one is at the nadir.
DEFAULT_TURN_PERCENT = 25.0
# Coarsest first: a window's dates are as precise as its least precise one.
_COARSENESS = ("year", "approximate", "month", "day")
_PRECISION_NOTES = {
    "month": "dates known to the month",
    "approximate": "dates approximate (about a month)",
    "year": "dates known to the year",
}


class KineticsError(InputError):
    """Raised when a window holds too little to compute a rate or a response."""


@dataclass(frozen=True)
class Kinetics:
    """A log-linear fit of one series (a marker in one specimen) over a window.

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
        ln 2 / -k for a falling marker, ln 2 / k for a rising one, unrounded; see
        ``rounded_rates`` for what the dates support.
    date_precision : {"day", "month", "approximate", "year"}
        The least precise date among the results used.
    direction_change : str
        Empty, or where the series turns, e.g. ``falls to 2013-02-08, then rises``
        (``falls to month 3, then rises`` in a case timed in months).
    time_unit : str, optional
        The case's relative time unit (``"months"``...), in which messages name
        times; None for calendar dates.
    specimen : str
        The specimen of the results fitted (``""``: not stated).
    series : str
        How labels and messages name the series: ``CEA, urine`` where the
        specimen is named (:func:`plotting.computing.series.names_specimen`),
        else empty (the marker's name).
    zeros_left_out : int
        Results reported as 0 in the window, left out of the fit (0 has no
        logarithm); they still count where the series turns
        (``direction_change``).
    ranged_left_out : int
        Results in the window known only to lie in a range of times, left out
        of the fit (a rate needs their times).
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
    date_precision: str = "day"
    direction_change: str = ""
    time_unit: str | None = None
    specimen: str = ""
    series: str = ""

    @property
    def name(self) -> str:
        """The series as labels name it: ``CEA``, or ``CEA, urine``."""
        return self.series or self.marker

    zeros_left_out: int = 0
    ranged_left_out: int = 0

    @property
    def apparent(self) -> bool:
        """Whether the rate rests on two points only."""
        return len(self.values) == 2

    @property
    def window(self) -> str:
        """The series and window, as messages name them."""
        return _window(self.name, self.start, self.end, self.time_unit)

    @property
    def poor_fit(self) -> bool:
        """Whether one exponential does not describe the window (R² or a turn)."""
        return bool(self.poor_fit_reason)

    @property
    def poor_fit_reason(self) -> str:
        """Why the fit is poor (R² below 0.8, a change of direction), or ``""``."""
        reasons = []
        if self.r_squared < POOR_FIT_R_SQUARED:
            reasons.append(f"R² {self.r_squared:.2f} below {POOR_FIT_R_SQUARED:g}")
        if self.direction_change:
            reasons.append(self.direction_change)
        return ", ".join(reasons)

    @property
    def zeros_note(self) -> str:
        """``1 result of 0 left out of the fit`` (or several), or ``""``."""
        return zeros_left_out_note(self.zeros_left_out)

    @property
    def precision_note(self) -> str:
        """``dates known to the month`` (or approximate, or to the year), or ``""``;
        ``times`` for a case timed from an event."""
        note = _PRECISION_NOTES.get(self.date_precision, "")
        # A case timed in months since an event has times, not dates.
        return note.replace("dates", "times", 1) if self.time_unit else note

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
        """Return a short label such as ``t½ 30 d``, ``DT 49.5 mo`` or ``t½ ≈30 d``.

        Rates from dates known to the day keep a decimal below 10 days and in
        months; from less precise dates they are whole days (whole months from three
        months on), marked ``≈``.
        """
        if self.half_life_days is not None:
            return f"t½ {self._days_or_months(self.half_life_days)}"
        if self.doubling_time_days is not None:
            return f"DT {self._days_or_months(self.doubling_time_days)}"
        return "flat"

    def _days_or_months(self, days: float) -> str:
        exact = self.date_precision == "day"
        about = "" if exact else "≈"
        if days < 3 * DAYS_PER_MONTH and self.date_precision != "year":
            decimals = 1 if exact and days < 10 else 0
            return f"{about}{days:.{decimals}f} d"
        return f"{about}{days / DAYS_PER_MONTH:.{1 if exact else 0}f} mo"


def rounded_rates(fit: Kinetics) -> dict:
    """Return the fit's rates rounded to what its dates support.

    Dates known to the day keep every digit. When any date in the fit is known only
    to the month (or is approximate), half-life and doubling time are whole days,
    and in months one decimal (whole months from three months on); dates known to
    the year give days to the nearest 10 and whole months. The slope keeps two
    significant digits then.

    Returns
    -------
    dict
        ``slope_per_day``, ``half_life_days``, ``half_life_months``,
        ``doubling_time_days``, ``doubling_time_months`` (None where not defined).
    """
    rates = {
        "slope_per_day": fit.slope_per_day,
        "half_life_days": fit.half_life_days,
        "half_life_months": fit.half_life_months,
        "doubling_time_days": fit.doubling_time_days,
        "doubling_time_months": fit.doubling_time_months,
    }
    if fit.date_precision == "day":
        return rates
    day_decimals = -1 if fit.date_precision == "year" else 0
    for name, value in rates.items():
        if value is None or value == 0:
            continue
        if name == "slope_per_day":
            digits = 1 - math.floor(math.log10(abs(value)))
            rates[name] = round(value, digits)
        elif name.endswith("_days"):
            rates[name] = float(round(value, day_decimals))
        else:
            long = value >= 3 or fit.date_precision == "year"
            rates[name] = float(round(value, 0 if long else 1))
    return rates


def poor_fit_message(fit: Kinetics) -> str:
    """Return the warning given when a poor fit is left off a figure."""
    low = fit.r_squared < POOR_FIT_R_SQUARED
    facts = [
        f"R² {fit.r_squared:.2f}" + (f" below {POOR_FIT_R_SQUARED:g}" if low else ""),
        f"n={len(fit.values)}",
        *([fit.direction_change] if fit.direction_change else []),
    ]
    return (
        f"{fit.window}: poor fit ({', '.join(facts)}); its rate is not drawn. "
        "Draw it anyway with "
        "--show-poor-fits (show_poor_fits=True), or choose a window in which the "
        "marker only falls or only rises"
    )


def fit_kinetics(
    measurements: pd.DataFrame,
    *,
    marker: str,
    start: DateLike | float,
    end: DateLike | float,
    turn_percent: float = DEFAULT_TURN_PERCENT,
    time_unit: str | None = None,
    specimen: str | None = None,
) -> Kinetics:
    """Fit ln(value) against time in days over a window, both ends included.

    A fit is of one series: the marker's results in one specimen, never two
    (a serum CEA and a urine CEA are not one exponential).

    The fit also records how precise its dates are (the ``date_precision`` column;
    ``day`` without one) and whether the series changes direction: an inner
    result more than ``turn_percent`` percent below some earlier result and below
    some later one (it falls, then rises), or above both (it rises, then falls).
    Either a change of direction or R² below 0.8 makes it a poor fit
    (``Kinetics.poor_fit``).

    Parameters
    ----------
    measurements : DataFrame
        With ``date``, ``marker``, ``value``, ``unit`` and ``censor`` columns, and
        optionally ``date_precision``.
    marker : str
        Canonical marker name.
    start, end : datetime-like, str or number
        The window: dates (a month or a year written as text is all of it:
        ``end="2013-02"`` is its last day), or for a case of relative times
        numbers of ``time_unit`` since the origin; Timestamps as placed.
    turn_percent : float
        Changes smaller than this are measurement noise, not a turn.
    time_unit : str, optional
        The case's relative time unit (``case.time_unit``): messages then name
        times as ``month 3``, never the calendar date they are placed at.
    specimen : str, optional
        The specimen of the series (``""``: not stated); needed when the
        marker's results are in several.

    Returns
    -------
    Kinetics
        The fitted rate with its points, R², window and notes.

    Raises
    ------
    KineticsError
        When the window is empty or zero-length, or holds fewer than two uncensored
        results on different days.
    SeriesError
        When ``specimen`` is not given and the marker's results are in several
        specimens.

    Examples
    --------
    >>> fit = fit_kinetics(case.measurements, marker="AFP",
    ...                    start="2012-08-01", end="2013-02-08")
    >>> round(fit.half_life_days, 1)
    30.1
    """
    if time_unit not in (None, *RELATIVE_UNITS):
        units = ", ".join(RELATIVE_UNITS)
        raise ValueError(f"time_unit must be None or one of {units}, not {time_unit!r}")
    require_times(time_unit, f"{marker}: a rate")
    start, end = window_bounds((start, end), time_unit)
    series = series_rows(measurements, marker=marker, specimen=specimen)
    if specimen is None:
        found = specimens_of(series)
        specimen = found.iloc[0] if len(found) else ""
    name = series_label(measurements, marker, specimen)
    window = _window(name, start, end, time_unit)
    if end <= start:
        raise KineticsError(
            f"{window}: the window has no length; give an end after its start"
        )
    rows = series[(series["date"] >= start) & (series["date"] <= end)].sort_values(
        "date"
    )
    censored = pd.Series(censor_signs(rows) != "", index=rows.index)
    ranged = (
        rows["latest"].notna()
        if "latest" in rows
        else pd.Series(False, index=rows.index)
    )
    # A 0 has no logarithm: left out of the fit, named in its notes, and still
    # a point of the series when it turns (a fall to 0, then a rise).
    zeros = pd.Series(reported_zeros(rows), index=rows.index)
    usable = rows[~censored & ~zeros & ~ranged]
    if rows.empty:
        raise KineticsError(f"{window}: no results in the window")
    if usable.empty and ranged.any():
        raise KineticsError(
            f"{window}: no result with a known time ({int(ranged.sum())} known only "
            "as a range of times); a rate needs results at known times"
        )
    if usable.empty:
        if not zeros.any():
            raise KineticsError(
                f"{window}: all {len(rows)} results are censored; a rate needs "
                "measured values"
            )
        what = "0" if not censored.any() else "0 or censored"
        raise KineticsError(
            f"{window}: all {len(rows)} results are {what}; a rate needs measured "
            "values above 0 (0 has no logarithm)"
        )
    if usable["date"].nunique() < 2:
        parts = [
            *([f"{int(censored.sum())} censored"] if censored.any() else []),
            *([f"{int(zeros.sum())} of 0"] if zeros.any() else []),
            *([f"{int(ranged.sum())} timed only as a range"] if ranged.any() else []),
        ]
        left_out = f" ({', '.join(parts)} left out)" if parts else ""
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
        date_precision=_coarsest(usable),
        direction_change=_direction_change(rows[~censored], turn_percent, time_unit),
        time_unit=time_unit,
        specimen=specimen,
        series="" if name == marker else name,
        zeros_left_out=int(zeros.sum()),
        ranged_left_out=int(ranged.sum()),
    )


def require_times(time_unit: str | None, what: str = "a rate") -> None:
    """Refuse to compute ``what`` (a rate, a response) in a case without times.

    Raises
    ------
    KineticsError
        When the case counts cycles of an unstated length or order positions.
    """
    if time_unit not in UNTIMED_UNITS:
        return
    have = (
        "cycles of a length the source does not state"
        if time_unit == "cycles"
        else "order positions, not times"
    )
    raise KineticsError(
        f"{what} needs times in days, weeks, months or years, and this case's "
        f"times are {have}; none is computed"
    )


def window_bounds(window, time_unit: str | None):
    """Place a ``(start, end)`` window as :func:`plotting.core.dates.time_position`
    does, Timestamps taken as placed already (relative times included).

    Raises
    ------
    KineticsError
        For a bound that is not a time of the case.
    """
    bounds = []
    for value, end in zip(window, (False, True), strict=True):
        if isinstance(value, pd.Timestamp | dt.datetime) and value.tzinfo is None:
            bounds.append(pd.Timestamp(value))
            continue
        try:
            bounds.append(time_position(value, time_unit, end=end))
        except (ValueError, TypeError) as err:
            raise KineticsError(f"window {window!r}: {err}") from None
    return tuple(bounds)


def zeros_left_out_note(count: int) -> str:
    """Return ``1 result of 0 left out of the fit`` (``2 results``...), or ``""``."""
    if not count:
        return ""
    return f"{count} {'result' if count == 1 else 'results'} of 0 left out of the fit"


def _window(marker, start, end, unit) -> str:
    return f"{marker} {format_time(start, unit)} to {format_time(end, unit)}"


def _coarsest(rows) -> str:
    if "date_precision" not in rows:
        return "day"
    written = set(rows["date_precision"].fillna("day").astype(str))
    return next((p for p in _COARSENESS if p in written), "day")


def _direction_change(rows, turn_percent, unit) -> str:
    """Describe the deepest trough or highest peak beyond noise, or return ``""``.

    A result of 0 is below every other (its log taken as minus infinity), so a
    fall to 0 and a rise after it is a turn.
    """
    values = rows["value"].to_numpy(dtype=float)
    logs = np.full(len(values), -np.inf)
    np.log(values, out=logs, where=values > 0)
    # Results on one day are one point of the series: their geometric mean.
    by_day = pd.Series(logs, index=rows.index).groupby(rows["date"]).mean()
    logs, dates = by_day.to_numpy(), by_day.index
    noise = math.log1p(turn_percent / 100)
    turns = []
    for i in range(1, len(logs) - 1):
        before, after = logs[:i], logs[i + 1 :]
        if logs[i] < before.max() - noise and logs[i] < after.max() - noise:
            turns.append((logs[i], dates[i], "falls to {}, then rises"))
        if logs[i] > before.min() + noise and logs[i] > after.min() + noise:
            turns.append((-logs[i], dates[i], "rises to {}, then falls"))
    if not turns:
        return ""
    troughs = [t for t in turns if t[2].startswith("falls")]
    peaks = [t for t in turns if t[2].startswith("rises")]
    extremes = [min(group, key=lambda t: t[0]) for group in (troughs, peaks) if group]
    _, date, text = min(extremes, key=lambda t: t[1])
    return text.format(format_time(date, unit))


def find_treatment(treatments, name) -> pd.Series:
    """Return the treatment whose label (or 1-based row order) is ``name``."""
    labels = treatments["label"].fillna("").astype(str)
    chosen = treatments[labels.str.casefold() == str(name).strip().casefold()]
    if len(chosen) == 1:
        return chosen.iloc[0]
    if str(name).isdigit() and 1 <= int(name) <= len(treatments):
        return treatments.iloc[int(name) - 1]
    rows = [
        n + 1
        for n, label in enumerate(labels.str.casefold())
        if len(chosen) > 1 and label == str(name).strip().casefold()
    ]
    if rows:
        raise KineticsError(
            f"{len(rows)} treatments are labelled {name!r} (treatments "
            f"{', '.join(map(str, rows))}, counted in file order); name one by that "
            f"number (such as {rows[0]}), or give the courses labels of their own"
        )
    known = ", ".join(repr(label) for label in labels if label)
    raise KineticsError(f"no single treatment labelled {name!r}; known: {known}")
