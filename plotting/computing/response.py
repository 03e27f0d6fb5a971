"""Marker response to a treatment: baseline, nadir and a criterion (pure pandas).

No criterion is hard-coded in the analysis: each is a :class:`Criterion` value, and
the named ones carry their source (``docs/markers.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..core.specimens import is_reference_specimen
from .gaps import censor_signs
from .kinetics import DEFAULT_BASELINE_DAYS, KineticsError, find_treatment
from .series import series_label, series_rows, specimens_of


@dataclass(frozen=True)
class Criterion:
    """A marker response definition; nothing about it is hard-coded elsewhere.

    Attributes
    ----------
    name : str
        How the criterion is named in tables and on figures (``afp-20``).
    percent : float
        Size of the change, e.g. 50 for a 50% decrease.
    direction : {"decrease", "increase"}
        The change that counts as a response.
    min_baseline : float or None
        Smallest baseline (in the marker's unit) for which the criterion applies.
    window_days : (float, float)
        Days after the treatment starts in which results are assessed.
    baseline_days : float
        How long before the treatment the baseline result may be.
    markers : tuple of str
        The markers it was defined for (empty: any marker).
    source : str
        Where the definition comes from.
    serum_or_plasma : bool
        Whether the criterion was set in serum or plasma (every named one was):
        a series in another specimen (urine, pleural fluid) is not evaluable by
        it.
    """

    name: str
    percent: float
    direction: str = "decrease"
    min_baseline: float | None = None
    window_days: tuple[float, float] = (1.0, 180.0)
    baseline_days: float = DEFAULT_BASELINE_DAYS
    markers: tuple[str, ...] = ()
    source: str = ""
    serum_or_plasma: bool = False


CRITERIA = {
    c.name: c
    for c in (
        Criterion(
            "afp-50",
            50.0,
            min_baseline=200.0,
            markers=("AFP",),
            source="Memon et al., J Hepatol 2012 (PMC3328660)",
            serum_or_plasma=True,
        ),
        Criterion(
            "afp-20",
            20.0,
            markers=("AFP",),
            source="Lee et al., J Hepatocell Carcinoma 2015 (PMC4918283)",
            serum_or_plasma=True,
        ),
        Criterion(
            "dcp-50",
            50.0,
            min_baseline=60.0,
            markers=("PIVKA-II",),
            source="Oncology 2016;91:317",
            serum_or_plasma=True,
        ),
    )
}


@dataclass(frozen=True)
class Response:
    """Baseline, nadir and verdict of a series (a marker in one specimen) after
    one treatment; ``series`` names it where the specimen is named (``CEA,
    urine``), else is empty."""

    marker: str
    treatment: str
    criterion: str
    baseline_date: pd.Timestamp | None
    baseline: float | None
    nadir_date: pd.Timestamp | None = None
    nadir: float | None = None
    nadir_censored: bool = False
    days_to_nadir: float | None = None
    percent_change: float | None = None
    verdict: str = "not evaluable"
    reason: str = ""
    dates: tuple = field(default=())
    specimen: str = ""
    series: str = ""


def assess_response(
    measurements: pd.DataFrame,
    treatments: pd.DataFrame,
    treatment: str,
    *,
    marker: str,
    criterion: str | Criterion,
    specimen: str | None = None,
) -> Response:
    """Assess a marker's response to a treatment against a criterion.

    The baseline and the nadir are of one series: the marker's results in one
    specimen, never a serum baseline against a urine nadir.

    Parameters
    ----------
    measurements, treatments : DataFrame
        As :func:`plotting.read_case` returns.
    treatment : str
        The treatment's label (or 1-based row number).
    marker : str
        Canonical marker name.
    criterion : str or Criterion
        A name from ``CRITERIA`` (``afp-50``, ``afp-20``, ``dcp-50``) or a
        :class:`Criterion`.
    specimen : str, optional
        The series' specimen (``""``: not stated); needed when the marker's
        results are in several.

    Returns
    -------
    Response
        ``verdict`` is ``response``, ``no response``, ``indeterminate`` (a censored
        nadir whose limit does not settle it) or ``not evaluable`` (with ``reason``;
        also for a criterion set in serum or plasma over another specimen).
        A result reported as 0 is a measured nadir like any other (a change of
        -100%, below any censored ``<`` limit); a baseline of 0 is not evaluable.
    """
    rule = CRITERIA[criterion] if isinstance(criterion, str) else criterion
    if rule.markers and marker not in rule.markers:
        raise KineticsError(
            f"criterion {rule.name} is for {', '.join(rule.markers)}, not {marker}"
        )
    row = find_treatment(treatments, treatment)
    label = str(row["label"] or row["kind"])
    rows = series_rows(measurements, marker=marker, specimen=specimen)
    if specimen is None:
        found = specimens_of(rows)
        specimen = found.iloc[0] if len(found) else ""
    rows = rows.sort_values("date")
    censor = pd.Series(censor_signs(rows), index=rows.index)
    before = rows[(rows["date"] <= row["start"])]
    name = series_label(measurements, marker, specimen)
    base = dict(
        marker=marker,
        treatment=label,
        criterion=rule.name,
        specimen=specimen,
        series="" if name == marker else name,
    )
    if rule.serum_or_plasma and not is_reference_specimen(specimen):
        return Response(
            **base,
            baseline_date=None,
            baseline=None,
            reason=f"{rule.name} is set in serum or plasma, not {specimen}",
        )
    if before.empty:
        return Response(
            **base,
            baseline_date=None,
            baseline=None,
            reason="no result on or before the treatment",
        )
    baseline = before.iloc[-1]
    base.update(baseline_date=baseline["date"], baseline=float(baseline["value"]))
    if censor.loc[baseline.name]:
        return Response(**base, reason="the baseline is censored")
    if baseline["value"] == 0:
        return Response(
            **base, reason="the baseline is 0; a change from 0 has no percent"
        )
    if rule.min_baseline is not None and baseline["value"] < rule.min_baseline:
        return Response(**base, reason=f"baseline below {rule.min_baseline:g}")
    low, high = (row["start"] + pd.Timedelta(days=d) for d in rule.window_days)
    after = rows[(rows["date"] >= low) & (rows["date"] <= high) & (censor != ">")]
    if after.empty:
        return Response(
            **base,
            reason=f"no result {rule.window_days[0]:g}-"
            f"{rule.window_days[1]:g} days after the treatment",
        )
    nadir = after.loc[after["value"].idxmin()]
    change = (nadir["value"] - baseline["value"]) / baseline["value"] * 100
    target = -rule.percent if rule.direction == "decrease" else rule.percent
    met = change <= target if rule.direction == "decrease" else change >= target
    is_censored = censor.loc[nadir.name] == "<"
    verdict = "response" if met else ("indeterminate" if is_censored else "no response")
    return Response(
        **base,
        nadir_date=nadir["date"],
        nadir=float(nadir["value"]),
        nadir_censored=bool(is_censored),
        days_to_nadir=(nadir["date"] - row["start"]).days,
        percent_change=float(change),
        verdict=verdict,
        dates=tuple(after["date"]),
    )


def response_table(responses) -> pd.DataFrame:
    """Return one row per assessed response, in the order given.

    Parameters
    ----------
    responses : iterable of Response
        As :func:`assess_response` returns them.

    Returns
    -------
    DataFrame
        Columns ``marker``, ``specimen`` (``""``: not stated), ``treatment``,
        ``criterion``, ``baseline``,
        ``baseline_date``, ``nadir``, ``nadir_date``, ``days_to_nadir``,
        ``percent_change``, ``verdict`` and ``reason`` (empty unless not
        evaluable); no rows for no responses.

    Examples
    --------
    >>> response = assess_response(case.measurements, case.treatments, "Bone RT",
    ...                            marker="AFP", criterion="afp-20")
    >>> response_table([response])["verdict"].tolist()
    ['response']
    """
    columns = [
        "marker",
        "specimen",
        "treatment",
        "criterion",
        "baseline",
        "baseline_date",
        "nadir",
        "nadir_date",
        "days_to_nadir",
        "percent_change",
        "verdict",
        "reason",
    ]
    return pd.DataFrame(
        [{name: getattr(r, name) for name in columns} for r in responses],
        columns=columns,
    )
