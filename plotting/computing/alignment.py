"""Trajectories of one marker across a cohort, aligned at a treatment (pure pandas)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.vocabulary import canonical_kind
from .gaps import gap_segments


def align_cohort(
    cohort,
    *,
    marker: str,
    anchor: str = "tace",
    percent=False,
    max_gap_days: float | None = None,
) -> pd.DataFrame:
    """Put every patient's results on a common clock starting at a treatment.

    Parameters
    ----------
    cohort : Cohort
    marker : str
        Canonical marker name.
    anchor : str
        Treatment kind (``tace``, ``radiotherapy``...) or label whose first start
        is day 0 for each patient.
    percent : bool
        Also express each result as percent of the patient's baseline (the last
        measured result on or before day 0); patients without one are left out.
    max_gap_days : float, optional
        Results further apart are not joined; defaults to each case's setting.

    Returns
    -------
    DataFrame
        ``patient_id``, ``days``, ``value``, ``censor``, ``percent`` and
        ``segment`` (runs a line may join). ``attrs["left_out"]`` maps patients
        left out to the reason.
    """
    frames, left_out = [], {}
    key = (canonical_kind(anchor) or anchor).strip().casefold()
    for pid, case in cohort.cases.items():
        t = case.treatments
        chosen = t[
            (t["kind"].str.casefold() == key)
            | (t["label"].fillna("").str.casefold() == key)
        ]
        rows = case.measurements[case.measurements["marker"] == marker]
        if chosen.empty:
            left_out[pid] = f"no {anchor}"
            continue
        if rows.empty:
            left_out[pid] = f"no {marker} results"
            continue
        zero = chosen["start"].min()
        rows = rows.sort_values("date")
        days = (rows["date"] - zero).dt.total_seconds().to_numpy() / 86400
        frame = pd.DataFrame(
            {
                "patient_id": pid,
                "days": days,
                "value": rows["value"].to_numpy(dtype=float),
                "censor": rows["censor"].fillna("").to_numpy(),
            }
        )
        before = frame[(frame["days"] <= 0) & (frame["censor"] == "")]
        if percent:
            if before.empty:
                left_out[pid] = "no measured baseline on or before day 0"
                continue
            frame["percent"] = frame["value"] / before["value"].iloc[-1] * 100
        else:
            frame["percent"] = np.nan
        gap = case.max_gap_days if max_gap_days is None else max_gap_days
        frame["segment"] = gap_segments(
            rows["date"], gap, alone=frame["censor"].to_numpy() != ""
        )
        frames.append(frame)
    columns = ["patient_id", "days", "value", "censor", "percent", "segment"]
    aligned = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=columns)
    )
    aligned.attrs["left_out"] = left_out
    return aligned


def median_trajectory(
    aligned, *, column="value", step_days=30.0, min_patients=3
) -> pd.DataFrame:
    """Return the median trajectory on a regular grid, with quartiles and counts.

    Each patient's measured results are interpolated on the log scale onto the
    grid, only between its own joined results (no extrapolation, no bridging of
    gaps); at each grid day the median, the quartiles and the number of patients
    contributing are reported, and the median where fewer than ``min_patients``
    contribute is left empty.
    """
    data = aligned[(aligned["censor"] == "") & aligned[column].notna()]
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
