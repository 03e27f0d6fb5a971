"""Trajectories of one marker across a cohort, aligned at a treatment (pure pandas)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core.errors import InputError
from ..core.markers import CONVERSIONS
from ..core.specimens import specimen_order
from ..core.vocabulary import canonical_kind
from .gaps import gap_segments, reported_zeros
from .series import SeriesError, marker_specimens, specimens_of

if TYPE_CHECKING:
    from ..core.cohort import Cohort


def cohort_specimen(cases, marker: str, specimen: str | None = None) -> str:
    """Return the one specimen of a marker drawn across patients.

    One axis and one median are of one series: a cohort whose patients have the
    marker in serum and in urine draws one of them, named by ``specimen``.

    Raises
    ------
    SeriesError
        When ``specimen`` is not given and the results are in several.
    """
    found = sorted(
        {
            s
            for case in cases.values()
            for s in marker_specimens(case.measurements, marker)
        },
        key=specimen_order,
    )
    named = ", ".join(repr(s) for s in found)
    if specimen is not None:
        if found and specimen not in found:
            said = repr(specimen) if specimen else "'' (not stated)"
            raise SeriesError(
                f"no patient has {marker} in the specimen {said}; the cohort's "
                f"{marker} is in {named} ('' is not stated)"
            )
        return specimen
    if len(found) > 1:
        raise SeriesError(
            f"{marker} is measured in more than one specimen across the patients "
            f"({named}; '' is not stated): series that are never drawn as one; "
            "choose one (--specimen on the command line, specimen= in Python)"
        )
    return found[0] if found else ""


def _series(rows, marker: str, specimen: str):
    rows = rows[rows["marker"] == marker]
    return rows[specimens_of(rows) == specimen]


def shared_unit(cases, marker: str, specimen: str | None = None) -> str:
    """Return the one unit of a marker's results across patients drawn together.

    Values on one axis, or pooled in one median, must be in one unit. Spellings
    of one unit (ng/mL, µg/L) are one unit already, as the reader writes each
    unit canonically. Results in two units are converted only by an exact
    conversion, and the registry states none across patients: its IU/mL to
    ng/mL factor for AFP depends on the assay, so each case (or a tidy cohort's
    cohort.toml) must ask for it, as it does for its own results.

    Parameters
    ----------
    cases : dict
        Patient id to Case: the patients whose results go on the axis.
    marker : str
        Canonical marker name.
    specimen : str, optional
        The series' specimen (``""``: not stated); by default the one specimen
        the patients' results are in (``cohort_specimen``).

    Returns
    -------
    str
        The unit; without results, the unit the cases give the marker, else "".

    Raises
    ------
    InputError
        Naming each unit and its patients.
    """
    specimen = cohort_specimen(cases, marker, specimen)
    units: dict = {}
    for pid, case in cases.items():
        for unit in _series(case.measurements, marker, specimen)["unit"].unique():
            units.setdefault(unit, []).append(pid)
    if len(units) > 1:
        raise InputError(_mixed_units(marker, units))
    if units:
        return next(iter(units))
    known = [c.markers[marker].unit for c in cases.values() if marker in c.markers]
    return known[0] if len(set(known)) == 1 else ""


def _mixed_units(marker: str, units: dict) -> str:
    listed = "; ".join(
        f"{unit} for {len(pids)} {'patient' if len(pids) == 1 else 'patients'} "
        f"({', '.join(map(repr, sorted(pids)[:5]))}"
        f"{f' and {len(pids) - 5} more' if len(pids) > 5 else ''})"
        for unit, pids in sorted(units.items())
    )
    asked = [
        (source, goal)
        for (name, source, goal) in CONVERSIONS
        if name == marker and {source, goal} <= set(units)
    ]
    if asked:
        source, goal = asked[0]
        factor = CONVERSIONS[marker, source, goal]
        how = (
            f"no exact conversion exists (1 {source} = {factor:g} {goal} depends "
            "on the assay), so convert where the data are read: "
            f'convert_to = "{goal}" and factor = (your assay\'s {goal} per '
            f"{source}) under [markers.{marker}] in each case.toml, or in "
            "cohort.toml for tidy tables; or draw the patients of each unit in a "
            "figure of their own"
        )
    else:
        how = (
            "no conversion between these units exists; draw the patients of each "
            "unit in a figure of their own"
        )
    return (
        f"{marker} is in more than one unit across the patients ({listed}); one "
        f"axis and one median need one unit, and {how}"
    )


def align_cohort(
    cohort: Cohort,
    *,
    marker: str,
    anchor: str = "tace",
    percent: bool = False,
    max_gap_days: float | None = None,
    specimen: str | None = None,
) -> pd.DataFrame:
    """Put every patient's results on a common clock starting at a treatment.

    The results are of one series: the marker in one specimen.

    Parameters
    ----------
    cohort : Cohort
        As :func:`read_cohort` returns.
    marker : str
        Canonical marker name.
    anchor : str
        Treatment kind (``tace``, ``radiotherapy``...) or label whose first start
        is day 0 for each patient.
    percent : bool
        Also express each result as percent of the patient's baseline (the last
        measured result on or before day 0); patients without one, or whose
        baseline is 0, are left out.
    max_gap_days : float, optional
        Results further apart are not joined; defaults to each case's setting.
    specimen : str, optional
        The specimen of the series (``""``: not stated); needed when the
        patients' results are in several (``cohort_specimen``).

    Returns
    -------
    DataFrame
        ``patient_id``, ``days``, ``value``, ``unit``, ``censor``, ``percent``
        and ``segment`` (runs a line may join: a censored result and a result
        reported as 0 are runs of their own). ``attrs["left_out"]`` maps
        patients left out to the reason; ``attrs["unit"]`` is the values' one
        unit (None when percent of baseline puts patients in several units side
        by side: a percent has no unit).

    Raises
    ------
    InputError
        When the patients aligned have the marker in different units and values
        are asked for (not ``percent``): see ``shared_unit``; or in several
        specimens, none chosen.
    """
    specimen = cohort_specimen(cohort.cases, marker, specimen)
    frames, left_out, drawn = [], {}, {}
    key = (canonical_kind(anchor) or anchor).strip().casefold()
    for pid, case in cohort.cases.items():
        t = case.treatments
        chosen = t[
            (t["kind"].str.casefold() == key)
            | (t["label"].fillna("").str.casefold() == key)
        ]
        rows = _series(case.measurements, marker, specimen)
        if chosen.empty:
            left_out[pid] = f"no {anchor}"
            continue
        if rows.empty:
            within = f" in {specimen}" if specimen else ""
            left_out[pid] = f"no {marker} results{within}"
            continue
        zero = chosen["start"].min()
        rows = rows.sort_values("date")
        days = (rows["date"] - zero).dt.total_seconds().to_numpy() / 86400
        frame = pd.DataFrame(
            {
                "patient_id": pid,
                "days": days,
                "value": rows["value"].to_numpy(dtype=float),
                "unit": rows["unit"].to_numpy(dtype=object),
                "censor": rows["censor"].fillna("").to_numpy(),
            }
        )
        before = frame[(frame["days"] <= 0) & (frame["censor"] == "")]
        if percent:
            if before.empty:
                left_out[pid] = "no measured baseline on or before day 0"
                continue
            if before["value"].iloc[-1] == 0:
                left_out[pid] = "a baseline of 0 (no percent of 0)"
                continue
            frame["percent"] = frame["value"] / before["value"].iloc[-1] * 100
        else:
            frame["percent"] = np.nan
        gap = case.max_gap_days if max_gap_days is None else max_gap_days
        frame["segment"] = gap_segments(
            rows["date"],
            gap,
            alone=(frame["censor"].to_numpy() != "") | reported_zeros(frame),
        )
        frames.append(frame)
        drawn[pid] = case
    try:
        unit = shared_unit(drawn, marker, specimen)
    except InputError:
        if not percent:
            raise
        unit = None
    columns = ["patient_id", "days", "value", "unit", "censor", "percent", "segment"]
    aligned = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=columns)
    )
    aligned.attrs["left_out"] = left_out
    aligned.attrs["unit"] = unit
    aligned.attrs["marker"] = marker
    aligned.attrs["specimen"] = specimen
    return aligned


def median_trajectory(
    aligned: pd.DataFrame,
    *,
    column: str = "value",
    step_days: float = 30.0,
    min_patients: int = 3,
) -> pd.DataFrame:
    """Return the median trajectory on a regular grid, with quartiles and counts.

    Each patient's measured results are interpolated on the log scale onto the
    grid, only between its own joined results (no extrapolation, no bridging of
    gaps); at each grid day the median, the quartiles and the number of patients
    contributing are reported, and the median where fewer than ``min_patients``
    contribute is left empty. Censored results and results reported as 0 (no
    logarithm) are left out, as they are of kinetics fits.

    Parameters
    ----------
    aligned : DataFrame
        As :func:`align_cohort` returns.
    column : {"value", "percent"}
        The values summarised.
    step_days : float
        Spacing of the grid, in days.
    min_patients : int
        The fewest patients contributing for a median to be given.

    Returns
    -------
    DataFrame
        ``days``, ``median``, the quartiles ``q25`` and ``q75``, and ``n`` (how
        many patients contribute) at each grid day.

    Raises
    ------
    InputError
        For values (``column="value"``) in more than one ``unit``.
    """
    if column == "value" and "unit" in aligned:
        units = aligned.groupby("unit", sort=True)["patient_id"].unique()
        if len(units) > 1:
            raise InputError(
                _mixed_units(aligned.attrs.get("marker", "the marker"), dict(units))
            )
    data = aligned[
        (aligned["censor"] == "") & aligned[column].notna() & (aligned[column] != 0)
    ]
    if data.empty:
        return pd.DataFrame(columns=["days", "median", "q25", "q75", "n"])
    grid = np.arange(
        np.floor(data["days"].min() / step_days) * step_days,
        data["days"].max() + step_days,
        step_days,
    )
    logs = np.full((data["patient_id"].nunique(), grid.size), np.nan)
    for number, (_, rows) in enumerate(data.groupby("patient_id", sort=False)):
        for _, run in rows.groupby("segment"):
            if len(run) < 2:
                near = np.abs(grid - run["days"].iloc[0]) <= step_days / 2
                logs[number, near] = np.log(run[column].iloc[0])
                continue
            inside = (grid >= run["days"].min()) & (grid <= run["days"].max())
            logs[number, inside] = np.interp(
                grid[inside], run["days"], np.log(run[column])
            )
    count = np.sum(~np.isnan(logs), axis=0)
    with np.errstate(all="ignore"):
        quartiles = np.nanpercentile(
            np.where(count >= 1, logs, 0), [25, 50, 75], axis=0
        )
    values = np.exp(quartiles)
    values[:, count < min_patients] = np.nan
    return pd.DataFrame(
        {
            "days": grid,
            "median": values[1],
            "q25": values[0],
            "q75": values[2],
            "n": count,
        }
    )
