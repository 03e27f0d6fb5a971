"""The horizontal limits a marker is drawn with, their values worked out (pure pandas).

A marker's upper reference limit and its thresholds (``[markers.X] thresholds``)
become :class:`Limit` values in the unit the marker is drawn in. The Phoenix
threshold is computed here from the results: the nadir after the radiotherapy it
names, plus 2 ng/mL (Roach et al. 2006; ``docs/markers.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core.dates import format_time
from ..core.errors import InputError
from ..core.markers import CONVERSIONS
from ..core.thresholds import THRESHOLD_PRESETS
from .gaps import censor_signs
from .kinetics import KineticsError, find_treatment
from .series import marker_specimens, reference_rows, specimens_of

RADIOTHERAPY_KINDS = ("radiotherapy", "sbrt", "brachytherapy")
# Phoenix allows hormone therapy with the radiotherapy (Roach et al. 2006), so only
# another kind of treatment ends the window the nadir is taken from.
CONCURRENT_KINDS = ("hormone therapy",)


@dataclass(frozen=True)
class Limit:
    """One horizontal line of a trend panel, with its label.

    Attributes
    ----------
    marker : str
    value : float
        In the unit the marker is drawn in.
    label : str
        Text written on the line.
    kind : {"uln", "threshold"}
    style : str
        One of :data:`plotting.core.thresholds.THRESHOLD_STYLES`; drawing gives
        it its dashes.
    start, end : Timestamp or None
        Where the line starts and ends; None runs to the edge of the panel.
    """

    marker: str
    value: float
    label: str
    kind: str
    style: str
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None


def marker_limits(
    marker, measurements, treatments, *, time_unit: str | None = None
) -> tuple[Limit, ...]:
    """Return a marker's upper reference limit and thresholds as lines to draw.

    Every limit is one of serum or plasma (``docs/markers.md``): where the
    marker is measured in another specimen too, each label says which
    specimen it is of (``CEA ULN 5 ng/mL (serum)``); a marker measured only in
    other specimens may have none.

    Parameters
    ----------
    marker : Marker
        As in ``Case.markers`` (its ``unit`` is the unit drawn).
    measurements, treatments : DataFrame
        The case's tables (all of them, not a window: a nadir is a fact of the
        case, whatever part of it is shown).
    time_unit : str, optional
        The case's unit of relative time, so that messages say "month 3", not
        the arbitrary calendar day relative times are placed on.

    Raises
    ------
    InputError
        For a threshold in a unit that cannot be converted to the drawn one, a
        treatment named in ``after`` that the case does not have, a Phoenix
        threshold without a radiotherapy or a result after it, or any limit of
        a marker measured only in other specimens than serum or plasma.
    """
    limits = []
    of = _of_specimen(marker, measurements)
    if marker.uln is not None:
        limits.append(
            Limit(
                marker.name,
                marker.uln,
                f"{marker.name} ULN {marker.uln:g} {marker.unit}{of}",
                "uln",
                "dotted",
            )
        )
    for threshold in marker.thresholds:
        if threshold.computed:
            limits.append(
                _phoenix(marker, threshold, measurements, treatments, time_unit)
            )
            continue
        value = _in_drawn_unit(marker, threshold)
        label = threshold.label or f"{marker.name} {threshold.value:g} {threshold.unit}"
        if threshold.unit != marker.unit:
            label += f" (= {value:.3g} {marker.unit})"
        label += of
        start = _named(treatments, threshold)["start"] if threshold.after else None
        limits.append(
            Limit(
                marker.name,
                value,
                label,
                "threshold",
                threshold.style,
                start=start,
            )
        )
    return tuple(limits)


def _of_specimen(marker, measurements) -> str:
    """Return `` (serum)`` for a marker's limit labels where it is measured in
    another specimen too, else ``""``; refuse limits of a marker measured only
    in other specimens."""
    everything = measurements[measurements["marker"] == marker.name]
    limited = reference_rows(measurements, marker=marker.name)
    if len(limited) == len(everything):
        return ""
    if limited.empty:
        if marker.uln is not None or marker.thresholds:
            specimens = ", ".join(marker_specimens(measurements, marker.name))
            raise InputError(
                f"limits of {marker.name}: it is measured only in {specimens} "
                "here, and limits are of serum or plasma (docs/markers.md); give "
                "it none"
            )
        return ""
    stated = set(specimens_of(limited))
    named = stated.pop() if len(stated) == 1 else ""
    return f" ({named or 'serum or plasma'})"


def _where(marker, threshold) -> str:
    name = threshold.preset or threshold.label or f"{threshold.value:g}"
    return f"[markers.{marker.name}] threshold {name!r}"


def _named(treatments, threshold):
    try:
        return find_treatment(treatments, threshold.after)
    except KineticsError as err:
        raise InputError(f"after = {threshold.after!r}: {err}") from None


def _in_drawn_unit(marker, threshold) -> float:
    if threshold.unit == marker.unit:
        return threshold.value
    forward = CONVERSIONS.get((marker.name, threshold.unit, marker.unit))
    backward = CONVERSIONS.get((marker.name, marker.unit, threshold.unit))
    usual = forward or backward
    if usual is not None and threshold.factor is None:
        # An assay-dependent factor (AFP: IU to ng): taken only when the case
        # states it, as for converting results.
        source, goal = (
            (threshold.unit, marker.unit) if forward else (marker.unit, threshold.unit)
        )
        raise InputError(
            f"{_where(marker, threshold)} is in {threshold.unit} but {marker.name} "
            f"is drawn in {marker.unit}, and the conversion depends on the assay; "
            f"add factor = {usual:g} (1 {source} = {usual:g} {goal}, the usual) or "
            f"your assay's under [markers.{marker.name}], or write the threshold in "
            f"{marker.unit}"
        )
    if forward is not None:
        return threshold.value * (threshold.factor or forward)
    if backward is not None:
        return threshold.value / (threshold.factor or backward)
    raise InputError(
        f"{_where(marker, threshold)} is in {threshold.unit} but {marker.name} is "
        f"drawn in {marker.unit}, and no accepted conversion exists; write the "
        f"threshold in {marker.unit}"
    )


def _phoenix(marker, threshold, measurements, treatments, time_unit) -> Limit:
    """Return nadir + 2 ng/mL after the radiotherapy ``after`` names.

    The radiotherapy is the one ``after`` names, else the case's only one. The
    nadir is the lowest result after its last day (its end, or its start for a
    course without one) and before the next treatment other than hormone therapy;
    a result below the detection limit counts at its limit, and the label says
    so. The line runs from the nadir to that next treatment.
    """
    where = _where(marker, threshold)
    if marker.unit != "ng/mL":
        raise InputError(
            f"{where}: Phoenix is defined in ng/mL, but {marker.name} is drawn in "
            f"{marker.unit}"
        )
    radiation = treatments[treatments["kind"].isin(RADIOTHERAPY_KINDS)]
    if threshold.after:
        course = _named(treatments, threshold)
        if course["kind"] not in RADIOTHERAPY_KINDS:
            raise InputError(
                f"{where}: after = {threshold.after!r} is a {course['kind']}; "
                "Phoenix is defined after radiotherapy (EBRT or brachytherapy)"
            )
    elif len(radiation) == 1:
        course = radiation.iloc[0]
    elif radiation.empty:
        raise InputError(
            f"{where}: Phoenix (nadir + 2 ng/mL) is defined after radiotherapy, and "
            "the case has none; leave the preset out or add the radiotherapy to "
            "treatments"
        )
    else:
        names = ", ".join(repr(str(label)) for label in radiation["label"])
        raise InputError(
            f"{where}: the case has {len(radiation)} radiotherapies ({names}); name "
            f'the one it follows: {{preset = "phoenix", after = "..."}}'
        )
    last_day = course["start"] if pd.isna(course["end"]) else course["end"]
    later = treatments[
        (treatments["start"] > last_day) & ~treatments["kind"].isin(CONCURRENT_KINDS)
    ]
    until = later["start"].min() if not later.empty else None
    # The nadir of the serum (or plasma) PSA: Phoenix is defined on it.
    rows = reference_rows(measurements, marker=marker.name)
    rows = rows[rows["date"] > last_day]
    if until is not None:
        rows = rows[rows["date"] < until]
    rows = rows[censor_signs(rows) != ">"]
    if rows.empty:
        window = f"after {course['label']} ({format_time(last_day, time_unit)})"
        if until is not None:
            window += f" and before {format_time(until, time_unit)}"
        raise InputError(
            f"{where}: no {marker.name} result {window}, so there is no nadir to "
            "add 2 ng/mL to; leave the preset out or add the results"
        )
    nadir_row = rows.loc[rows["value"].idxmin()]
    nadir, rise = float(nadir_row["value"]), threshold.value
    below = censor_signs(nadir_row.to_frame().T)[0] == "<"
    shown = f"<{nadir:g}" if below else f"{nadir:g}"
    value = nadir + rise
    label = threshold.label
    if threshold.label == THRESHOLD_PRESETS["phoenix"].label:
        label = (
            f"Phoenix: nadir {shown} + {rise:g} = {'<' if below else ''}{value:g} ng/mL"
        )
    return Limit(
        marker.name,
        value,
        label,
        "threshold",
        threshold.style,
        start=nadir_row["date"],
        end=until,
    )
